#!/usr/bin/env bash
# Prints a loopback TCP port nobody listens on.
for port in $(shuf -i 20000-60000 -n 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; exit 0; }
done
exit 1

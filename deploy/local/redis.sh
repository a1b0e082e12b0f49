#!/usr/bin/env bash
# A throw-away Redis from Debian's packages on loopback (no Docker here), nothing saved to disk.
#   deploy/local/redis.sh start DIR PORT     a new server with its files in DIR, on PORT
#   deploy/local/redis.sh stop DIR           stops it and removes DIR
set -euo pipefail
command -v redis-server >/dev/null || { echo "Redis is not installed (apt-get install redis-server)" >&2; exit 1; }

case "${1:-}" in
  start)
    dir=$2 port=$3
    mkdir -p "$dir"
    # Redis holds nothing Parley cannot rebuild (PostgreSQL is the truth): no snapshots, no append-only file
    redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
      --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/log"
    for _ in $(seq 1 100); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && exit 0
      sleep 0.1
    done
    echo "Redis did not start on port $port (see $dir/log)" >&2
    exit 1
    ;;
  stop)
    dir=$2
    if [ -f "$dir/redis.pid" ]; then
      pid=$(cat "$dir/redis.pid")
      kill "$pid" 2>/dev/null || true
      # it removes its pid file as it exits: wait for that, or it races the removal of its folder
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac

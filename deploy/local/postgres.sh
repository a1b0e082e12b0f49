#!/usr/bin/env bash
# A throw-away PostgreSQL from Debian's packages on loopback, run by an unprivileged user (no Docker here).
#   deploy/local/postgres.sh start DIR PORT [postgres options...]   a new server in DIR on PORT, database
#                                                                   ${PG_DATABASE:-parley} owned by user parley (trust)
#   deploy/local/postgres.sh stop DIR                               stops it and removes DIR
set -euo pipefail
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$pg_bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }

# initdb refuses root: as root, the server runs as Debian's postgres user
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir=$2 port=$3
    shift 3
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    as_owner "$pg_bin/initdb" -D "$dir/data" -U parley --auth=trust -E UTF8 >/dev/null
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $*" start >/dev/null
    as_owner "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U parley "${PG_DATABASE:-parley}"
    ;;
  stop)
    dir=$2
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start DIR PORT [postgres options...] | stop DIR" >&2
    exit 2
    ;;
esac

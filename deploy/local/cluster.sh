#!/usr/bin/env bash
# The compose stack's topology without Docker, on loopback, from Debian's packages: PostgreSQL, Redis, three Parley
# nodes in cluster mode, and HAProxy in front with the same configuration file as compose.yaml
# (deploy/haproxy/haproxy.cfg). Build the jar first (./mvnw -DskipTests package).
#   deploy/local/cluster.sh up DIR      starts it all, its files in DIR; prints where the chat is
#   deploy/local/cluster.sh down DIR    stops it all and removes DIR
# Ports: LB_HTTP_PORT (default 8080) and LB_CONSOLE_PORT (8888) for the balancer; every other port is a free one.
# Prometheus, when installed (apt-get install prometheus), scrapes the nodes as in compose, on PROMETHEUS_PORT (9090).
# PARLEY_NODE_COMMAND replaces "java -jar target/parley-*.jar" as the command that starts a node (the tests start
# nodes from their classpath).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=deploy/local

wait_ready() {
  local url=$1
  for _ in $(seq 1 300); do
    if curl -fsS "$url" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "Not ready: $url" >&2
  return 1
}

case "${1:-}" in
  up)
    dir=$(mkdir -p "$2" && cd "$2" && pwd)
    # Debian installs it in /usr/sbin, which not every PATH holds
    haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
    [ -x "$haproxy" ] || { echo "HAProxy is not installed (apt-get install haproxy)" >&2; exit 1; }
    if [ -n "${PARLEY_NODE_COMMAND:-}" ]; then
      read -r -a node_command <<< "$PARLEY_NODE_COMMAND"
    else
      jar=$(ls target/parley-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1)
      [ -n "$jar" ] || { echo "No jar: run ./mvnw -DskipTests package first" >&2; exit 1; }
      node_command=(java -jar "$jar")
    fi
    pg_port=$($here/free-port.sh) redis_port=$($here/free-port.sh)
    $here/postgres.sh start "$dir/postgres" "$pg_port"
    $here/redis.sh start "$dir/redis" "$redis_port"
    for n in 1 2 3; do
      http=$($here/free-port.sh) console=$($here/free-port.sh)
      echo "PARLEY_NODE$n=127.0.0.1:$http PARLEY_CONSOLE$n=127.0.0.1:$console PARLEY_HTTP_PORT$n=$http" >> "$dir/nodes.env"
      "${node_command[@]}" --server.port="$http" --parley.tcp.port="$console" --parley.data-dir="$dir/node$n" \
        --parley.cluster.enabled=true --parley.cluster.node-id="node$n" \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:$pg_port/parley" --spring.datasource.username=parley \
        --spring.data.redis.url="redis://127.0.0.1:$redis_port" \
        --server.forward-headers-strategy=native > "$dir/node$n.log" 2>&1 &
      echo $! > "$dir/node$n.pid"
      # one at a time: the first migrates the schema, the others find it made
      wait_ready "http://127.0.0.1:$http/actuator/health/readiness"
    done
    # shellcheck disable=SC2046
    env $(tr ' ' '\n' < "$dir/nodes.env") LB_HTTP_BIND="127.0.0.1:${LB_HTTP_PORT:-8080}" \
      LB_CONSOLE_BIND="127.0.0.1:${LB_CONSOLE_PORT:-8888}" \
      "$haproxy" -D -f deploy/haproxy/haproxy.cfg -p "$dir/haproxy.pid"
    wait_ready "http://127.0.0.1:${LB_HTTP_PORT:-8080}/actuator/health/readiness"
    if command -v prometheus >/dev/null; then
      # compose's scrape configuration, with this stack's nodes as targets
      targets=$(grep -o 'PARLEY_NODE[0-9]=[^ ]*' "$dir/nodes.env" | sed 's/.*=\(.*\)/"\1"/' | paste -sd, -)
      sed "s|targets: .*|targets: [$targets]|" deploy/prometheus/prometheus.yml > "$dir/prometheus.yml"
      prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prometheus" \
        --web.listen-address="127.0.0.1:${PROMETHEUS_PORT:-9090}" > "$dir/prometheus.log" 2>&1 &
      echo $! > "$dir/prometheus.pid"
      # optional: a port already taken is said, not fatal to the stack
      if wait_ready "http://127.0.0.1:${PROMETHEUS_PORT:-9090}/-/ready"; then
        echo "Prometheus at http://127.0.0.1:${PROMETHEUS_PORT:-9090}/"
      else
        echo "Prometheus did not start (see $dir/prometheus.log); the stack runs without it" >&2
      fi
    fi
    echo "Parley at http://127.0.0.1:${LB_HTTP_PORT:-8080}/ (console: port ${LB_CONSOLE_PORT:-8888}); nodes: $(tr '\n' ' ' < "$dir/nodes.env")"
    ;;
  down)
    dir=$2
    [ -f "$dir/haproxy.pid" ] && kill "$(cat "$dir/haproxy.pid")" 2>/dev/null || true
    [ -f "$dir/prometheus.pid" ] && kill "$(cat "$dir/prometheus.pid")" 2>/dev/null || true
    for n in 1 2 3; do
      if [ -f "$dir/node$n.pid" ]; then
        pid=$(cat "$dir/node$n.pid")
        kill "$pid" 2>/dev/null || true
        # the node drains its connections (1001 in batches) before it exits
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      fi
    done
    $here/redis.sh stop "$dir/redis" || true
    $here/postgres.sh stop "$dir/postgres" || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 up DIR | down DIR" >&2
    exit 2
    ;;
esac

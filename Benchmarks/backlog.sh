#!/usr/bin/env bash
# CPU cost of watching 200 RabbitMQ queues at a 1 s interval, against a curl loop polling the
# same management API listing at the same interval (the least any poller must do).
# Goal (issue 8): scalectl backlog watch stays under 5% of one core. Prints CPU % and the ratio.
# Starts its own rabbitmq-server on loopback (own directory, ports, epmd) as FIXTURES.md says,
# and stops exactly that node afterwards.
# Usage: Benchmarks/backlog.sh [path/to/scalectl] [seconds]   (make bench builds the release binary first)
set -euo pipefail
bin=${1:-.build/release/scalectl}
seconds=${2:-30}
queues=200
[ -x "$bin" ] || { echo "no binary at $bin: run 'make release' first" >&2; exit 1; }
server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "rabbitmq-server is missing: apt-get install rabbitmq-server" >&2; exit 1; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
mkdir -p Benchmarks/data
d=$(mktemp -d "$PWD/Benchmarks/data/rabbitmq-XXXXXX")
chmod 755 "$d"; mkdir -p "$d/home" "$d/mnesia" "$d/log"

free_port() { # a port below 32768 that nothing listens on
  while :; do p=$((20000 + RANDOM % 12000)); (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done
}
amqp=$(free_port); mgmt=$(free_port); dist=$(free_port); epmd=$(free_port)
cat > "$d/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $mgmt
CONF
echo '[rabbitmq_management].' > "$d/enabled_plugins"
node=scalectlbench$$@localhost
export HOME=$d/home RABBITMQ_NODENAME=$node RABBITMQ_MNESIA_BASE=$d/mnesia RABBITMQ_LOG_BASE=$d/log \
  RABBITMQ_PID_FILE=$d/rabbit.pid RABBITMQ_CONFIG_FILE=$d/rabbitmq.conf RABBITMQ_ENABLED_PLUGINS_FILE=$d/enabled_plugins \
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT=$amqp RABBITMQ_DIST_PORT=$dist ERL_EPMD_PORT=$epmd \
  ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
"$server" > "$d/stdout.log" 2>&1 &
pid=$!
stop() {
  /usr/lib/rabbitmq/bin/rabbitmqctl -n "$node" shutdown >/dev/null 2>&1 || kill "$pid" 2>/dev/null || true
  epmd -kill >/dev/null 2>&1 || true
  rm -rf "$d"
}
trap stop EXIT
api=http://127.0.0.1:$mgmt/api
for _ in $(seq 1 150); do curl -s -o /dev/null -u guest:guest "$api/overview" && break; sleep 0.2; done
curl -sf -o /dev/null -u guest:guest "$api/overview" || { echo "rabbitmq did not start: $(tail -5 "$d/stdout.log")" >&2; exit 1; }
echo "creating $queues queues with a few messages each…" >&2
for i in $(seq 1 $queues); do
  curl -s -o /dev/null -u guest:guest -X PUT -H 'content-type: application/json' "$api/queues/%2F/bench.$i" -d '{"durable":false}'
  curl -s -o /dev/null -u guest:guest -X POST -H 'content-type: application/json' "$api/exchanges/%2F/amq.default/publish" \
    -d "{\"properties\":{\"timestamp\":$(date +%s)},\"routing_key\":\"bench.$i\",\"payload\":\"x\",\"payload_encoding\":\"string\"}"
done

# CPU seconds (user + sys) a command used, from GNU time's %U and %S.
cpu() { /usr/bin/time -f '%U %S %e' -o "$d/time" "$@" > "$d/out" 2>>"$d/err"; awk '{printf "%.3f %.3f\n", $1 + $2, $3}' "$d/time"; }
echo "watching for ${seconds}s at a 1 s interval…" >&2
read -r scalectl_cpu scalectl_wall < <(RABBITMQ_USER=guest RABBITMQ_PASSWORD=guest cpu "$bin" backlog watch "rabbitmq+http://127.0.0.1:$mgmt/%2F" \
  --interval 1s --window 1m --count "$seconds" -o ndjson)
rows=$(grep -c '"type": "result"' "$d/out" || true)
cat > "$d/curl-loop.sh" <<LOOP
for i in \$(seq 1 $seconds); do curl -s -o /dev/null -u guest:guest "$api/queues/%2F?columns=name,messages,message_stats.publish"; sleep 1; done
LOOP
read -r curl_cpu curl_wall < <(cpu bash "$d/curl-loop.sh")
python3 - "$scalectl_cpu" "$scalectl_wall" "$curl_cpu" "$curl_wall" "$rows" "$queues" "$seconds" <<'PY'
import sys
s_cpu, s_wall, c_cpu, c_wall, rows, queues, seconds = map(float, sys.argv[1:])
s_pct, c_pct = 100 * s_cpu / s_wall, 100 * c_cpu / c_wall
print(f"{'poller':<44} {'cpu s':>7} {'wall s':>7} {'% of a core':>12}")
print(f"{'scalectl backlog watch (200 queues, 1 s)':<44} {s_cpu:>7.2f} {s_wall:>7.2f} {s_pct:>12.2f}")
print(f"{'curl loop (same listing, 1 s)':<44} {c_cpu:>7.2f} {c_wall:>7.2f} {c_pct:>12.2f}")
print(f"ratio scalectl / curl loop: {s_pct / c_pct:.2f}" if c_pct > 0 else "ratio: curl loop used no measurable CPU")
print(f"rows printed: {int(rows)} ({int(rows / seconds)} per round; {int(queues)} queues)")
print(f"goal: under 5% of one core: {'met' if s_pct < 5 else 'NOT met'} ({s_pct:.2f}%)")
PY

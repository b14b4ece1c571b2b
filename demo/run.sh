#!/usr/bin/env bash
# make demo: runs scalectl on the bundled sample inputs in demo/, showing each command line.
set -euo pipefail
bin=${1:-.build/debug/scalectl}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
show() { printf '\n\033[1m$ %s\033[0m\n' "scalectl $*"; "$bin" "$@" || printf '(exit %d)\n' $?; }
show --version
show --help
show availability compose 'lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)'
show availability budget 99.9%
show availability burn --slo 99.9% --error-rate 0.5%
show ring plan --nodes cache-a:11211,cache-b:11211,cache-c:11211
show ring plan --nodes-file demo/ring-nodes-40.txt --algorithm vnodes --target-balance 1.05 -o csv
show ring lookup --nodes-file demo/ring-nodes.txt --keys-file demo/ring-keys.txt --count
show ring diff --nodes a=1,b=2,c=3 --to a=1,b=2,c=3,d=4
show cache explain 'max-age=60, s-maxage=300, stale-while-revalidate=30'
show cache audit --headers demo/cache-headers.txt --now 'Sun, 06 Nov 1994 08:50:37 GMT'
show cache audit --headers demo/cache-headers-fastly.txt --now 'Sun, 06 Nov 1994 08:50:37 GMT'
# probe: a small local server when python3 is there, beside two ports nobody listens on.
if command -v python3 >/dev/null; then
  python3 -m http.server 18931 --bind 127.0.0.1 --directory demo >/dev/null 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null' EXIT
  sleep 0.5
  show probe http://127.0.0.1:18931/health.json tcp://127.0.0.1:18931 --expect-json '.status == "UP"' --warning 500ms
fi
show probe --targets-file demo/probe-targets.txt
show probe --watch --interval 200ms --count 3 --fall 2 -o ndjson tcp://127.0.0.1:1
show rebalance plan demo/kafka-current.json --add 5
show rebalance plan demo/kafka-current.json --add 5 -o kafka-json
show rebalance plan demo/kafka-current.json --add 5 --sizes demo/kafka-sizes.csv --throttle 50MB/s --show brokers
show rebalance check demo/kafka-current.json --brokers 1-5 --warning 10% --critical 50%
show rebalance slots demo/redis-cluster-nodes.txt --use-empty-masters
show backlog samples demo/backlog-orders.csv --queue orders
show backlog kafka-lag demo/kafka-lag.txt
show cdn hits demo/cdn/nginx-access.log
show cdn hits demo/cdn/nginx-access.log.gz --by prefix --by time --bucket 1h
show cdn hits demo/cdn/cloudfront.log --ratio cloudfront --by pop
show cdn why demo/cdn/nginx-access.log
show cdn merge demo/cdn/day-a.scp demo/cdn/day-b.scp --by url --top 3
show cdn hits demo/cdn/nginx-access.log --warning 90% --critical 50%

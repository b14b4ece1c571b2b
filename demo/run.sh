#!/usr/bin/env bash
# make demo: runs scalectl on the bundled sample inputs in demo/, showing each command line.
set -euo pipefail
bin=${1:-.build/debug/scalectl}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
show() { printf '\n\033[1m$ %s\033[0m\n' "scalectl $*"; "$bin" "$@" || printf '(exit %d)\n' $?; }
show --version
show --help
show rebalance plan demo/kafka-current.json --add 5
show rebalance plan demo/kafka-current.json --add 5 -o kafka-json
show rebalance plan demo/kafka-current.json --add 5 --sizes demo/kafka-sizes.csv --throttle 50MB/s --show brokers
show rebalance check demo/kafka-current.json --brokers 1-5 --warning 10% --critical 50%
show rebalance slots demo/redis-cluster-nodes.txt --use-empty-masters

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
show backlog samples demo/backlog-orders.csv --queue orders
show backlog kafka-lag demo/kafka-lag.txt

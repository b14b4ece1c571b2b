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
show cdn hits demo/cdn/nginx-access.log
show cdn hits demo/cdn/nginx-access.log.gz --by prefix --by time --bucket 1h
show cdn hits demo/cdn/cloudfront.log --ratio cloudfront --by pop
show cdn why demo/cdn/nginx-access.log
show cdn merge demo/cdn/day-a.scp demo/cdn/day-b.scp --by url --top 3
show cdn hits demo/cdn/nginx-access.log --warning 90% --critical 50%

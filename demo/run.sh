#!/usr/bin/env bash
# make demo: runs scalectl on the bundled sample inputs in demo/, showing each command line.
set -euo pipefail
bin=${1:-.build/debug/scalectl}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
show() { printf '\n\033[1m$ %s\033[0m\n' "scalectl $*"; "$bin" "$@" || printf '(exit %d)\n' $?; }
show --version
show --help

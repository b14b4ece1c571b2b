#!/usr/bin/env bash
# Start-up time of scalectl against curl on the same machine in one run.
# Goal (issue 2): `scalectl --version` median under 15 ms. Prints medians and the ratio.
# Usage: Benchmarks/startup.sh [path/to/scalectl]   (make bench builds the release binary first)
set -euo pipefail
bin=${1:-.build/release/scalectl}
[ -x "$bin" ] || { echo "no binary at $bin: run 'make release' first" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine -N --warmup 20 --runs 200 --export-json "$out/r.json" \
  -n "scalectl --version" "$bin --version" \
  -n "scalectl help" "$bin help" \
  -n "curl --version" "curl --version" >&2
python3 - "$out/r.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
curl = results["curl --version"]["median"]
print(f"{'command':<22} {'median ms':>10} {'ratio to curl --version':>24}")
for name, r in results.items():
    print(f"{name:<22} {r['median']*1000:>10.2f} {r['median']/curl:>24.2f}")
version = results["scalectl --version"]["median"] * 1000
print(f"goal: scalectl --version median under 15 ms: {'met' if version < 15 else 'NOT met'} ({version:.2f} ms)")
PY

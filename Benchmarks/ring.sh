#!/usr/bin/env bash
# ring lookup against libmemcached, and the vnode search, on the same machine in one run.
# Goals (issue 6): `scalectl ring lookup` over 1,000,000 keys (ketama, 10 nodes) at least as
# fast as a C program linked to libmemcached doing the same lookups on the same keys, end to
# end (ratio <= 1.0); `ring plan --target-balance 1.05` for 100 nodes in under a second.
# Usage: Benchmarks/ring.sh [path/to/scalectl]   (make bench builds the release binary first)
set -euo pipefail
bin=${1:-.build/release/scalectl}
here=$(cd "$(dirname "$0")" && pwd)
data="$here/data"
[ -x "$bin" ] || { echo "no binary at $bin: run 'make release' first" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
[ -e /usr/include/libmemcached/memcached.h ] || { echo "libmemcached-dev is missing: apt-get install libmemcached-dev" >&2; exit 1; }
mkdir -p "$data"

# The peer: the same C helper the tests check scalectl against, printing key<TAB>host:port.
cc -O2 -o "$data/libmemcached_ketama" "$here/../Tests/Fixtures/libmemcached_ketama.c" $(pkg-config --cflags --libs libmemcached)

keys="$data/ring-keys-1m.txt"
if [ ! -s "$keys" ]; then
  # Deterministic keys shaped like real cache keys: user:<n>:<8 hex digits>.
  awk 'BEGIN { srand(6); for (i = 0; i < 1000000; i++) printf "user:%d:%08x\n", i, int(rand() * 4294967296) }' > "$keys"
fi
nodes=$(for i in $(seq 1 10); do printf '10.0.0.%d:11211,' "$i"; done); nodes=${nodes%,}
for i in $(seq 1 10); do echo "10.0.0.$i 11211 1"; done > "$data/ring-servers-10.txt"
for i in $(seq -w 1 100); do echo "cache-$i.internal:11211"; done > "$data/ring-nodes-100.txt"

# Same bytes out, or the timing means nothing.
"$bin" ring lookup --nodes "$nodes" --keys-file "$keys" > "$data/ring-scalectl.out"
"$data/libmemcached_ketama" lookup "$data/ring-servers-10.txt" < "$keys" > "$data/ring-libmemcached.out"
cmp -s "$data/ring-scalectl.out" "$data/ring-libmemcached.out" || { echo "outputs differ: scalectl does not match libmemcached" >&2; exit 1; }
echo "outputs identical: $(wc -l < "$data/ring-scalectl.out") lines" >&2

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
hyperfine --warmup 2 --runs 15 --export-json "$out/lookup.json" \
  -n "scalectl ring lookup" "$bin ring lookup --nodes $nodes --keys-file $keys > /dev/null" \
  -n "libmemcached (C)" "$data/libmemcached_ketama lookup $data/ring-servers-10.txt < $keys > /dev/null" >&2
hyperfine --warmup 1 --runs 5 --export-json "$out/plan.json" \
  -n "ring plan --target-balance 1.05 (100 nodes)" "$bin ring plan --nodes-file $data/ring-nodes-100.txt --target-balance 1.05 -o json" >&2
python3 - "$out/lookup.json" "$out/plan.json" <<'PY'
import json, sys
lookup = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
plan = json.load(open(sys.argv[2]))["results"][0]
s, c = lookup["scalectl ring lookup"]["median"], lookup["libmemcached (C)"]["median"]
print(f"{'command':<46} {'median ms':>10}")
print(f"{'scalectl ring lookup, 1M keys, ketama, 10 nodes':<46} {s*1000:>10.1f}")
print(f"{'libmemcached C program, same keys and nodes':<46} {c*1000:>10.1f}")
print(f"ratio scalectl / libmemcached: {s/c:.2f} (goal <= 1.00: {'met' if s <= c else 'NOT met'})")
p = plan["median"]
print(f"{plan['command']:<46} {p*1000:>10.1f}")
print(f"goal: under 1000 ms: {'met' if p < 1 else 'NOT met'}")
PY

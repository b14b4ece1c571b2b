#!/usr/bin/env bash
# Issue 4: `scalectl cache audit` on 1,000 URLs of a loopback nginx (--concurrency 32) against
# 1,000 sequential `curl -sI` runs on the same URLs, in one run. Prints both times and the ratio.
# Usage: Benchmarks/cache.sh [path/to/scalectl]   (make bench builds the release binary first)
# Generated files go under Benchmarks/data/ (git-ignored); nginx runs on 127.0.0.1 and is stopped.
set -euo pipefail
bin=${1:-.build/release/scalectl}
[ -x "$bin" ] || { echo "no binary at $bin: run 'make release' first" >&2; exit 1; }
command -v nginx >/dev/null || command -v /usr/sbin/nginx >/dev/null || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
root=$(cd "$(dirname "$0")" && pwd)/data/cache
rm -rf "$root"; mkdir -p "$root/html/assets"; chmod 755 "$root" "$root/html" "$root/html/assets"
# A port below the ephemeral range that nothing holds.
port=$(python3 -c 'import socket,random
for _ in range(200):
    p=random.randint(20000,32767); s=socket.socket()
    try: s.bind(("127.0.0.1",p)); s.close(); print(p); break
    except OSError: pass')
for i in $(seq 1 1000); do printf 'asset %d\n' "$i" > "$root/html/assets/a$i.css"; done
chmod 644 "$root"/html/assets/*
cat > "$root/nginx.conf" <<CONF
worker_processes 2;
events { worker_connections 1024; }
http {
  access_log off; client_body_temp_path $root/cb; proxy_temp_path $root/p; fastcgi_temp_path $root/f;
  uwsgi_temp_path $root/u; scgi_temp_path $root/s;
  types { text/css css; }
  server { listen 127.0.0.1:$port; root $root/html; keepalive_requests 10000;
    location / { expires 1h; add_header Cache-Control "public"; } }
}
CONF
"$nginx" -p "$root" -c "$root/nginx.conf" -e "$root/error.log" -g "pid $root/nginx.pid; error_log $root/error.log;"
trap 'kill "$(cat "$root/nginx.pid")" 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/assets/a1.css" && break; sleep 0.05; done
for i in $(seq 1 1000); do echo "http://127.0.0.1:$port/assets/a$i.css"; done > "$root/urls.txt"

now() { date +%s.%N; }
t0=$(now)
"$bin" cache audit --urls-file "$root/urls.txt" --concurrency 32 -o ndjson --fail-on none > "$root/audit.ndjson"
t1=$(now)
while read -r url; do curl -sI "$url" > /dev/null; done < "$root/urls.txt"
t2=$(now)
audited=$(grep -c '"kind": "verdict", .*"cache_class": "browser"' "$root/audit.ndjson" || true)
python3 - "$t0" "$t1" "$t2" "$audited" <<'PY'
import sys
t0, t1, t2, audited = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ours, curl = t1 - t0, t2 - t1
print(f"scalectl cache audit, 1000 URLs, --concurrency 32: {ours:.3f} s ({audited} responses audited)")
print(f"1000 sequential curl -sI:                          {curl:.3f} s")
print(f"ratio (curl / scalectl):                           {curl / ours:.1f}x")
PY

#!/usr/bin/env python3
"""Writes a synthetic nginx access log with $request_time and $upstream_cache_status for
Benchmarks/cdn.sh: a zipf(1.0) mix over a fixed set of URLs (popular ones hit, the tail
misses), zipf-distributed clients over 500,000 addresses with a few thousand user-agent
versions (as a CDN edge sees them; a log with a handful of clients flatters tools that keep
per-visitor state), query strings, referrers as a site has them (its own pages, search
engines with the query, none), about 270 bytes a line.

Usage: cdn_generate.py OUT SIZE_BYTES [URLS]   (deterministic: seeded)
"""
import bisect, itertools, random, sys

out, size = sys.argv[1], int(sys.argv[2])
url_count = int(sys.argv[3]) if len(sys.argv) > 3 else 400_000
rng = random.Random(42)
exts = ["js", "css", "png", "jpg", "webp", "woff2", "mp4", "html", "json", ""]
dirs = ["static", "assets", "img", "video", "api", "products", "blog", "search", "fonts", "media"]
urls = []
for i in range(url_count):
    d = dirs[i % len(dirs)]
    e = exts[(i // 7) % len(exts)]
    path = f"/{d}/{i // 100}/item-{i}" + (f".{e}" if e else "")
    if d == "search":
        path = f"/search?q=term{i}&utm_source=mail&page={i % 9}"
    urls.append((path, 200 + (i * 7919) % 250_000 if e != "mp4" else 1_500_000 + i % 1_000_000))
weights = [1.0 / (k + 1) for k in range(url_count)]
cum = list(itertools.accumulate(weights))
agents = []
for v in range(100, 132):
    for b in range(0, 100):
        agents.append(f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.{6000 + b * 7}.{b} Safari/537.36")
        agents.append(f"Mozilla/5.0 (iPhone; CPU iPhone OS 17_{b % 7} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{b % 5} Mobile/15E{100 + b}")
    agents.append(f"Mozilla/5.0 (X11; Linux x86_64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0")
    agents.append(f"curl/8.{v % 12}.0")
client_count = 500_000
client_cum = list(itertools.accumulate(1.0 / (k + 1) ** 0.8 for k in range(client_count)))
# Referrers: 60% the site's own pages (a page links its assets), 20% a search engine with the
# query typed, 20% none.
engines = ["https://www.google.com/search?q=", "https://www.bing.com/search?q=", "https://duckduckgo.com/?q="]
def referer(k, c, r):
    if r < 0.6:
        return "https://www.example.com" + urls[(k * 31 + c) % 5000][0]
    if r < 0.8:
        return engines[c % 3] + f"boots+size+{c % 977}"
    return "-"
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
written = 0
t = 1_793_491_200  # 2026-11-01T00:00:00Z
with open(out, "w") as f:
    while written < size:
        picks = rng.choices(range(url_count), cum_weights=cum, k=20_000)
        clients = rng.choices(range(client_count), cum_weights=client_cum, k=20_000)
        lines = []
        for k, c in zip(picks, clients):
            path, body = urls[k]
            t += rng.random() < 0.3
            day, rest = divmod(t - 1_793_491_200, 86400)
            hh, rest = divmod(rest, 3600)
            mm, ss = divmod(rest, 60)
            r = rng.random()
            # Popular URLs hit; the tail misses; a slice is uncacheable.
            if path.startswith("/api/"):
                cache = "BYPASS" if r < 0.7 else "MISS"
            elif k < 2000:
                cache = "HIT" if r < 0.97 else ("EXPIRED" if r < 0.99 else "MISS")
            else:
                cache = "HIT" if r < 0.55 else ("MISS" if r < 0.9 else ("EXPIRED" if r < 0.97 else "STALE"))
            rt = 0.001 if cache in ("HIT", "STALE") else 0.020 + (k % 97) / 1000
            lines.append(f'{10 + c % 200}.{c // 200 % 250}.{c // 50000 % 250}.{1 + c % 251} - - [{1 + day:02d}/Nov/2026:{hh:02d}:{mm:02d}:{ss:02d} +0000] '
                         f'"GET {path} HTTP/1.1" 200 {body} "{referer(k, c, rng.random())}" "{agents[c % len(agents)]}" {rt:.3f} {cache}\n')
        chunk = "".join(lines)
        f.write(chunk)
        written += len(chunk)

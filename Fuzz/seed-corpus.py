#!/usr/bin/env python3
"""Rebuilds Fuzz/corpus/<target>/ from the inputs the repo already has: the demo/ files and the
multi-line string literals of the tests that feed each parser. Run from the repository root:
    python3 Fuzz/seed-corpus.py
Files are named by the SHA-1 of their bytes (as libFuzzer names what it adds), so re-running
adds nothing twice. Inputs the fuzzers found later live beside these, also by SHA-1."""
import gzip, hashlib, os, re, shlex, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "Fuzz", "corpus")
MAX_SEED = 64 * 1024

FORMATS = ["nginx", "varnish", "apache", "fastly", "cloudfront", "cloudfront-realtime",
           "cloudflare", "akamai", "squid", "ats", "haproxy"]  # LogFormat.allCases order

def add(target, data):
    if isinstance(data, str):
        data = data.encode()
    if not data or len(data) > MAX_SEED:
        return
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)

def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()

def unescape(text):
    """Swift string escapes (no interpolation: those literals are skipped)."""
    out, i = [], 0
    simple = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            n = text[i + 1]
            if n in simple:
                out.append(simple[n]); i += 2; continue
            if n == "u":
                m = re.match(r"\\u\{([0-9a-fA-F]+)\}", text[i:])
                if m:
                    out.append(chr(int(m.group(1), 16))); i += len(m.group(0)); continue
            if n == "\n":  # line continuation
                i += 2; continue
        out.append(c); i += 1
    return "".join(out)

def multiline_literals(path):
    """(preceding test name, literal) for each \"\"\" literal, indentation stripped as Swift does."""
    src = read(path).decode()
    for m in re.finditer(r'(#?)"""\n(.*?)\n([ \t]*)"""\1', src, re.S):
        raw, indent = m.group(2), m.group(3)
        if "\\(" in raw:
            continue
        lines = [l[len(indent):] if l.startswith(indent) else l.lstrip() for l in raw.split("\n")]
        body = "\n".join(lines)
        if not m.group(1):
            body = unescape(body)
        names = re.findall(r"func (\w+)\(", src[:m.start()])
        yield (names[-1] if names else ""), body

def short_literals(path, pattern):
    src = read(path).decode()
    for m in re.finditer(pattern, src):
        if "\\(" not in m.group(1):
            yield unescape(m.group(1))

def format_index(test_name, log):
    name = test_name.lower()
    for i, f in sorted(enumerate(FORMATS), key=lambda p: -len(p[1])):
        if f.replace("-", "") in name.replace("realtime", "cloudfront-realtime").replace("-", ""):
            return i
    return 0

def main():
    # Access logs: the demo and every log literal of the format tests.
    logs = [("nginx", read("demo/cdn/nginx-access.log")[:16384]), ("cloudfront", read("demo/cdn/cloudfront.log"))]
    for path in ["Tests/CDNLogsTests/FormatTests.swift", "Tests/CDNLogsTests/HostileInputTests.swift",
                 "Tests/CDNLogsTests/StatisticsTests.swift", "Tests/ScaleCLITests/CDNCommandTests.swift"]:
        for name, body in multiline_literals(path):
            logs.append((name, body.encode()))
    for name, log in logs:
        add("cdn-detect", log)
        i = format_index(name, log)
        add("cdn-format", bytes([i, 7]) + log)
        if "log_format" in log.decode(errors="replace") or "LogFormat" in log.decode(errors="replace"):
            continue
        add("cdn-gzip", gzip.compress(log[:4096], mtime=0))
    add("cdn-gzip", read("demo/cdn/nginx-access.log.gz"))
    add("cdn-gzip", zlib.compress(b"192.0.2.1 - - [23/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" HIT\n"))
    sample = read("demo/cdn/nginx-access.log")[:2048]
    for template in ['$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $upstream_cache_status',
                     '$host $remote_addr [$time_iso8601] "$request" $status $bytes_sent $request_time $upstream_cache_status',
                     '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" %{cache-status}e',
                     '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" %{Varnish:handling}x %D']:
        add("cdn-template", template.encode() + b"\n" + sample)
    for name, body in multiline_literals("Tests/CDNLogsTests/FormatTests.swift"):
        if "log_format" in body or "LogFormat" in body:
            add("cdn-template", body)
    add("cdn-partial", read("demo/cdn/day-a.scp"))
    add("cdn-partial", read("demo/cdn/day-b.scp"))

    # Cache headers, dates, saved responses, HAR.
    for path in ["demo/cache-headers.txt", "demo/cache-headers-fastly.txt"]:
        add("raw-responses", read(path))
    for path in ["Tests/ScaleCLITests/CacheCommandTests.swift", "Tests/CacheAuditTests/ActiveCheckTests.swift"]:
        for name, body in multiline_literals(path):
            if body.lstrip().startswith("HTTP/"):
                add("raw-responses", body)
            elif body.lstrip().startswith("{"):
                add("har", body)
    for path in ["Tests/CacheAuditTests/HARTests.swift", "Tests/ScaleCLITests/CacheCommandTests.swift"]:
        for lit in short_literals(path, r'#"(\{.*?)"#'):
            add("har", lit)
    add("har", """{"log": {"version": "1.2", "entries": [
  {"startedDateTime": "2026-11-23T16:00:00.123Z", "time": 25.5,
   "request": {"method": "GET", "url": "https://example.com/app.3f2a1b.js", "headers": [{"name": "Authorization", "value": "x"}]},
   "response": {"status": 200, "httpVersion": "HTTP/2", "headers": [
     {"name": "Cache-Control", "value": "public, max-age=31536000, immutable"},
     {"name": "Date", "value": "Mon, 23 Nov 2026 16:00:00 GMT"}, {"name": "Age", "value": "12"},
     {"name": "ETag", "value": "W/\"abc\""}, {"name": "CDN-Cache-Control", "value": "max-age=60"},
     {"name": "X-Cache", "value": "HIT, MISS"}, {"name": "CF-Cache-Status", "value": "HIT"},
     {"name": "Last-Modified", "value": "Sunday, 06-Nov-94 08:49:37 GMT"}, {"name": ":status", "value": "200"}]}},
  {"startedDateTime": "2026-11-23T17:00:00+01:00", "time": 1,
   "request": {"method": "POST", "url": "https://example.com/api", "headers": []},
   "response": {"status": 304, "httpVersion": "HTTP/1.1", "headers": [{"name": "Expires", "value": "Sun Nov  6 08:49:37 1994"},
     {"name": "Vary", "value": "*"}, {"name": "Surrogate-Control", "value": "max-age=10"}]}}]}}""")
    cc = list(short_literals("Tests/CacheAuditTests/CacheControlTests.swift", r'"((?:[^"\\]|\\.)*)"'))
    for i in range(0, len(cc), 8):
        add("cache-headers", "\n".join(cc[i:i + 8]))
    dates = list(short_literals("Tests/CacheAuditTests/HTTPDateTests.swift", r'"((?:[^"\\]|\\.)*)"'))
    dates += ["2026-11-23T16:00:00.123Z", "2026-11-23T16:00:00+01:00", "1700000000", "now"]
    for i in range(0, len(dates), 6):
        add("http-date", "\n".join(dates[i:i + 6]))

    # ScaleCore JSON and the unit grammars.
    for path in ["Tests/ScaleCoreTests/JSONParserTests.swift"]:
        for lit in list(short_literals(path, r'#"(.*?)"#')) + [b for _, b in multiline_literals(path)]:
            add("json", b"\x00" + lit.encode())
    for path in ["demo/health.json", "demo/kafka-current.json"]:
        add("json", b"\x04" + read(path))
    units = ["250ms", "30s", "5m", "1h30m", "7d", "10KiB", "5MB", "99.9%", "0.999", "mtbf=1999h,mttr=1h",
             "200-299,304", "1-5", "1,2,3", "1=a,2=b", "1=0.5,2=2", "1.5h", "0", "-1s", "1e3", "99.99%"]
    add("units", "\n".join(units))
    for u in units:
        add("units", u)

    # Availability.
    for lit in short_literals("Tests/AvailabilityTests/TopologyExpressionTests.swift", r'"((?:[^"\\]|\\.)*[=%*|(](?:[^"\\]|\\.)*)"'):
        add("topology-expression", lit)
    add("topology-expression", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=mtbf=1999h,mttr=1h)")
    for _, body in multiline_literals("Tests/AvailabilityTests/TopologyJSONTests.swift"):
        add("topology-json", body)
    for _, body in multiline_literals("Tests/ScaleCLITests/AvailabilityCommandTests.swift"):
        if body.lstrip().startswith("{"):
            add("topology-json", body)

    # Queues.
    add("backlog-samples", read("demo/backlog-orders.csv"))
    add("kafka-lag", read("demo/kafka-lag.txt"))
    for path in ["Tests/QueueBacklogTests/InputParsingTests.swift", "Tests/ScaleCLITests/BacklogCommandTests.swift",
                 "Tests/QueueBacklogTests/PrometheusTextTests.swift", "Tests/ScaleCLITests/BacklogRabbitMQTests.swift",
                 "Tests/ScaleCLITests/BacklogSQSTests.swift"]:
        for name, body in multiline_literals(path):
            lower = name.lower()
            if body.lstrip().startswith("#") or "_total" in body or "{" in body.split("\n")[0] and "=" in body:
                add("prometheus-text", 'depth{queue="orders"}\n' + body)
            if "kafka" in lower or "GROUP" in body:
                add("kafka-lag", body)
            elif body.lstrip().startswith("["):
                add("queue-api", b"\x00" + body.encode())
            elif body.lstrip().startswith("{") and "Attributes" in body:
                add("queue-api", b"\x01" + body.encode())
            elif "," in body and not body.lstrip().startswith("{"):
                add("backlog-samples", body)
    for lit in short_literals("Tests/QueueBacklogTests/PrometheusTextTests.swift", r'#"(\{.*?)"#'):
        add("prometheus-text", 'up{job="node"}\n' + lit)
    for lit in short_literals("Tests/QueueBacklogTests/InputParsingTests.swift", r'#"(\[?\{.*?)"#'):
        add("queue-api", b"\x00" + lit.encode())
        add("queue-api", b"\x01" + lit.encode())

    # RESP: the replies RedisClient meets, as a server sends them.
    for reply in [b"+OK\r\n", b"-ERR unknown command\r\n", b":1000\r\n", b"$5\r\nhello\r\n$-1\r\n",
                  b"*2\r\n$3\r\nfoo\r\n*1\r\n:1\r\n", b"*-1\r\n", b"*3\r\n:1\r\n:2\r\n$0\r\n\r\n",
                  b"$12\r\nused_memory:1\r\n*2\r\n+a\r\n-b\r\n"]:
        add("resp", b"\x00" + reply)
        add("resp", b"\x01" + reply)

    # Rebalance.
    add("kafka-reassignment", read("demo/kafka-current.json"))
    add("assignment-csv", read("demo/kafka-sizes.csv"))
    add("redis-cluster-nodes", read("demo/redis-cluster-nodes.txt"))
    for path in ["Tests/RebalanceTests/InputFormatTests.swift", "Tests/RebalanceTests/RedisSlotTests.swift",
                 "Tests/ScaleCLITests/RebalanceCommandTests.swift"]:
        for _, body in multiline_literals(path):
            if body.lstrip().startswith("{"):
                add("kafka-reassignment", body)
            elif "master" in body or "slave" in body or "myself" in body:
                add("redis-cluster-nodes", body)
            else:
                add("assignment-csv", body)

    # Rings and probes.
    add("ring-nodes", read("demo/ring-nodes.txt"))
    add("ring-nodes", read("demo/ring-nodes-40.txt"))
    add("ring-nodes", "cache-a:11211,cache-b:11211 10,cache-c=3\n# comment\n10.0.0.1:11211 2\n[::1]:6379\n")
    add("probe-targets", read("demo/probe-targets.txt"))
    for name in ("TargetParsingTests", "TargetOptionsTests"):
        for _, body in multiline_literals(f"Tests/HealthProbeTests/{name}.swift"):
            add("probe-targets", body)
    checks = list(short_literals("Tests/HealthProbeTests/JSONCheckTests.swift", r'"(\.(?:[^"\\]|\\.)*)"'))
    body = read("demo/health.json").decode()
    for check in checks or ['.status == "UP"']:
        add("json-check", check + "\n" + body)
    add("json-check", '.checks[0].latency_ms < 250\n{"checks":[{"latency_ms":12,"ok":true}],"status":"UP"}')

    # The whole CLI: the demo's command lines, each file argument replaced by IN with its bytes after.
    for line in read("demo/run.sh").decode().splitlines():
        if not line.startswith("show "):
            continue
        try:
            words = shlex.split(line)[1:]
        except ValueError:
            continue
        body = b""
        args = []
        for w in words:
            if w.startswith("demo/") and not body:
                body = read(w)[:8192]
                args.append("IN")
            elif "/" in w:
                args = None
                break
            else:
                args.append(w.replace(" ", ""))
        if args is not None:
            add("cli", " ".join(args).encode() + b"\n" + body)
    add("cli", b"backlog samples - -o json --critical depth=30\n" + read("demo/backlog-orders.csv"))
    add("cli", b"cdn hits - -o json --by prefix --by time\n" + read("demo/cdn/nginx-access.log")[:4096])
    add("cli", b"cdn hits - --partial out.scp\n" + read("demo/cdn/nginx-access.log")[:2048])
    add("cli", b"cdn merge IN -o json\n" + read("demo/cdn/day-a.scp"))
    add("cli", b"probe https://example.test/health --expect-json .status==\"UP\" -o json\n" + read("demo/health.json"))
    add("cli", b"backlog rabbitmq+http://127.0.0.1:15672 -o json\n[{\"name\":\"orders\",\"vhost\":\"/\",\"messages\":5,\"consumers\":1}]")

if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# scalectl probe against its peers, on the same 1,000 loopback targets served by nginx, in one run,
# first over plain HTTP and then over verified HTTPS (a test CA made here by openssl, trusted beside
# the system bundle; TLS session resumption off on the server, so every probe is a full handshake):
#   (a) Debian's prometheus-blackbox-exporter, probing the same targets through its /probe endpoint
#       with the same concurrency (driven by curl --parallel, as Prometheus would scrape it), and
#   (b) 1,000 sequential `curl` runs, the shell loop people write during an incident.
# Goals: at least 3x less wall time and CPU per probe than blackbox_exporter (issue 5, plain; issue
# 15, HTTPS), and over HTTPS the median `tls` phase within 1.5x of blackbox_exporter's.
# Prints the median wall and CPU time of each (user + system; for blackbox_exporter its own CPU,
# read from /proc, with the driver's shown apart) and the ratios to scalectl.
# Usage: Benchmarks/probe.sh [path/to/scalectl]   (make bench builds the release binary first)
# Environment: TARGETS (1000), CONCURRENCY (64), RUNS (5), SCHEMES ("http https").
# Needs openssl for the HTTPS part.
set -euo pipefail
bin=${1:-.build/release/scalectl}
[ -x "$bin" ] || { echo "no binary at $bin: run 'make release' first" >&2; exit 1; }
for tool in nginx:/usr/sbin/nginx prometheus-blackbox-exporter:/usr/bin/prometheus-blackbox-exporter curl:/usr/bin/curl openssl:/usr/bin/openssl; do
  [ -x "${tool#*:}" ] || { echo "${tool%%:*} is missing: apt-get install ${tool%%:*} (make deps-bench)" >&2; exit 1; }
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/data"
work=$(mktemp -d "$here/data/probe.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
python3 - "$bin" "$work" "${TARGETS:-1000}" "${CONCURRENCY:-64}" "${RUNS:-5}" "${SCHEMES:-http https}" <<'PY'
import json, os, re, signal, socket, statistics, subprocess, sys, time, urllib.parse, urllib.request

binary, work, targets, concurrency, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
schemes = sys.argv[6].split()
TICK = os.sysconf("SC_CLK_TCK")

def free_port():
    # Below the ephemeral range (32768-60999), as the test fixtures do.
    import random
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port)); return port
            except OSError:
                pass
    raise SystemExit("no free port")

def wait_ready(port, path="/"):
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=1).read(); return
        except Exception:
            time.sleep(0.05)
    raise SystemExit(f"nothing answered on port {port}")

# A test CA and a server certificate for the four loopback addresses, signed by it; the trust
# bundle is the system's plus the test CA, as a fleet with an internal CA has it.
def run(*command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
addresses = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
if "https" in schemes:
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=scalectl bench CA")
    run("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    with open(f"{work}/san.cnf", "w") as f:
        f.write("subjectAltName=" + ",".join(f"IP:{a}" for a in addresses) + "\n")
    run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
        "-extfile", "san.cnf", "-out", "server.pem")
    with open(f"{work}/bundle.pem", "w") as f:
        f.write(open("/etc/ssl/certs/ca-certificates.crt").read() + open(f"{work}/ca.pem").read())

# nginx: one worker, no access log, an answer computed in memory; targets spread over four
# loopback addresses so a thousand fresh connections per run never run short of ports.
ports = {"http": free_port(), "https": free_port()}
listens = "\n".join(f"        listen {a}:{ports['http']};" for a in addresses)
tls_listens = "\n".join(f"        listen {a}:{ports['https']} ssl;" for a in addresses)
with open(f"{work}/nginx.conf", "w") as f:
    f.write(f"""worker_processes 1;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
    server {{
{listens}
        location /health/ {{ default_type text/plain; return 200 "ok\\n"; }}
    }}
""" + (f"""    server {{
{tls_listens}
        ssl_certificate {work}/server.pem; ssl_certificate_key {work}/server.key;
        ssl_session_cache off; ssl_session_tickets off;
        location /health/ {{ default_type text/plain; return 200 "ok\\n"; }}
    }}
""" if "https" in schemes else "") + "}\n")
nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", work, "-c", f"{work}/nginx.conf", "-e", f"{work}/error.log",
                          "-g", f"daemon off; pid {work}/nginx.pid; error_log {work}/error.log;"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
bbe_port = free_port()
with open(f"{work}/blackbox.yml", "w") as f:
    f.write("modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      preferred_ip_protocol: ip4\n")
    if "https" in schemes:
        f.write("  https_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      preferred_ip_protocol: ip4\n      fail_if_not_ssl: true\n"
                f"      tls_config:\n        ca_file: {work}/bundle.pem\n")
bbe = subprocess.Popen(["/usr/bin/prometheus-blackbox-exporter", f"--config.file={work}/blackbox.yml",
                        f"--web.listen-address=127.0.0.1:{bbe_port}", "--log.level=warn"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def child_cpu(command, **kw):
    """Wall and CPU (user + system of the command and its children) of one run."""
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.run(command, **kw)
    wall = time.perf_counter() - start
    after = os.times()
    return proc, wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)

def proc_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK

def bench(scheme):
    module = "http_2xx" if scheme == "http" else "https_2xx"
    urls = [f"{scheme}://{addresses[i % 4]}:{ports[scheme]}/health/{i}" for i in range(targets)]
    with open(f"{work}/targets.txt", "w") as f:
        f.write("".join(u + "\n" for u in urls))
    outputs = f"{work}/blackbox-{scheme}"
    os.makedirs(outputs, exist_ok=True)
    with open(f"{work}/blackbox-driver.cfg", "w") as f:
        for i, u in enumerate(urls):
            q = urllib.parse.quote(u, safe="")
            f.write(f'url = "http://127.0.0.1:{bbe_port}/probe?module={module}&target={q}"\noutput = "{outputs}/{i}"\n')
    # Every blackbox probe must succeed, or the comparison is void.
    sample = urllib.request.urlopen(f"http://127.0.0.1:{bbe_port}/probe?module={module}&target={urllib.parse.quote(urls[-1], safe='')}").read().decode()
    if "\nprobe_success 1" not in sample:
        raise SystemExit(f"blackbox_exporter could not probe nginx over {scheme}:\n" + sample)
    tls = {"scalectl probe": [], "blackbox_exporter /probe": []}

    def run_scalectl():
        extra = ["--cacert", f"{work}/bundle.pem"] if scheme == "https" else []
        proc, wall, cpu = child_cpu([binary, "probe", "--targets-file", f"{work}/targets.txt", "--concurrency", str(concurrency),
                                     "-o", "json"] + extra, stdout=subprocess.PIPE)
        results = json.loads(proc.stdout)["results"] if proc.stdout else []
        if proc.returncode != 0 or sum(r["verdict"] == "UP" for r in results) != targets:
            raise SystemExit(f"scalectl probe did not report every target up (exit {proc.returncode})")
        tls["scalectl probe"] += [r["tls_seconds"] for r in results if r["tls_seconds"] is not None]
        return wall, cpu, 0.0

    def run_blackbox():
        before = proc_cpu(bbe.pid)
        proc, wall, driver = child_cpu(["curl", "--silent", "--no-progress-meter", "--parallel", "--parallel-max", str(concurrency),
                                        "--config", f"{work}/blackbox-driver.cfg"], stderr=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise SystemExit(f"the curl driver failed (exit {proc.returncode})")
        cpu = proc_cpu(bbe.pid) - before
        for i in range(targets):
            text = open(f"{outputs}/{i}").read()
            if "\nprobe_success 1" not in text:
                raise SystemExit(f"blackbox_exporter failed a probe of {urls[i]}")
            m = re.search(r'probe_http_duration_seconds\{phase="tls"\} (\S+)', text)
            if m and scheme == "https":
                tls["blackbox_exporter /probe"].append(float(m.group(1)))
        return wall, cpu, driver

    def run_curl_loop():
        extra = f'--cacert "{work}/bundle.pem"' if scheme == "https" else ""
        proc, wall, cpu = child_cpu(["bash", "-c", f'while read -r u; do curl {extra} --silent --fail --output /dev/null "$u" || exit 1; done < "$1"',
                                     "loop", f"{work}/targets.txt"])
        if proc.returncode != 0:
            raise SystemExit("a curl run failed")
        return wall, cpu, 0.0

    results = {}
    for name, fn, repeat in [("scalectl probe", run_scalectl, runs), ("blackbox_exporter /probe", run_blackbox, runs),
                             ("sequential curl", run_curl_loop, max(1, runs // 5))]:
        fn()  # warm-up: page cache, DNS-free paths, the exporter's first allocations
        tls.get(name, []).clear()
        samples = [fn() for _ in range(repeat)]
        results[name] = (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
                         statistics.median(s[2] for s in samples), repeat)

    base_wall, base_cpu = results["scalectl probe"][0], results["scalectl probe"][1]
    print(f"{targets} loopback {scheme.upper()} targets on nginx, concurrency {concurrency}; medians")
    print(f"{'peer':<26} {'runs':>4} {'wall s':>8} {'CPU s':>8} {'CPU/probe ms':>13} {'wall ratio':>11} {'CPU ratio':>10}")
    for name, (wall, cpu, extra, repeat) in results.items():
        print(f"{name:<26} {repeat:>4} {wall:>8.3f} {cpu:>8.3f} {cpu / targets * 1000:>13.3f} {wall / base_wall:>11.2f} {cpu / base_cpu:>10.2f}")
    driver = results["blackbox_exporter /probe"][2]
    print(f"(blackbox_exporter's CPU is the exporter's own; its curl driver used another {driver:.3f} s, not counted)")
    wall_ratio = results["blackbox_exporter /probe"][0] / base_wall
    cpu_ratio = results["blackbox_exporter /probe"][1] / base_cpu
    met = wall_ratio >= 3 and cpu_ratio >= 3
    print(f"goal: >= 3x less wall and CPU per probe than blackbox_exporter: {'met' if met else 'NOT met'} "
          f"(wall {wall_ratio:.2f}x, CPU {cpu_ratio:.2f}x)")
    if scheme == "https":
        ours, theirs = statistics.median(tls["scalectl probe"]), statistics.median(tls["blackbox_exporter /probe"])
        print(f"median tls phase: scalectl {ours * 1000:.2f} ms, blackbox_exporter {theirs * 1000:.2f} ms "
              f"({len(tls['scalectl probe'])} and {len(tls['blackbox_exporter /probe'])} probes)")
        print(f"goal: median tls phase within 1.5x of blackbox_exporter's: {'met' if ours <= 1.5 * theirs else 'NOT met'} ({ours / theirs:.2f}x)")
    print()

try:
    wait_ready(ports["http"], "/health/ready")
    wait_ready(bbe_port, "/metrics")
    for scheme in schemes:
        bench(scheme)
finally:
    for p in (bbe, nginx):
        p.send_signal(signal.SIGTERM)
    for p in (bbe, nginx):
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
PY

#!/usr/bin/env bash
# scalectl probe against its peers, on the same 1,000 loopback targets served by nginx, in one run:
#   (a) Debian's prometheus-blackbox-exporter, probing the same targets through its /probe endpoint
#       with the same concurrency (driven by curl --parallel, as Prometheus would scrape it), and
#   (b) 1,000 sequential `curl` runs, the shell loop people write during an incident.
# Goal (issue 5): at least 3x less wall time and CPU per probe than blackbox_exporter.
# Prints the median wall and CPU time of each (user + system; for blackbox_exporter its own CPU,
# read from /proc, with the driver's shown apart) and the ratios to scalectl.
# Usage: Benchmarks/probe.sh [path/to/scalectl]   (make bench builds the release binary first)
# Environment: TARGETS (1000), CONCURRENCY (64), RUNS (5).
set -euo pipefail
bin=${1:-.build/release/scalectl}
[ -x "$bin" ] || { echo "no binary at $bin: run 'make release' first" >&2; exit 1; }
for tool in nginx:/usr/sbin/nginx prometheus-blackbox-exporter:/usr/bin/prometheus-blackbox-exporter curl:/usr/bin/curl; do
  [ -x "${tool#*:}" ] || { echo "${tool%%:*} is missing: apt-get install ${tool%%:*} (make deps-bench)" >&2; exit 1; }
done
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$here/data"
work=$(mktemp -d "$here/data/probe.XXXXXX")
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
python3 - "$bin" "$work" "${TARGETS:-1000}" "${CONCURRENCY:-64}" "${RUNS:-5}" <<'PY'
import os, signal, socket, statistics, subprocess, sys, time, urllib.parse, urllib.request

binary, work, targets, concurrency, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
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

# nginx: one worker, no access log, an answer computed in memory; targets spread over four
# loopback addresses so a thousand fresh connections per run never run short of ports.
nginx_port = free_port()
addresses = ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]
listens = "\n".join(f"        listen {a}:{nginx_port};" for a in addresses)
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
}}
""")
nginx = subprocess.Popen(["/usr/sbin/nginx", "-p", work, "-c", f"{work}/nginx.conf", "-e", f"{work}/error.log",
                          "-g", f"daemon off; pid {work}/nginx.pid; error_log {work}/error.log;"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
bbe_port = free_port()
with open(f"{work}/blackbox.yml", "w") as f:
    f.write("modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      preferred_ip_protocol: ip4\n")
bbe = subprocess.Popen(["/usr/bin/prometheus-blackbox-exporter", f"--config.file={work}/blackbox.yml",
                        f"--web.listen-address=127.0.0.1:{bbe_port}", "--log.level=warn"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_ready(nginx_port, "/health/ready")
    wait_ready(bbe_port, "/metrics")
    urls = [f"http://{addresses[i % 4]}:{nginx_port}/health/{i}" for i in range(targets)]
    with open(f"{work}/targets.txt", "w") as f:
        f.write("".join(u + "\n" for u in urls))
    with open(f"{work}/blackbox-driver.cfg", "w") as f:
        for u in urls:
            q = urllib.parse.quote(u, safe="")
            f.write(f'url = "http://127.0.0.1:{bbe_port}/probe?module=http_2xx&target={q}"\noutput = "/dev/null"\n')
    # Every blackbox probe must succeed, or the comparison is void.
    sample = urllib.request.urlopen(f"http://127.0.0.1:{bbe_port}/probe?module=http_2xx&target={urllib.parse.quote(urls[-1], safe='')}").read().decode()
    if "\nprobe_success 1" not in sample:
        raise SystemExit("blackbox_exporter could not probe nginx:\n" + sample)

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

    def run_scalectl():
        proc, wall, cpu = child_cpu([binary, "probe", "--targets-file", f"{work}/targets.txt", "--concurrency", str(concurrency),
                                     "-o", "json"], stdout=subprocess.PIPE)
        if proc.returncode != 0 or proc.stdout.count(b'"verdict": "UP"') != targets:
            raise SystemExit(f"scalectl probe did not report every target up (exit {proc.returncode})")
        return wall, cpu, 0.0

    def run_blackbox():
        before = proc_cpu(bbe.pid)
        proc, wall, driver = child_cpu(["curl", "--silent", "--no-progress-meter", "--parallel", "--parallel-max", str(concurrency),
                                        "--config", f"{work}/blackbox-driver.cfg"], stderr=subprocess.DEVNULL)
        if proc.returncode != 0:
            raise SystemExit(f"the curl driver failed (exit {proc.returncode})")
        return wall, proc_cpu(bbe.pid) - before, driver

    def run_curl_loop():
        proc, wall, cpu = child_cpu(["bash", "-c", 'while read -r u; do curl --silent --fail --output /dev/null "$u" || exit 1; done < "$1"',
                                     "loop", f"{work}/targets.txt"])
        if proc.returncode != 0:
            raise SystemExit("a curl run failed")
        return wall, cpu, 0.0

    results = {}
    for name, fn, repeat in [("scalectl probe", run_scalectl, runs), ("blackbox_exporter /probe", run_blackbox, runs),
                             ("sequential curl", run_curl_loop, max(1, runs // 5))]:
        fn()  # warm-up: page cache, DNS-free paths, the exporter's first allocations
        samples = [fn() for _ in range(repeat)]
        results[name] = (statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples),
                         statistics.median(s[2] for s in samples), repeat)

    base_wall, base_cpu = results["scalectl probe"][0], results["scalectl probe"][1]
    print(f"{targets} loopback targets on nginx, concurrency {concurrency}; medians")
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
finally:
    for p in (bbe, nginx):
        p.send_signal(signal.SIGTERM)
    for p in (bbe, nginx):
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
PY

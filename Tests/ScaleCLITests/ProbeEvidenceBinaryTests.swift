import Glibc
import Synchronization
import Testing
import TestSupport

/// "Never a false OK" for probe, through the built binary and real sockets: a proxy in the
/// environment, an outage in the middle of a watch, a TLS handshake that hangs, no route to
/// the host, SIGTERM mid-watch and piped ndjson.
@Suite("scalectl probe: every verdict rests on evidence, end to end")
struct ProbeEvidenceBinaryTests {
    static let enabled = BinaryTests.binary != nil || ServerRequirement.isCI
    static let environment = ["PATH": "/usr/bin:/bin"]

    /// Reads one JSON document from stdin and prints what `script` asks of it (`doc`).
    static func jq(_ json: String, _ script: String) -> ProcessResult {
        Subprocess.run(["python3", "-c", "import json, sys\ndoc = json.load(sys.stdin)\n" + script], input: json)
    }

    @Test("--proxy-from-env uses http_proxy as curl does, honours NO_PROXY, names the variable but never its password",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func proxyFromTheEnvironmentWhenAsked() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let proxy = try LoopbackHTTPServer { _ in .text("proxied\n") }
        defer { proxy.stop() }
        let closed = try RefusedPort()
        let target = "http://127.0.0.1:\(closed.port)/health"
        let secret = "s3cret-env-pass"
        var environment = Self.environment
        environment["http_proxy"] = "http://probe:\(secret)@127.0.0.1:\(proxy.port)"

        let asked = Subprocess.run([bin, "probe", "--proxy-from-env", target], environment: environment)
        #expect(asked.status == 0, "through the proxy, which answers 200\n\(asked.output)\(asked.errors)")
        #expect(asked.output.contains("note: requests went through the proxy that http_proxy names (--proxy-from-env)"), "\(asked.output)")
        #expect(!asked.output.contains(secret) && !asked.errors.contains(secret))
        #expect(proxy.requestCount == 1)
        #expect(proxy.receivedRequests.first?.target == target, "a proxy is sent the absolute URL")

        environment["NO_PROXY"] = "127.0.0.1"
        let excepted = Subprocess.run([bin, "probe", "--proxy-from-env", target], environment: environment)
        #expect(excepted.status == 2 && excepted.output.contains("refused"), "NO_PROXY lists the host: direct, refused\n\(excepted.output)")
        #expect(proxy.requestCount == 1)

        let both = Subprocess.run([bin, "probe", "--proxy-from-env", "--proxy", "http://127.0.0.1:\(proxy.port)", target], environment: environment)
        #expect(both.status == 64 && both.errors.contains("--proxy-from-env and --proxy exclude each other"))
    }

    @Test("http_proxy in the environment is ignored: a refused target is DOWN and the proxy sees nothing; --proxy uses it and says so",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func proxyFromTheEnvironment() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        // A proxy that answers 200 to everything: through it, any target would look UP.
        let proxy = try LoopbackHTTPServer { _ in .text("proxied\n") }
        defer { proxy.stop() }
        let closed = try RefusedPort()
        let target = "http://127.0.0.1:\(closed.port)/health"
        var environment = Self.environment
        for name in ["http_proxy", "HTTPS_PROXY", "ALL_PROXY"] { environment[name] = proxy.baseURL }

        let direct = Subprocess.run([bin, "probe", "-o", "json", target], environment: environment)
        #expect(direct.status == 2, "\(direct.output)\(direct.errors)")
        let directFacts = Self.jq(direct.output, """
            r = doc["results"][0]
            print(r["verdict"], r["reason"], r["status_code"])
            print(doc["notes"])
            """)
        #expect(directFacts.output == """
            DOWN refused None
            ['http_proxy, HTTPS_PROXY, ALL_PROXY are set in the environment and ignored: requests went direct; give --proxy URL to go through a proxy']

            """, "\(directFacts.errors)")
        #expect(proxy.requestCount == 0, "no request reached the proxy")

        let secret = "s3cret-proxy-pass"
        let proxyURL = "http://probe:\(secret)@127.0.0.1:\(proxy.port)"
        let viaProxy = Subprocess.run([bin, "probe", "--proxy", proxyURL, target], environment: environment)
        #expect(viaProxy.status == 0, "\(viaProxy.output)\(viaProxy.errors)")
        #expect(viaProxy.output.contains("\(target)  UP "))
        #expect(viaProxy.output.contains("note: requests went through the proxy http://probe:***@127.0.0.1:\(proxy.port) (--proxy)"))
        #expect(!viaProxy.output.contains(secret) && !viaProxy.errors.contains(secret))
        #expect(proxy.requestCount == 1)
        #expect(proxy.receivedRequests.first?.target == target, "a proxy is sent the absolute URL")
        #expect(proxy.receivedRequests.first?.values(for: "Proxy-Authorization").isEmpty == false)

        let bad = Subprocess.run([bin, "probe", "--proxy", "ftp://u:\(secret)@127.0.0.1:1", target], environment: environment)
        #expect(bad.status == 64)
        #expect(bad.errors.contains("--proxy") && !bad.errors.contains(secret), "\(bad.errors)")
    }

    @Test("cache audit follows the same rule: proxy variables ignored, --proxy used and noted",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func cacheAuditProxy() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let proxy = try LoopbackHTTPServer { _ in
            .respond(status: 200, headers: [.init("Cache-Control", "max-age=60"), .init("ETag", "\"p\"")], body: Array("proxied".utf8))
        }
        defer { proxy.stop() }
        let closed = try RefusedPort()
        let target = "http://127.0.0.1:\(closed.port)/app.css"
        var environment = Self.environment
        environment["http_proxy"] = proxy.baseURL

        let direct = Subprocess.run([bin, "cache", "audit", "-o", "json", target], environment: environment)
        #expect(direct.status == 2, "the URL could not be fetched\n\(direct.output)\(direct.errors)")
        #expect(direct.output.contains("refused"))
        #expect(direct.output.contains("http_proxy is set in the environment and ignored"))
        #expect(proxy.requestCount == 0)

        let viaProxy = Subprocess.run([bin, "cache", "audit", "--proxy", proxy.baseURL, target], environment: environment)
        #expect(viaProxy.output.contains("CACHE020"), "\(viaProxy.output)\(viaProxy.errors)")
        #expect(viaProxy.output.contains("note: requests went through the proxy \(proxy.baseURL) (--proxy)"))
        #expect(proxy.requestCount == 1)

        let fromEnvironment = Subprocess.run([bin, "cache", "audit", "--proxy-from-env", target], environment: environment)
        #expect(fromEnvironment.output.contains("CACHE020"), "\(fromEnvironment.output)\(fromEnvironment.errors)")
        #expect(fromEnvironment.output.contains("note: requests went through the proxy that http_proxy names (--proxy-from-env)"))
        #expect(proxy.requestCount == 2)
        let saved = Subprocess.run([bin, "cache", "audit", "--proxy-from-env", "--headers", "-"], input: "HTTP/1.1 200 OK\r\n\r\n", environment: environment)
        #expect(saved.status == 64 && saved.errors.contains("--proxy-from-env: applies only to live URLs"), "\(saved.errors)")
    }

    @Test("backlog's HTTP sources follow the same rule; --proxy with only Redis sources is refused",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func backlogProxy() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let proxy = try LoopbackHTTPServer { _ in .text("jobs_depth 5\n") }
        defer { proxy.stop() }
        let closed = try RefusedPort()
        let source = "metrics+http://127.0.0.1:\(closed.port)/metrics"
        var environment = Self.environment
        environment["http_proxy"] = proxy.baseURL

        let direct = Subprocess.run([bin, "backlog", source, "--metric", "jobs_depth"], environment: environment)
        #expect(direct.status == 3, "the source could not be read\n\(direct.output)\(direct.errors)")
        #expect(direct.output.contains("note: http_proxy is set in the environment and ignored"))
        #expect(proxy.requestCount == 0)

        let viaProxy = Subprocess.run([bin, "backlog", source, "--metric", "jobs_depth", "--proxy", proxy.baseURL, "-o", "csv"],
                                      environment: environment)
        #expect(viaProxy.status == 0, "\(viaProxy.output)\(viaProxy.errors)")
        #expect(proxy.requestCount == 1)

        let redisOnly = Subprocess.run([bin, "backlog", "redis://127.0.0.1:\(closed.port)/0/jobs", "--proxy", proxy.baseURL],
                                       environment: environment)
        #expect(redisOnly.status == 64)
        #expect(redisOnly.errors.contains("--proxy: applies only to HTTP sources"), "\(redisOnly.errors)")

        let fromEnvironment = Subprocess.run([bin, "backlog", source, "--metric", "jobs_depth", "--proxy-from-env", "-o", "csv"],
                                             environment: environment)
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.output)\(fromEnvironment.errors)")
        #expect(fromEnvironment.errors.contains("requests went through the proxy that http_proxy names (--proxy-from-env)"), "\(fromEnvironment.errors)")
        #expect(proxy.requestCount == 2)
        let redisFromEnvironment = Subprocess.run([bin, "backlog", "redis://127.0.0.1:\(closed.port)/0/jobs", "--proxy-from-env"],
                                                  environment: environment)
        #expect(redisFromEnvironment.status == 64)
        #expect(redisFromEnvironment.errors.contains("--proxy-from-env: applies only to HTTP sources"), "\(redisFromEnvironment.errors)")
    }

    @Test("an outage in the middle of a watch: exit 2 although UP at the end, downtime and time per state, bytes measured",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func outageInTheMiddle() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let outage = OutageSwitch()
        let server = try LoopbackHTTPServer { _ in outage.failing ? .text("down\n", status: 503) : .text("healthy\n") }
        defer { server.stop() }
        let process = Subprocess.start([bin, "probe", "--watch", "--interval", "100ms", "--jitter", "0%", "--duration", "5s",
                                        "--rise", "1", "--fall", "1", "-o", "json", "\(server.baseURL)/a", "\(server.baseURL)/b"],
                                       environment: Self.environment)
        // The outage starts once both targets were seen UP (a busy machine may take a while to
        // start the watch) and is timed here: the watch must measure what the test did.
        for _ in 0..<200 where server.requestCount < 4 { usleep(20_000) }
        usleep(200_000)
        let start = monotonicSeconds()
        outage.failing = true
        usleep(1_000_000)
        outage.failing = false
        let outageSeconds = monotonicSeconds() - start
        let result = process.wait(timeout: 20)
        #expect(result.status == 2, "\(result.output)\(result.errors)")
        // Down from the first failing probe to the first passing one: the outage within a
        // probe interval and a probe's time either side.
        let facts = Self.jq(result.output, """
            s = doc["summary"]
            print(s["status"], s["final_status"], s["up"])
            for r in doc["results"]:
                print(r["state"], r["status"], r["bytes"], r["transitions"],
                      abs(r["downtime_seconds"] - \(outageSeconds)) <= 0.4, abs(r["down_seconds"] - \(outageSeconds)) <= 0.4,
                      round(r["up_seconds"] + r["down_seconds"] + r["unknown_seconds"]) == round(s["elapsed_seconds"]))
            """)
        #expect(facts.output == """
            CRITICAL OK 2
            UP CRITICAL 8 3 True True True
            UP CRITICAL 8 3 True True True

            """, "\(facts.errors)\n\(result.output)")
    }

    @Test("a TLS handshake that hangs is a tls timeout, with the TCP connect time and the address connected to",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func tlsTimeout() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let silent = try SilentListener()
        let result = Subprocess.run([bin, "probe", "--timeout", "500ms", "-o", "json", "https://127.0.0.1:\(silent.port)/"],
                                    environment: Self.environment)
        #expect(result.status == 2)
        let facts = Self.jq(result.output, """
            r = doc["results"][0]
            print(r["reason"], r["connect_seconds"] is not None and 0 < r["connect_seconds"] < 0.5, r["tls_seconds"], r["first_byte_seconds"], r["remote_ip"])
            """)
        #expect(facts.output == "tls timeout True None None 127.0.0.1\n", "\(facts.errors)\n\(result.output)")
    }

    /// A network namespace of its own needs root (CAP_SYS_ADMIN); without it the errno
    /// mapping is still tested directly in FailureKindTests.
    static let canUnshare = Subprocess.which("unshare") != nil && Subprocess.run(["unshare", "--net", "true"]).status == 0

    @Test("no route to the host is unreachable, not refused (in a network namespace of its own: the host's routes are untouched)",
          .enabled(if: enabled, "build the binary first (swift build)"),
          .enabled(if: canUnshare, "unshare --net is not allowed here"))
    func unreachable() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        // A fresh namespace has only lo: 198.51.100.1 has no route (ENETUNREACH), and an
        // `unreachable` route there makes 203.0.113.1 EHOSTUNREACH. Nothing leaves the machine,
        // and the namespace, its routes with it, goes when the process ends.
        let setup = "ip link set lo up && ip route add unreachable 203.0.113.0/24"
        let result = Subprocess.run(["unshare", "--net", "sh", "-c", "\(setup) && exec '\(bin)' probe -o csv http://198.51.100.1/ http://203.0.113.1/"],
                                    environment: Self.environment)
        #expect(result.status == 2, "\(result.errors)")
        let lines = result.output.split(separator: "\r\n").map(String.init)
        #expect(lines.count == 3, "\(result.output)")
        #expect(lines.dropFirst().allSatisfy { $0.contains(",DOWN,CRITICAL,unreachable,") }, "\(result.output)")
    }

    /// `--cert <(vault read …)`: libcurl opens the certificate again for every connection, and a
    /// pipe is empty after the first read, so every target would fail TLS. A FIFO (or any pipe) is
    /// refused up front, naming the flag, without blocking on it.
    @Test("--cert, --key and --cacert that are pipes are refused at once, not drained",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func certificateFromAPipe() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let dir = try TemporaryDirectory(prefix: "scalectl-certfifo")
        defer { dir.remove() }
        #expect(mkfifo(dir.path + "/cert.pem", 0o600) == 0)
        for option in ["--cert", "--cacert"] {
            let result = Subprocess.start([bin, "probe", option, dir.path + "/cert.pem", "https://127.0.0.1:1/"], environment: Self.environment)
                .wait(timeout: 10)
            #expect(result.status == 3, "\(option): \(result.output)\(result.errors)")
            #expect(result.errors.contains("\(option): the ") && result.errors.contains("is a pipe"), "\(result.errors)")
        }
        try dir.write("client.pem", Array("-----BEGIN CERTIFICATE-----\n".utf8))
        let key = Subprocess.start([bin, "probe", "--cert", dir.path + "/client.pem", "--key", dir.path + "/cert.pem", "https://127.0.0.1:1/"],
                                   environment: Self.environment).wait(timeout: 10)
        #expect(key.status == 3 && key.errors.contains("--key"), "\(key.errors)")
    }

    @Test("SIGTERM ends a watch with its final report and the worst status seen, not 143",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func sigterm() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let server = try LoopbackHTTPServer(routes: ["/ok": .text("fine\n"), "/down": .text("no\n", status: 503)])
        defer { server.stop() }
        let healthy = Subprocess.start([bin, "probe", "--watch", "--interval", "100ms", "\(server.baseURL)/ok"], environment: Self.environment)
        usleep(1_000_000)
        healthy.send(SIGTERM)
        let ok = healthy.wait(timeout: 10)
        #expect(ok.status == 0, "UP after two successes: OK\n\(ok.errors)")
        #expect(ok.output.contains("\(server.baseURL)/ok  UP     UP"), "\(ok.output)")
        #expect(ok.output.contains("STATUS:              OK"))
        #expect(ok.output.hasSuffix("; the status is the worst seen until then\n"), "\(ok.output)")
        #expect(ok.output.contains("note: stopped by SIGTERM after"))

        let failing = Subprocess.start([bin, "probe", "--watch", "--interval", "100ms", "--fall", "2", "-o", "json", "\(server.baseURL)/down"],
                                       environment: Self.environment)
        usleep(1_000_000)
        failing.send(SIGTERM)
        let critical = failing.wait(timeout: 10)
        #expect(critical.status == 2, "\(critical.errors)")
        let facts = Self.jq(critical.output, "print(doc['summary']['status'], doc['results'][0]['state'], doc['notes'][-1][:18])")
        #expect(facts.output == "CRITICAL DOWN stopped by SIGTERM\n", "\(facts.errors)\n\(critical.output)")
    }

    @Test("piped ndjson is flushed every round: the first line arrives while the watch still runs",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func ndjsonThroughAPipe() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let server = try LoopbackHTTPServer(routes: ["/ok": .text("fine\n")])
        defer { server.stop() }
        let reader = Subprocess.run(["python3", "-c", """
            import json, subprocess, sys, time
            start = time.monotonic()
            p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE)
            first = json.loads(p.stdout.readline())
            at = time.monotonic() - start
            running = p.poll() is None
            rest = p.stdout.read().decode().splitlines()
            print(first["type"], at < 2.5, running, p.wait(), json.loads(rest[-1])["type"])
            """, bin, "probe", "--watch", "--interval", "200ms", "--duration", "4s", "-o", "ndjson", "\(server.baseURL)/ok"])
        #expect(reader.output == "probe True True 0 summary\n", "\(reader.errors)")
    }
}

/// The outage a test switches on and off while the binary watches.
final class OutageSwitch: Sendable {
    private let state = Atomic<Bool>(false)
    var failing: Bool {
        get { state.load(ordering: .sequentiallyConsistent) }
        set { state.store(newValue, ordering: .sequentiallyConsistent) }
    }
}

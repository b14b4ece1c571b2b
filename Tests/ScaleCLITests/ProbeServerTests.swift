import Glibc
import ScaleCLI
import ScaleCore
import Testing
import TestSupport

/// scalectl probe against real servers on loopback: Debian's nginx for what a user meets in
/// production, and the scripted loopback server for what nginx will not do on demand
/// (answer slowly, hang up early). Results are read back through python3's json module.
@Suite("scalectl probe against real servers")
struct ProbeServerTests {
    static let health = #"{"status":"UP","checks":{"db":{"status":"UP","latency_ms":12}}}"#
    static let files: [String: [UInt8]] = [
        "ok.html": Array("healthy\n".utf8),
        "maint.html": Array("down for maintenance\n".utf8),
        "health.json": Array(health.utf8),
        "big.bin": (0..<(1 << 20)).map { UInt8($0 % 251) },
    ]
    static let locations = ["= /down": "return 503;", "= /old": "return 301 /ok.html;"]

    /// Chosen fields of each result, one line per target, via python3's json module.
    static func rows(_ json: String, _ fields: [String]) -> [String] {
        let script = "import json, sys\nfor r in json.load(sys.stdin)['results']:\n    print(' '.join(str(r[f]) for f in \(fields)))"
        let result = Subprocess.run(["python3", "-c", script], input: json)
        return result.output.split(separator: "\n").map(String.init) + (result.status == 0 ? [] : ["python3: \(result.errors)"])
    }

    @Test("nginx: 200, 503 from 'return 503', a 301 redirect, a body cut at --max-body, 404, a TCP connect",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func nginxAnswers() throws {
        let nginx = try NginxFixture(files: Self.files, locations: Self.locations)
        defer { nginx.stop() }
        let base = nginx.baseURL
        let result = run(["probe", "-o", "json", "\(base)/ok.html", "\(base)/down", "\(base)/old", "\(base)/big.bin",
                          "\(base)/nope", "tcp://127.0.0.1:\(nginx.port)"])
        #expect(Self.rows(result.out, ["verdict", "reason", "status_code", "redirects", "remote_ip", "success"]) == [
            "UP None 200 0 127.0.0.1 True",
            "DOWN status 503 503 0 127.0.0.1 False",
            "UP None 301 0 127.0.0.1 True",
            "UP None 200 0 127.0.0.1 True",
            "DOWN status 404 404 0 127.0.0.1 False",
            "UP None None None 127.0.0.1 True",
        ])
        // ok.html is 8 bytes; big.bin is cut at the default 64 KiB.
        let bytes = Self.rows(result.out, ["bytes"])
        #expect(bytes[0] == "8" && bytes[3] == "65536" && bytes[5] == "None")
        #expect(result.status == .critical)
        #expect(result.err == "")
        // Every probe opened a connection of its own: five requests, five connections.
        let numbers = nginx.connectionNumbers(expected: 5)
        #expect(numbers.count == 5)
        #expect(Set(numbers).count == 5)
    }

    @Test("a redirect: an answer by default, followed with --follow, a failure when only 200 is expected",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func redirects() throws {
        let nginx = try NginxFixture(files: Self.files, locations: Self.locations)
        defer { nginx.stop() }
        let old = "\(nginx.baseURL)/old"
        let followed = run(["probe", "-o", "json", "--follow", old])
        #expect(Self.rows(followed.out, ["verdict", "status_code", "redirects", "bytes"]) == ["UP 200 1 8"])
        #expect(followed.status == .ok)
        let strict = run(["probe", "-o", "json", "--expect-status", "200", old])
        #expect(Self.rows(strict.out, ["verdict", "reason"]) == ["DOWN status 301"])
        #expect(strict.status == .critical)
    }

    @Test("body checks: --expect-body, --fail-if-body and --expect-json on what nginx serves",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func bodies() throws {
        let nginx = try NginxFixture(files: Self.files, locations: Self.locations)
        defer { nginx.stop() }
        let base = nginx.baseURL
        let passing = run(["probe", "-o", "json", "--expect-json", ".checks.db.latency_ms < 100", "\(base)/health.json"])
        #expect(Self.rows(passing.out, ["verdict"]) == ["UP"])
        let json = run(["probe", "-o", "json", "--expect-json", #".status == "DOWN""#, "\(base)/health.json"])
        #expect(Self.rows(json.out, ["verdict", "reason"]) == [#"DOWN json .status == "DOWN" is false (.status is "UP")"#])
        let body = run(["probe", "-o", "json", "--expect-body", "^heal", "--fail-if-body", "(?i)MAINTENANCE",
                        "\(base)/ok.html", "\(base)/maint.html"])
        #expect(Self.rows(body.out, ["verdict", "reason"]) == ["UP None", "DOWN body mismatch"])
        let forbidden = run(["probe", "-o", "json", "--fail-if-body", "(?i)MAINTENANCE", "\(base)/maint.html"])
        #expect(Self.rows(forbidden.out, ["reason"]) == ["body matched --fail-if-body"])
        #expect(forbidden.status == .critical)
    }

    @Test("--resolve pins a name nobody can resolve to nginx's address",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func resolve() throws {
        let nginx = try NginxFixture(files: Self.files)
        defer { nginx.stop() }
        let url = "http://backend.invalid:\(nginx.port)/ok.html"
        let pinned = run(["probe", "-o", "json", "--resolve", "backend.invalid:\(nginx.port):127.0.0.1", url])
        #expect(Self.rows(pinned.out, ["verdict", "status_code", "remote_ip"]) == ["UP 200 127.0.0.1"])
        let unpinned = run(["probe", "-o", "json", url])
        #expect(Self.rows(unpinned.out, ["verdict", "reason"]) == ["DOWN dns"])
    }

    /// The fixture's certificate was made by openssl with -days 30 moments before the probe.
    @Test("HTTPS with a self-signed certificate: verified with --cacert, rejected without, expiry days computed",
          .requires(NginxFixture.executable, package: "nginx-light"), .requires(NginxFixture.opensslExecutable, package: "openssl"))
    func tls() throws {
        let nginx = try NginxFixture(files: Self.files, tls: true)
        defer { nginx.stop() }
        let url = "\(nginx.baseURL)/ok.html"
        let cacert = try #require(nginx.certificatePath)

        let trusted = run(["probe", "-o", "json", "--cacert", cacert, url])
        let row = Self.rows(trusted.out, ["verdict", "status_code", "http_version", "tls_days_left", "cert_expiry_epoch_seconds", "tls_seconds"])
        let parts = try #require(row.first).split(separator: " ").map(String.init)
        #expect(parts.prefix(3) == ["UP", "200", "HTTP/2"])
        let days = try #require(Double(parts[3]))
        #expect(days > 29.99 && days <= 30, "\(days)")
        let expiry = try #require(Int64(parts[4]))
        #expect(abs(expiry - (Int64(time(nil)) + 30 * 86_400)) < 300)
        #expect(try #require(Double(parts[5])) > 0, "a TLS handshake took time")
        #expect(trusted.status == .ok)

        let untrusted = run(["probe", "-o", "json", url])
        let refused = try #require(Self.rows(untrusted.out, ["verdict", "reason", "tls_days_left"]).first).split(separator: " ")
        #expect(refused.prefix(3) == ["DOWN", "tls:", "self-signed"])
        let refusedDays = try #require(Double(String(refused.last!)), "the days from the second handshake")
        #expect(refusedDays > 29.99 && refusedDays <= 30, "\(refusedDays)")
        #expect(untrusted.status == .critical)

        let insecure = run(["probe", "-k", url])
        #expect(insecure.out.hasSuffix("note: TLS verification is off (--insecure)\n"))
        #expect(insecure.status == .ok)

        let expiring = run(["probe", "-o", "json", "--cacert", cacert, "--tls-min-days", "31", url])
        #expect(Self.rows(expiring.out, ["verdict", "status", "reason"]) == ["UP WARNING certificate expires in 30.0 days"])
        #expect(expiring.status == .warning)
        let critical = run(["probe", "--cacert", cacert, "--tls-min-days", "45,31", url])
        #expect(critical.status == .critical)
    }

    @Test("a JSON body cut at --max-body is not checked, and the reason says why",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func jsonLargerThanMaxBody() throws {
        let nginx = try NginxFixture(files: ["health.json": Array(Self.health.utf8)])
        defer { nginx.stop() }
        let check = ["probe", "-o", "json", "--expect-json", ".status == \"UP\"", "\(nginx.baseURL)/health.json"]
        // The whole document passes; its first 16 bytes are not JSON, and that is our limit's doing.
        #expect(Self.rows(run(check).out, ["verdict", "reason"]) == ["UP None"])
        let cut = run(check + ["--max-body", "16"])
        #expect(Self.rows(cut.out, ["verdict", "bytes", "reason"]) == ["DOWN 16 body larger than --max-body 16 bytes: --expect-json not checked"])
        #expect(cut.status == .critical)
    }

    @Test("a refused certificate: the reason names the cause, and TLS DAYS comes from a second, unverified handshake when verification refused the chain",
          .requires(NginxFixture.executable, package: "nginx-light"), .requires(NginxFixture.opensslExecutable, package: "openssl"))
    func certificateCauses() throws {
        let ca = try TestCertificateAuthority(), otherCA = try TestCertificateAuthority()
        defer { ca.remove(); otherCA.remove() }
        let now = Int(time(nil))
        let expired = try ca.issue("expired", notBefore: Self.certificateTime(now - 800 * 86_400),
                                   notAfter: Self.certificateTime(now - 400 * 86_400))
        let servers = [
            try NginxFixture(files: Self.files, tls: true, certificate: expired),
            try NginxFixture(files: Self.files, tls: true),
            try NginxFixture(files: Self.files, tls: true, certificate: ca.issue("other-host", subjectAltName: "DNS:other.example")),
            try NginxFixture(files: Self.files, tls: true, certificate: otherCA.issue("unknown-ca")),
        ]
        defer { for server in servers { server.stop() } }
        let urls = servers.map { "\($0.baseURL)/ok.html" }
        // The notAfter as openssl prints it, turned into seconds by python's ssl module.
        let notAfter = try Self.notAfter(expired.certificatePath)

        let before = Double(time(nil))
        let verified = run(["probe", "-o", "json", "--cacert", ca.certificatePath] + urls)
        let after = Double(time(nil)) + 1  // time() drops the fraction of the second the run ended in
        let rows = Self.rows(verified.out, ["verdict", "tls_days_left", "reason"]).map { $0.split(separator: " ", maxSplits: 2).map(String.init) }
        try #require(rows.count == 4, "\(verified.out)")
        let days = try #require(Double(rows[0][1]))
        #expect(days <= -(before - notAfter) / 86_400 && days >= -(after - notAfter) / 86_400, "TLS DAYS is -(now - notAfter)")
        let shown = [before, after].map { "tls: certificate expired \(Format.decimal(($0 - notAfter) / 86_400, places: 1)) days ago" }
        #expect(rows[0][0] == "DOWN" && shown.contains(rows[0][2]), "\(rows[0]) vs \(shown)")
        #expect(rows[0][2].hasPrefix("tls: certificate expired 400."), "notAfter 400 days ago")
        #expect(rows[1][0] == "DOWN" && rows[1][2] == "tls: self-signed")
        #expect(rows[2][0] == "DOWN" && rows[2][2] == "tls: hostname mismatch")
        #expect(rows[3][0] == "DOWN" && rows[3][2] == "tls: unknown CA")
        for row in rows.dropFirst() {
            // The fixtures' certificates were made with -days 30 moments ago.
            let left = try #require(Double(row[1]), "\(row)")
            #expect(left > 29.9 && left <= 30, "\(row)")
        }
        #expect(verified.status == .critical)

        // The refused probe's own timings stand: its handshake never finished, so no tls phase.
        let phases = Self.rows(verified.out, ["tls_seconds", "status_code"])
        #expect(phases.first == "None None")

        let table = run(["probe", "--cacert", ca.certificatePath] + urls)
        #expect(table.out.contains("tls: hostname mismatch"))
        #expect(table.out.contains("tls: certificate expired 400."))

        // tls:// targets: the same handshake, the same days.
        let tlsURL = "tls://" + servers[0].baseURL.dropFirst("https://".count)
        let tlsRow = Self.rows(run(["probe", "-o", "json", "--cacert", ca.certificatePath, tlsURL]).out, ["verdict", "reason"])
        #expect(tlsRow.count == 1 && tlsRow[0].hasPrefix("DOWN tls: certificate expired 400."), "\(tlsRow)")

        // A watch: every probe's row names the days, the verdict stays DOWN.
        let watch = run(["probe", "--watch", "--count", "3", "--interval", "50ms", "-o", "ndjson", "--cacert", ca.certificatePath, urls[0]])
        let probes = watch.out.split(separator: "\n").filter { $0.contains(#""type": "probe""#) }
        #expect(probes.count == 3, "\(watch.out)")
        #expect(probes.allSatisfy { $0.contains("tls: certificate expired 400.") }, "\(watch.out)")
        #expect(watch.status == .critical)

        let insecure = run(["probe", "-o", "json", "-k", urls[0]])
        let answered = try #require(Self.rows(insecure.out, ["verdict", "status", "tls_days_left"]).first).split(separator: " ")
        #expect(answered.prefix(2) == ["UP", "CRITICAL"])
        #expect(abs(try #require(Double(String(answered[2]))) + (Double(time(nil)) - notAfter) / 86_400) < 0.01)
    }

    /// `YYYYMMDDHHMMSSZ` for `openssl ca -startdate/-enddate`.
    static func certificateTime(_ epochSeconds: Int) -> String {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y%m%d%H%M%SZ", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A certificate's notAfter in seconds since 1970: `openssl x509 -enddate`, read by python's ssl module.
    static func notAfter(_ certificate: String) throws -> Double {
        let printed = Subprocess.run([NginxFixture.opensslExecutable, "x509", "-noout", "-enddate", "-in", certificate])
        let line = try #require(printed.output.split(separator: "\n").first, "\(printed.errors)")
        let text = String(try #require(line.split(separator: "=", maxSplits: 1).last))
        let seconds = Subprocess.run(["python3", "-c", "import ssl, sys; print(ssl.cert_time_to_seconds(sys.argv[1]))", text])
        return try #require(seconds.output.split(separator: "\n").first.flatMap { Double(String($0)) }, "\(text): \(seconds.errors)")
    }

    @Test("the loopback server: a slow answer times out waiting for the first byte, an early close is a protocol error, a closed port is refused, a slowish one is WARNING")
    func misbehaviour() throws {
        let server = try LoopbackHTTPServer(routes: [
            "/slow": .delayed(seconds: 3, then: .text("late")),
            "/slowish": .delayed(seconds: 0.15, then: .text("ok")),
            "/close": .closeWithoutResponse,
            "/partial": .partialHeadersThenClose,
        ])
        defer { server.stop() }
        let closed = try RefusedPort()
        let base = server.baseURL
        let (result, elapsed) = timed {
            run(["probe", "-o", "json", "--timeout", "400ms", "--warning", "100ms", "\(base)/slow", "\(base)/slowish",
                 "\(base)/close", "\(base)/partial", "http://127.0.0.1:\(closed.port)/", "tcp://127.0.0.1:\(closed.port)"])
        }
        let rows = Self.rows(result.out, ["verdict", "status", "reason"])
        #expect(rows.count == 6)
        guard rows.count == 6 else { return }
        #expect(rows[0] == "DOWN CRITICAL first-byte timeout")
        #expect(rows[1].hasPrefix("UP WARNING slow: ") && rows[1].hasSuffix("ms > 100ms"), "\(rows[1])")
        #expect(rows[2...] == ["DOWN CRITICAL protocol error", "DOWN CRITICAL protocol error", "DOWN CRITICAL refused", "DOWN CRITICAL refused"])
        let total = try #require(Double(Self.rows(result.out, ["total_seconds"])[0]))
        #expect(total >= 0.39 && total < 1, "the timeout is when it gave up: \(total)")
        #expect(elapsed < 2, "probes ran concurrently, bounded by the timeout")
        #expect(result.status == .critical)
    }

    @Test("credentials in the URL and the Authorization header reach the server and nothing else",
          arguments: [OutputFormat.table, .json, .ndjson, .csv, .prometheus])
    func redaction(format: OutputFormat) throws {
        let server = try LoopbackHTTPServer(routes: ["/auth": .text("welcome")])
        defer { server.stop() }
        let url = "http://alice:hunter22pw@127.0.0.1:\(server.port)/auth"
        let result = run(["probe", url, "-H", "Authorization: Bearer s3cr3t-t0ken", "-o", format.rawValue])
        #expect(server.receivedRequests.first?.values(for: "Authorization") == ["Bearer s3cr3t-t0ken"])
        for secret in ["hunter22pw", "s3cr3t-t0ken"] {
            #expect(!result.out.contains(secret) && !result.err.contains(secret))
        }
        #expect(result.out.contains("alice:***@127.0.0.1"))
        #expect(result.status == .ok)
    }

    @Test("prometheus output of a real round passes promtool",
          .requires(NginxFixture.executable, package: "nginx-light"), .requires("/usr/bin/promtool", package: "prometheus"))
    func prometheus() throws {
        let nginx = try NginxFixture(files: Self.files, locations: Self.locations)
        defer { nginx.stop() }
        let result = run(["probe", "-o", "prometheus", "\(nginx.baseURL)/ok.html", "\(nginx.baseURL)/down", "tcp://127.0.0.1:\(nginx.port)"])
        let lint = Subprocess.run(["promtool", "check", "metrics"], input: result.out)
        #expect(lint.status == 0, "promtool: \(lint.output)\(lint.errors)")
        #expect(result.out.contains(#"probe_http_status_code{target="\#(nginx.baseURL)/down",url="\#(nginx.baseURL)/down"} 503"#))
    }

    /// One thread, one session: a target that hangs until its timeout must not hold back the
    /// others, and is never probed a second time while its first probe runs.
    @Test("watch: a hanging target delays no other and is never probed twice at once",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func watchWithAHangingTarget() throws {
        let nginx = try NginxFixture(files: Self.files)
        defer { nginx.stop() }
        let hanging = try LoopbackHTTPServer(handler: { _ in .delayed(seconds: 0.7, then: .text("late")) })
        defer { hanging.stop() }
        let result = run(["probe", "--watch", "--interval", "100ms", "--duration", "1s", "--timeout", "2s", "-o", "ndjson",
                          "\(nginx.baseURL)/ok.html", "\(hanging.baseURL)/"])
        let probes = result.out.split(separator: "\n").filter { $0.contains(#""type": "probe""#) }
        let fast = probes.filter { $0.contains("ok.html") }.count
        #expect(fast >= 7, "the fast target kept its schedule: \(fast) probes in 1 s")
        #expect(hanging.maxConcurrentRequests == 1)
        #expect(hanging.requestCount <= 2)
    }
}

/// Wall-clock seconds `body` took.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try body()
    let elapsed = start.duration(to: clock.now)
    return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

import ScaleCLI
import ScaleCore
import ScaleHTTP
import Synchronization
import Testing
import TestSupport

/// Names to addresses from a table, recording what was asked: a DNS round-robin pool without
/// touching /etc/hosts or a DNS server.
final class TableResolver: AddressResolver {
    let table: [String: [String]]
    private let log = Mutex<[(hosts: [String], ipVersion: HTTPRequest.IPVersion)]>([])

    init(_ table: [String: [String]]) { self.table = table }

    var asked: [(hosts: [String], ipVersion: HTTPRequest.IPVersion)] { log.withLock { $0 } }

    func resolve(_ hosts: [String], ipVersion: HTTPRequest.IPVersion, timeout: Double) -> [String: Result<[String], ResolutionFailure>] {
        log.withLock { $0.append((hosts, ipVersion)) }
        var answers: [String: Result<[String], ResolutionFailure>] = [:]
        for host in hosts {
            answers[host] = table[host].map { .success($0) }
                ?? .failure(ResolutionFailure(message: "could not resolve \(host): Name or service not known", elapsedSeconds: 0.004))
        }
        return answers
    }
}

@Suite("probe --all-addresses")
struct ProbeAllAddressesTests {
    static func run(_ arguments: [String], transport: any HTTPTransport, resolver: TableResolver,
                    standardInput: String = "") -> (out: String, err: String, status: ExitCode) {
        let console = CapturingConsole(isTerminal: false, width: nil, standardInput: Array(standardInput.utf8))
        let services = Services(transport: transport, time: FakeTime(), randomSeed: 1, resolver: resolver)
        let status = ScaleCLI.run(arguments: ["probe"] + arguments, console: console, services: services)
        return (console.output, console.errors, status)
    }

    /// Chosen fields of each result, one line per row, via python3's json module.
    static func rows(_ json: String, _ fields: [String]) -> [String] {
        ProbeServerTests.rows(json, fields)
    }

    @Test("a name becomes one row per address, each request pinned with CURLOPT_RESOLVE and still naming the host")
    func expansion() {
        let url = "https://pool.test:8443/health"
        let transport = ScriptedTransport([url: [Canned.failure(.refused, "Couldn't connect to server", url: url)],
                                           "tcp://10.0.0.9:22": [Canned.ok(0, body: "", ip: "10.0.0.9")]])
        let resolver = TableResolver(["pool.test": ["10.0.0.1", "2001:db8::7"]])
        let result = Self.run(["-o", "json", "--all-addresses", url, "tcp://10.0.0.9:22", "http://gone.test/"],
                              transport: transport, resolver: resolver)
        #expect(Self.rows(result.out, ["target", "url", "verdict", "reason", "remote_ip", "ip_protocol"]) == [
            "https://pool.test:8443/health (10.0.0.1) https://pool.test:8443/health DOWN refused 10.0.0.1 4",
            "https://pool.test:8443/health (2001:db8::7) https://pool.test:8443/health DOWN refused 2001:db8::7 6",
            "tcp://10.0.0.9:22 tcp://10.0.0.9:22 UP None 10.0.0.9 4",
            "http://gone.test/ http://gone.test/ DOWN dns None None",
        ])
        #expect(Self.rows(result.out, ["error"]).last == "could not resolve gone.test: Name or service not known")
        // The IP address is not looked up; the name that failed never reaches the transport.
        #expect(resolver.asked.map(\.hosts) == [["gone.test", "pool.test"]])
        #expect(transport.requests.map(\.url) == [url, url, "tcp://10.0.0.9:22"])
        #expect(transport.requests.map(\.resolve) == [["pool.test:8443:10.0.0.1"], ["pool.test:8443:[2001:db8::7]"], []])
        #expect(result.status == .critical)
    }

    @Test("-6 asks for IPv6 only; a --resolve entry is the answer (deduplicated) and replaces DNS for its HOST:PORT")
    func familyAndResolveEntries() {
        let transport = ScriptedTransport([:])
        let resolver = TableResolver(["a.test": ["::1"]])
        _ = Self.run(["-6", "--all-addresses", "--resolve", "b.test:80:[::1],::1,[::2]", "http://a.test/", "http://b.test/"],
                     transport: transport, resolver: resolver)
        #expect(resolver.asked.map(\.hosts) == [["a.test"]])
        #expect(resolver.asked.map(\.ipVersion) == [.v6])
        #expect(transport.requests.map(\.resolve) == [
            ["b.test:80:[::1],::1,[::2]", "a.test:80:[::1]"],
            ["b.test:80:[::1]"],
            ["b.test:80:[::2]"],
        ])
    }

    @Test("--min-up as a share counts rows; the perfdata's down ranges give the status line's state")
    func minUpShareOfRows() throws {
        let url = "http://pool.test/"
        let transport = ScriptedTransport([url: [Canned.ok()]])
        // 4 rows, 75% of them is 3 up needed: all up is OK.
        let resolver = TableResolver(["pool.test": ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]])
        let result = Self.run(["-o", "nagios", "--all-addresses", "--min-up", "75%", url], transport: transport, resolver: resolver)
        let parsed = try PluginOutput.parse(result.out)
        #expect(parsed.state == "OK")
        #expect(parsed.perfdata.first { $0.label == "down" }.map { [$0.value, $0.warning, $0.critical] } == ["0", "0", "1"])
    }

    @Test("in a watch, a name that did not resolve is DOWN dns at first and left to each later probe")
    func watchLeavesUnresolvedNamesToLaterProbes() {
        let transport = ScriptedTransport([:])
        let resolver = TableResolver(["pool.test": ["10.0.0.1"]])
        let result = Self.run(["--watch", "--count", "2", "--interval", "1s", "--fall", "1", "-o", "ndjson", "--all-addresses",
                               "http://gone.test/", "http://pool.test/"], transport: transport, resolver: resolver)
        // gone.test's first probe was the resolver's failure; only its second reached the transport.
        #expect(transport.requests.filter { $0.url == "http://gone.test/" }.map(\.resolve) == [[]])
        #expect(transport.requests.filter { $0.url == "http://pool.test/" }.map(\.resolve) == [["pool.test:80:10.0.0.1"], ["pool.test:80:10.0.0.1"]])
        let probes = result.out.split(separator: "\n").filter { $0.contains(#""type": "probe""#) && $0.contains("gone.test") }
        #expect(probes.count == 2 && probes.allSatisfy { $0.contains(#""reason": "dns""#) }, "\(result.out)")
        #expect(result.status == .critical)
    }

    /// One URL listed twice (two names, different options) whose name does not resolve: both
    /// listings are DOWN dns, and neither reaches libcurl, with --deadline (a session) or without.
    @Test("a URL listed twice whose name does not resolve is DOWN dns twice, with or without --deadline")
    func unresolvedNameListedTwice() {
        for deadline in [[], ["--deadline", "10s"]] {
            let transport = ScriptedTransport([:])
            let resolver = TableResolver([:])
            let result = Self.run(["-", "-o", "csv", "--all-addresses"] + deadline, transport: transport, resolver: resolver,
                                  standardInput: "http://gone.test/ one\nhttp://gone.test/ two expect-status=404\n")
            #expect(csvRows(result.out, columns: 5) == ["one,http://gone.test/,DOWN,CRITICAL,dns", "two,http://gone.test/,DOWN,CRITICAL,dns"],
                    "\(deadline): \(result.out)\(result.err)")
            #expect(transport.requests.isEmpty, "\(deadline)")
        }
    }

    @Test("a proxy resolves names itself: --all-addresses with --proxy or --proxy-from-env is a usage error")
    func proxyRefused() {
        for flags in [["--proxy", "http://127.0.0.1:3128"], ["--proxy-from-env"]] {
            let transport = ScriptedTransport([:])
            let resolver = TableResolver([:])
            let result = Self.run(["--all-addresses", "http://a.test/"] + flags, transport: transport, resolver: resolver)
            #expect(result.status == .usage)
            #expect(result.err.hasPrefix("scalectl: error: --all-addresses: --all-addresses cannot be combined with \(flags[0])"), "\(result.err)")
            #expect(resolver.asked.isEmpty && transport.requests.isEmpty)
        }
    }

    /// The name is only in the certificate (DNS:pool.test) and the Host header: UP proves SNI,
    /// verification and Host all used the name while the connection went to 127.0.0.1; [::1],
    /// where nothing listens, is the pool's dead member.
    @Test("real nginx over TLS: the address that serves is UP, the one refusing is DOWN; Host and certificate name intact",
          .requires(NginxFixture.executable, package: "nginx-light"), .requires(NginxFixture.opensslExecutable, package: "openssl"))
    func realPoolOverTLS() throws {
        let ca = try TestCertificateAuthority()
        defer { ca.remove() }
        let nginx = try NginxFixture(files: [:], tls: true, certificate: try ca.issue("pool", subjectAltName: "DNS:pool.test"),
                                     serverConfig: #"location / { return 200 "host=$host sni=$ssl_server_name\n"; }"#)
        defer { nginx.stop() }
        let url = "https://pool.test:\(nginx.port)/health"
        let resolver = TableResolver(["pool.test": ["127.0.0.1", "::1"]])
        let tls = "tls://pool.test:\(nginx.port)"
        let result = Self.run(["-o", "json", "--all-addresses", "--cacert", ca.certificatePath, "--expect-body", #"^host=pool\.test sni=pool\.test\n"#, url, tls],
                              transport: HTTPClient(), resolver: resolver)
        #expect(Self.rows(result.out, ["target", "verdict", "reason", "status_code", "remote_ip"]) == [
            "\(url) (127.0.0.1) UP None 200 127.0.0.1",
            "\(url) (::1) DOWN refused None ::1",
            "\(tls) (127.0.0.1) UP None None 127.0.0.1",
            "\(tls) (::1) DOWN refused None ::1",
        ], "\(result.err)")
        // The handshake was verified against the name: the certificate's days are there.
        #expect(Self.rows(result.out, ["tls_days_left"])[2] != "None")
        #expect(result.status == .critical)
    }

    @Test("the binary: localhost's addresses each a row, a --resolve pool UP and DOWN, a name that does not resolve one DOWN dns row",
          .requires(NginxFixture.executable, package: "nginx-light"),
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func binary() throws {
        let bin = try #require(BinaryTests.binary)
        let nginx = try NginxFixture(files: ["ok": Array("ok\n".utf8)])
        defer { nginx.stop() }
        let port = nginx.port
        let run = Subprocess.run([bin, "probe", "--all-addresses", "-o", "json", "--timeout", "3s",
                                  "--resolve", "pool.test:\(port):127.0.0.1,[::1]", "http://pool.test:\(port)/ok",
                                  "tcp://localhost:\(port)", "http://name.invalid/"])
        let rows = Self.rows(run.output, ["target", "verdict", "reason", "remote_ip"])
        #expect(rows.prefix(2) == ["http://pool.test:\(port)/ok (127.0.0.1) UP None 127.0.0.1", "http://pool.test:\(port)/ok (::1) DOWN refused ::1"])
        // localhost is 127.0.0.1 wherever these tests run; ::1 too on some machines (refused: nginx is on 127.0.0.1 only).
        let local = rows.filter { $0.hasPrefix("tcp://localhost:\(port) (") }
        #expect(local.contains("tcp://localhost:\(port) (127.0.0.1) UP None 127.0.0.1"), "\(rows)")
        #expect(local.allSatisfy { $0.hasSuffix("UP None 127.0.0.1") || $0.hasSuffix("DOWN refused ::1") }, "\(rows)")
        #expect(rows.last == "http://name.invalid/ DOWN dns None")
        #expect(run.status == 2)
    }
}

import HealthProbe
import ScaleCLI
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// Per-target options in a targets file change that target's verdict and request only: against
/// a scripted network (exact requests), and once against Debian's nginx.
@Suite("scalectl probe: per-target options in the targets file")
struct ProbeTargetOptionsTests {
    @Test("a target's own status, body check and headers override the run's for it alone; no header value is printed")
    func overrides() {
        let transport = ScriptedTransport([
            "https://a.example/health": [Canned.ok(503, body: "ok")],
            "https://b.example/health": [Canned.ok(200, body: "ok")],
            "https://c.example/health": [Canned.ok(200, body: "ok")],
        ])
        let file = """
        https://a.example/health a expect-status=503
        https://b.example/health b expect-body='ready now' header='Authorization: Bearer tok-b-secret' header="X-Shard: 7"
        https://c.example/health c

        """
        let result = runProbe(["-", "-o", "csv", "-H", "Authorization: Bearer run-secret", "-H", "X-Team: sre", "--expect-body", "ok"],
                              transport: transport, standardInput: file)
        let rows = csvRows(result.out, columns: 5)
        #expect(rows == [
            "a,https://a.example/health,UP,OK,",
            "b,https://b.example/health,DOWN,CRITICAL,body mismatch",
            "c,https://c.example/health,UP,OK,",
        ], "\(result.out)")
        #expect(result.status == .critical)
        let sent = Dictionary(uniqueKeysWithValues: transport.requests.map { ($0.url, $0.headers.map { "\($0.name): \($0.value)" }) })
        #expect(sent["https://a.example/health"] == ["Authorization: Bearer run-secret", "X-Team: sre"])
        #expect(sent["https://b.example/health"] == ["X-Team: sre", "Authorization: Bearer tok-b-secret", "X-Shard: 7"],
                "the target's Authorization replaces the run's; other run headers stay")
        #expect(sent["https://c.example/health"] == ["Authorization: Bearer run-secret", "X-Team: sre"])
        for secret in ["tok-b-secret", "run-secret"] { #expect(!result.out.contains(secret) && !result.err.contains(secret)) }
    }

    @Test("a bad option is exit 3 naming file:line and the key, before anything is probed; a header's value is never shown")
    func badOption() {
        let transport = ScriptedTransport([:])
        let bad = runProbe(["-"], transport: transport, standardInput: "http://a/\nhttp://b/ b header='Cookie session-topsecret'\n")
        #expect(bad.status == .unknown)
        #expect(bad.err == "scalectl: error: -:2: header: the header is not 'Name: value'; write header='Name: value', quoted when it has blanks\n")
        #expect(!bad.err.contains("topsecret"))
        let status = runProbe(["-"], transport: transport, standardInput: "http://a/ a expect-status=600\n")
        #expect(status.status == .unknown)
        #expect(status.err.hasPrefix("scalectl: error: -:1: expect-status: '600' is outside the HTTP statuses 100-599"), "\(status.err)")
        #expect(transport.requests.isEmpty)
    }

    @Test("one URL with two sets of options is two checks; under one label it is refused")
    func oneURLTwice() {
        let transport = ScriptedTransport(["http://a/": [Canned.ok(404, body: "gone")]])
        let both = runProbe(["-", "-o", "csv"], transport: transport,
                            standardInput: "http://a/ strict expect-status=200\nhttp://a/ tolerant expect-status=200-499\nhttp://a/ strict expect-status=200\n")
        let rows = csvRows(both.out, columns: 4)
        #expect(rows == ["strict,http://a/,DOWN,CRITICAL", "tolerant,http://a/,UP,OK"], "\(both.out)")
        #expect(both.err == "scalectl: warning: strict is listed more than once; probing it once\n")
        #expect(transport.requests.count == 2)
        let clash = runProbe(["-"], transport: transport, standardInput: "http://a/ expect-status=200\nhttp://a/ expect-status=404\n")
        #expect(clash.status == .unknown)
        #expect(clash.err.contains("http://a/ is listed twice with different options, under one name; give each listing a NAME of its own"), "\(clash.err)")
    }

    @Test("nginx: a target expecting 404 on a missing path is UP, one expecting a body that is not there is DOWN",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func nginx() throws {
        let nginx = try NginxFixture(files: ProbeServerTests.files, locations: ProbeServerTests.locations)
        defer { nginx.stop() }
        let base = nginx.baseURL
        let file = """
        \(base)/nope gone expect-status=404   # removed on purpose
        \(base)/ok.html ready expect-body='^ready now'
        \(base)/ok.html plain
        \(base)/health.json db expect-json='.checks.db.latency_ms < 100' header='Authorization: Bearer nginx-secret'

        """
        let result = run(["probe", "-o", "json", "-"], stdin: file)
        #expect(ProbeServerTests.rows(result.out, ["target", "verdict", "reason", "status_code"]) == [
            "gone UP None 404",
            "ready DOWN body mismatch 200",
            "plain UP None 200",
            "db UP None 200",
        ], "\(result.err)")
        #expect(result.status == .critical)
        #expect(!result.out.contains("nginx-secret") && !result.err.contains("nginx-secret"))
    }
}

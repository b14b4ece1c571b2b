import HealthProbe
import ScaleCore
import Testing

@Suite("Verdicts on single probes")
struct VerdictTests {
    static let now = 1_700_000_000.0

    static func response(_ status: Int, body: String = "", total: Double = 0.05, expiry: Double? = nil) -> ProbeSample {
        ProbeSample(.response(ProbeResponse(status: status, body: Array(body.utf8), timings: PhaseTimings(total: total),
                                            certificateExpiry: expiry)))
    }

    func verdict(_ sample: ProbeSample, _ rules: ProbeRules = ProbeRules(), kind: ProbeTarget.Kind = .https) -> ProbeVerdict {
        rules.judge().verdict(on: sample, kind: kind, nowEpochSeconds: Self.now)
    }

    @Test("transport failures are DOWN and CRITICAL, with the short reason")
    func failures() {
        let cases: [(ProbeFailure, String)] = [
            (ProbeFailure(kind: .dns), "dns"), (ProbeFailure(kind: .refused), "refused"), (ProbeFailure(kind: .tls), "tls"),
            (ProbeFailure(kind: .timeout, phase: .firstByte), "first-byte timeout"),
            (ProbeFailure(kind: .timeout, phase: .connect), "connect timeout"), (ProbeFailure(kind: .timeout), "timeout"),
            (ProbeFailure(kind: .protocol), "protocol error"),
        ]
        for (failure, reason) in cases {
            #expect(verdict(ProbeSample(.failure(failure))) == ProbeVerdict(up: false, status: .critical, reason: reason))
        }
    }

    @Test("statuses outside the expected set are DOWN with the status as reason")
    func statuses() throws {
        #expect(verdict(Self.response(503)).reason == "status 503")
        #expect(verdict(Self.response(301)).up, "a redirect is an answer by default")
        #expect(verdict(Self.response(301), ProbeRules(expectedStatuses: try StatusSet(parsing: "200"))).reason == "status 301")
        #expect(verdict(Self.response(0), kind: .tcp).up, "a TCP check has no status to judge")
    }

    @Test("body rules: --expect-body must match, --fail-if-body must not, --expect-json must hold")
    func bodies() throws {
        let rules = ProbeRules(expectBody: try BodyPattern(parsing: #"(?i)"status"\s*:\s*"up""#),
                               failIfBody: try BodyPattern(parsing: "maintenance"))
        #expect(verdict(Self.response(200, body: #"{"Status": "UP"}"#), rules).up)
        #expect(verdict(Self.response(200, body: #"{"status":"DOWN"}"#), rules).reason == "body mismatch")
        #expect(verdict(Self.response(200, body: #"{"status":"up","note":"maintenance"}"#), rules).reason.map { Parameter.resolve($0) { "--\($0.name)" } } == "body matched --fail-if-body")
        let json = ProbeRules(expectJSON: try JSONCheck(parsing: ".db.ok == true"))
        #expect(verdict(Self.response(200, body: #"{"db":{"ok":false}}"#), json).reason == "json .db.ok == true is false (.db.ok is false)")
        #expect(verdict(Self.response(503, body: #"{"db":{"ok":true}}"#), json).reason == "status 503", "the status is checked first")
    }

    @Test("a bad regular expression is a usage error quoting the pattern; the CLI places it at its flag")
    func badRegex() {
        #expect(throws: ScaleError.self) { try BodyPattern(parsing: "(unclosed") }
        #expect {
            _ = try BodyPattern(parsing: "[z-a]")
        } throws: { error in
            guard let error = error as? ScaleError else { return false }
            return error.kind == .usage && error.what.hasPrefix("'[z-a]' is not a regular expression") && error.location.isEmpty
        }
    }

    @Test("latency thresholds: above --warning is WARNING, above --critical CRITICAL; the target stays UP")
    func latency() {
        let rules = ProbeRules(warningSeconds: 0.5, criticalSeconds: 2)
        #expect(verdict(Self.response(200, total: 0.5), rules) == ProbeVerdict(up: true, status: .ok))
        #expect(verdict(Self.response(200, total: 0.612), rules) == ProbeVerdict(up: true, status: .warning, reason: "slow: 612ms > 500ms"))
        #expect(verdict(Self.response(200, total: 2.5), rules) == ProbeVerdict(up: true, status: .critical, reason: "slow: 3s > 2s"))
    }

    @Test("certificate days left: (notAfter − now) / 86400; under --tls-min-days W is WARNING, under C CRITICAL, expired CRITICAL")
    func certificates() {
        let rules = ProbeRules(tlsWarningDays: 14, tlsCriticalDays: 7)
        // 10.5 days: 907,200 s.
        let soon = verdict(Self.response(200, expiry: Self.now + 907_200), rules)
        #expect(soon == ProbeVerdict(up: true, status: .warning, reason: "certificate expires in 10.5 days", tlsDaysLeft: 10.5))
        #expect(verdict(Self.response(200, expiry: Self.now + 3 * 86_400), rules).status == .critical)
        #expect(verdict(Self.response(200, expiry: Self.now + 30 * 86_400), rules) == ProbeVerdict(up: true, status: .ok, tlsDaysLeft: 30))
        let expired = verdict(Self.response(200, expiry: Self.now - 2 * 86_400), ProbeRules())
        #expect(expired == ProbeVerdict(up: true, status: .critical, reason: "certificate expired 2.0 days ago", tlsDaysLeft: -2))
        let both = verdict(Self.response(200, total: 0.9, expiry: Self.now + 86_400 * 13), ProbeRules(warningSeconds: 0.5, tlsWarningDays: 14))
        #expect(both.reason == "slow: 900ms > 500ms; certificate expires in 13.0 days")
    }
}

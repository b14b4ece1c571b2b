import Testing
import ScaleCore
import Availability
import TestSupport

/// The rules are checked by independent parsers: python3's yaml.safe_load and, when it is
/// installed, Prometheus's own promtool.
@Suite struct AlertRuleYAMLTests {
    static func rules(_ slo: String = "99.9%", window: Double = 30 * 86_400, metric: String = "http_requests_total{job=\"api\"}",
                      errors: String? = nil) throws -> String {
        let policy = try BurnRatePolicy(slo: RatioText.parse(slo), window: window)
        return try AlertRuleYAML(policy: policy, totalSelector: metric, errorSelector: errors).render()
    }

    @Test(arguments: [
        ("http_requests_total", "http_requests_total{code=~\"5..\"}"),
        ("http_requests_total{}", "http_requests_total{code=~\"5..\"}"),
        ("http_requests_total{job=\"api\"}", "http_requests_total{job=\"api\",code=~\"5..\"}"),
        ("{__name__=\"x\",job=\"a\", }", "{__name__=\"x\",job=\"a\",code=~\"5..\"}"),
    ])
    func errorSelectorAddsTheMatcher(total: String, errors: String) {
        #expect(AlertRuleYAML.adding(AlertRuleYAML.defaultErrorMatcher, to: total) == errors)
    }

    @Test(arguments: ["", "rate(x[5m])", "x[5m]", "9x", "x{a=\"b\"", "a\nb"])
    func badSelectorsAreRefused(selector: String) throws {
        let policy = try BurnRatePolicy(slo: RatioText.parse("99.9%"), window: 30 * 86_400)
        #expect(throws: ScaleError.self) { try AlertRuleYAML(policy: policy, totalSelector: selector) }
    }

    @Test func rulesHoldTheWorkbookThresholds() throws {
        let text = try Self.rules()
        #expect(text.contains("sum(rate(http_requests_total{job=\"api\",code=~\"5..\"}[1h]))"))
        #expect(text.contains(") > (14.4 * 0.001)"))
        #expect(text.contains(") > (6 * 0.001)"))
        #expect(text.contains(") > (1 * 0.001)"))
        #expect(text.contains("[3d]") && text.contains("[30m]") && text.contains("[5m]"))
    }

    @Test(.enabled(if: Subprocess.which("python3") != nil || ServerRequirement.isCI, "python3 is not installed"))
    func pythonYAMLReadsTheRules() throws {
        let script = """
            import sys, yaml
            doc = yaml.safe_load(sys.stdin)
            rules = doc["groups"][0]["rules"]
            for r in rules:
                print(r["alert"], r["labels"]["severity"], r["labels"]["long_window"], r["labels"]["short_window"], " ".join(r["expr"].split()))
            """
        let result = Subprocess.run(["python3", "-c", script], input: try Self.rules(metric: "http_requests_total{job=\"a:b # c\",path=~\"/x|/y\"}"))
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        guard lines.count == 3 else { return }
        let total = "http_requests_total{job=\"a:b # c\",path=~\"/x|/y\"}"
        let errors = "http_requests_total{job=\"a:b # c\",path=~\"/x|/y\",code=~\"5..\"}"
        #expect(lines[0] == "ErrorBudgetBurn page 1h 5m ( sum(rate(\(errors)[1h])) / sum(rate(\(total)[1h])) ) > (14.4 * 0.001) and ( sum(rate(\(errors)[5m])) / sum(rate(\(total)[5m])) ) > (14.4 * 0.001)")
        #expect(lines[1].hasPrefix("ErrorBudgetBurn page 6h 30m "))
        #expect(lines[2].hasPrefix("ErrorBudgetBurn ticket 3d 6h "))
    }

    @Test(.enabled(if: Subprocess.which("promtool") != nil || ServerRequirement.isCI, "promtool is not installed; `make test` installs Debian's prometheus package"))
    func promtoolAcceptsTheRules() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-rules")
        defer { dir.remove() }
        for (index, text) in [try Self.rules(), try Self.rules("99.95%", window: 28 * 86_400, metric: "grpc_server_handled_total",
                                                              errors: "grpc_server_handled_total{grpc_code!=\"OK\"}")].enumerated() {
            try dir.write("rules\(index).yml", Array(text.utf8))
            let path = "\(dir.path)/rules\(index).yml"
            let result = Subprocess.run(["promtool", "check", "rules", path])
            #expect(result.status == 0, "\(result.output)\(result.errors)")
            #expect(result.output.contains("SUCCESS: 3 rules found"), "\(result.output)")
        }
    }
}

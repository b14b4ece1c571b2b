import Testing
import ScaleCore
import TestSupport

/// Fields that name their own prometheus metric, stay out of the table, or out of prometheus:
/// the means by which a command follows an established naming scheme (blackbox_exporter's).
@Suite struct ReportFieldOptionsTests {
    static let report = Report.literal(
        command: "probe",
        fields: [
            Field("target", .text),
            Field("reason", .text, prometheus: .omitted),
            Field("up", .bool, help: "Whether the probe succeeded.", prometheus: .metric("probe_success")),
            Field("connect_seconds", .latency, help: "Duration of the probe by phase.",
                  prometheus: .metric("probe_http_duration_seconds", labels: [MetricLabel("phase", "connect")])),
            Field("tls_seconds", .latency, help: "(second field of the family: this help is not printed)",
                  prometheus: .metric("probe_http_duration_seconds", labels: [MetricLabel("phase", "tls")])),
            Field("expiry_epoch_seconds", .integer, prometheus: .metric("probe_ssl_earliest_cert_expiry"), inTable: false),
            Field("bytes", .integer),
        ],
        rows: [
            [.text("https://a/"), .text("status 503"), .bool(false), .number(0.002), .number(0.0125), .integer(1_900_000_000), .integer(10)],
            [.text("http://b\"/"), .null, .bool(true), .number(0.001), .number(0), .null, .integer(20)],
        ],
        summaryFields: [Field("targets", .integer), Field("rounds", .integer, inTable: false)],
        summary: [.integer(2), .integer(1)]
    )

    @Test func namedMetricsAreUsedVerbatimAndFamiliesStayTogether() {
        let expected = """
        # HELP probe_success Whether the probe succeeded.
        # TYPE probe_success gauge
        probe_success{target="https://a/"} 0
        probe_success{target="http://b\\"/"} 1
        # HELP probe_http_duration_seconds Duration of the probe by phase.
        # TYPE probe_http_duration_seconds gauge
        probe_http_duration_seconds{target="https://a/",phase="connect"} 0.002
        probe_http_duration_seconds{target="http://b\\"/",phase="connect"} 0.001
        probe_http_duration_seconds{target="https://a/",phase="tls"} 0.0125
        probe_http_duration_seconds{target="http://b\\"/",phase="tls"} 0
        # HELP probe_ssl_earliest_cert_expiry expiry epoch seconds
        # TYPE probe_ssl_earliest_cert_expiry gauge
        probe_ssl_earliest_cert_expiry{target="https://a/"} 1900000000
        # HELP scalectl_probe_bytes bytes
        # TYPE scalectl_probe_bytes gauge
        scalectl_probe_bytes{target="https://a/"} 10
        scalectl_probe_bytes{target="http://b\\"/"} 20
        # HELP scalectl_probe_targets targets
        # TYPE scalectl_probe_targets gauge
        scalectl_probe_targets 2
        # HELP scalectl_probe_rounds rounds
        # TYPE scalectl_probe_rounds gauge
        scalectl_probe_rounds 1

        """
        #expect(OutputFormat.prometheus.render(Self.report) == expected)
    }

    @Test(.requires("/usr/bin/promtool", package: "prometheus"))
    func namedMetricsPassPromtool() {
        let result = Subprocess.run(["promtool", "check", "metrics"], input: OutputFormat.prometheus.render(Self.report))
        #expect(result.status == 0, "promtool: \(result.output)\(result.errors)")
    }

    @Test func tableLeavesOutMachineOnlyFieldsOthersKeepThem() {
        let table = OutputFormat.table.render(Self.report)
        #expect(table == """
        TARGET      REASON      UP   CONNECT SECONDS  TLS SECONDS  BYTES
        https://a/  status 503  no             2.0ms       12.5ms     10
        http://b"/  -           yes            1.0ms        0.0ms     20

        TARGETS: 2

        """)
        #expect(OutputFormat.csv.render(Self.report).hasPrefix("target,reason,up,connect_seconds,tls_seconds,expiry_epoch_seconds,bytes\r\n"))
        #expect(OutputFormat.json.render(Self.report).contains(#""summary": {"targets": 2, "rounds": 1}"#))
    }

    @Test func streamedLinesParseAndKeepTheReportsFieldNames() throws {
        struct Transition { var target: String; var reason: String?; var up: Bool }
        let fields = Self.report.fields
        let columns = [Column<Transition>(fields[0], \.target), Column(fields[1], \.reason), Column(fields[2], \.up)]
        let line = NDJSONRenderer.line(type: "transition", columns: columns, row: Transition(target: "a\n", reason: nil, up: true))
        #expect(line == #"{"type": "transition", "target": "a\n", "reason": null, "up": true}"# + "\n")
        let parsed = Subprocess.run(["python3", "-c", "import json,sys; print(sorted(json.loads(sys.stdin.read())))"], input: line)
        #expect(parsed.output == "['reason', 'target', 'type', 'up']\n")
    }
}

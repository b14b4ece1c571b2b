import Testing
import ScaleCore
import TestSupport

/// One report with the awkward cases: wide CJK text, accents, a comma and quotes (CSV),
/// backslash, quote and newline (prometheus label escaping), a null, NaN.
let sample = Report.literal(
    command: "probe",
    fields: [
        Field("endpoint", .text),
        Field("status", .status),
        Field("total_seconds", .latency, title: "TOTAL", help: "Seconds from start to the last byte."),
        Field("hit_ratio", .ratio(places: 1)),
        Field("bytes", .bytes),
        Field("requests", .integer),
    ],
    rows: [
        [.text("東京-edge"), .text("OK"), .number(0.0123), .number(0.5), .integer(1536), .integer(42)],
        [.text("zürich, \"b\""), .text("CRITICAL"), .number(1.5), .null, .integer(10), .integer(7)],
        [.text("a\\b\"c\nd"), .text("WARNING"), .number(.nan), .number(1), .integer(0), .integer(0)],
    ],
    summaryFields: [Field("endpoints", .integer), Field("worst", .status)],
    summary: [.integer(3), .text("CRITICAL")],
    notes: ["TLS verification is off (--insecure)"]
)

@Suite struct RendererTests {
    @Test func tableAlignsWideTextAndRightAlignsNumbers() {
        // Hand-checked: 東京 is four columns wide, the newline shows as \n, NaN and null as "-".
        let expected = """
        ENDPOINT     STATUS       TOTAL  HIT RATIO    BYTES  REQUESTS
        東京-edge    OK          12.3ms      50.0%  1.5 KiB        42
        zürich, "b"  CRITICAL  1500.0ms          -     10 B         7
        a\\b"c\\nd     WARNING          -     100.0%      0 B         0

        ENDPOINTS: 3
        WORST:     CRITICAL
        note: TLS verification is off (--insecure)

        """
        #expect(OutputFormat.table.render(sample) == expected)
    }

    @Test func tableOnANarrowTerminalShortensTheWidestTextColumn() {
        let report = Report.literal(command: "x", fields: [Field("name", .text), Field("n", .integer)],
                                    rows: [[.text("a-very-long-endpoint-name-indeed"), .integer(1)]])
        let text = OutputFormat.table.render(report, options: RenderOptions(width: 20))
        #expect(text == "NAME               N\na-very-long-endp…  1\n")
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) <= 20 })
    }

    @Test func colourOnlyWhenAskedAndPaddingUnaffected() {
        let plain = OutputFormat.table.render(sample)
        #expect(!plain.contains("\u{1B}["))
        let coloured = OutputFormat.table.render(sample, options: RenderOptions(color: true))
        #expect(coloured.contains("\u{1B}[31mCRITICAL\u{1B}[0m"))
        let stripped = coloured.replacing(/\x1B\[[0-9;]*m/, with: "")
        #expect(stripped == plain)
    }

    @Test(arguments: [("abc", 3), ("東京", 4), ("zürich", 6), ("e\u{301}", 1), ("🚀", 2)])
    func displayWidth(text: String, width: Int) {
        #expect(DisplayWidth.of(text) == width)
    }

    /// python3's json module is the independent parser: the document must load, keep the field
    /// order, and carry NaN as null.
    @Test func jsonIsValidAndKeepsFieldOrder() throws {
        let json = OutputFormat.json.render(sample)
        let result = Subprocess.run(["python3", "-c", """
            import json, sys
            doc = json.load(sys.stdin)
            print(json.dumps(doc, ensure_ascii=True, separators=(",", ":")))
            """], input: json)
        try #require(result.status == 0, "python3 rejected the JSON: \(result.errors)")
        let expected = #"{"schema_version":1,"command":"probe","results":[{"endpoint":"\u6771\u4eac-edge","status":"OK","total_seconds":0.0123,"hit_ratio":0.5,"bytes":1536,"requests":42},{"endpoint":"z\u00fcrich, \"b\"","status":"CRITICAL","total_seconds":1.5,"hit_ratio":null,"bytes":10,"requests":7},{"endpoint":"a\\b\"c\nd","status":"WARNING","total_seconds":null,"hit_ratio":1,"bytes":0,"requests":0}],"summary":{"endpoints":3,"worst":"CRITICAL"},"notes":["TLS verification is off (--insecure)"]}"#
        #expect(result.output == expected + "\n")
    }

    @Test func ndjsonHasTypedLinesEndingInTheSummary() throws {
        let text = OutputFormat.ndjson.render(sample)
        let result = Subprocess.run(["python3", "-c", """
            import json, sys
            for line in sys.stdin:
                doc = json.loads(line)
                print(doc["type"], len(doc))
            """], input: text)
        try #require(result.status == 0, "python3 rejected a line: \(result.errors)")
        #expect(result.output == "result 7\nresult 7\nresult 7\nsummary 6\n")
    }

    /// RFC 4180 as python3's csv module reads it.
    @Test func csvRoundTripsThroughPythonsCSVReader() throws {
        let csv = OutputFormat.csv.render(sample)
        #expect(csv.hasPrefix("endpoint,status,total_seconds,hit_ratio,bytes,requests\r\n"))
        let result = Subprocess.run(["python3", "-c", """
            import csv, io, sys, json
            rows = list(csv.reader(io.StringIO(sys.stdin.read(), newline="")))
            print(json.dumps(rows, ensure_ascii=True))
            """], input: csv)
        try #require(result.status == 0, "\(result.errors)")
        let expected = #"[["endpoint", "status", "total_seconds", "hit_ratio", "bytes", "requests"], ["\u6771\u4eac-edge", "OK", "0.0123", "0.5", "1536", "42"], ["z\u00fcrich, \"b\"", "CRITICAL", "1.5", "", "10", "7"], ["a\\b\"c\nd", "WARNING", "NaN", "1", "0", "0"]]"#
        #expect(result.output == expected + "\n")
    }

    @Test func prometheusEscapesLabelsAndGroupsSamples() {
        let text = OutputFormat.prometheus.render(sample)
        #expect(text.contains("# HELP scalectl_probe_total_seconds Seconds from start to the last byte.\n# TYPE scalectl_probe_total_seconds gauge\n"))
        #expect(text.contains(#"scalectl_probe_total_seconds{endpoint="a\\b\"c\nd",status="WARNING"} NaN"#))
        #expect(text.contains(#"scalectl_probe_requests{endpoint="東京-edge",status="OK"} 42"#))
        #expect(!text.contains("scalectl_probe_hit_ratio{endpoint=\"zürich"), "a null value is no sample")
        #expect(text.hasSuffix("# HELP scalectl_probe_endpoints endpoints\n# TYPE scalectl_probe_endpoints gauge\nscalectl_probe_endpoints 3\n"))
    }

    /// promtool (from Debian's prometheus package) is the reference parser and linter.
    @Test(.requires("/usr/bin/promtool", package: "prometheus"))
    func prometheusPassesPromtool() {
        let result = Subprocess.run(["promtool", "check", "metrics"], input: OutputFormat.prometheus.render(sample))
        #expect(result.status == 0, "promtool: \(result.output)\(result.errors)")
    }
}

import Testing
import ScaleCore

/// The table on a terminal: how it shrinks to fit, how values of each kind align and read.
/// Every expected string below was laid out by hand from the widths noted beside it.
@Suite struct TableRendererTests {
    /// Twelve columns as an on-call engineer sees them: four kinds of text, a status, numbers.
    static let wide = Report.literal(
        command: "inventory",
        fields: [
            Field("name", .text), Field("status", .status), Field("code", .integer), Field("up", .bool),
            Field("az", .text), Field("port", .integer), Field("host", .text), Field("owner", .text),
            Field("age_seconds", .duration, title: "AGE"), Field("reason", .text), Field("n", .integer),
            Field("os", .text),
        ],
        rows: [
            [.text("web-01"), .text("OK"), .int(200), .bool(true), .text("a"), .int(443),
             .text("ip-10-0-12-34.eu-west-1.compute.internal"), .text("payments-team"), .number(300),
             .null, .int(3), .text("linux")],
            [.text("db-02"), .text("WARNING"), .int(503), .bool(false), .text("c"), .int(5432),
             .text("db-02.internal"), .text("search-infra"), .number(7200),
             .text("certificate expires in 9 days"), .int(12), .text("linux")],
        ]
    )

    /// Natural widths: NAME 6, STATUS 7, CODE 4, UP 3, AZ 2, PORT 4, HOST 40, OWNER 13, AGE 3,
    /// REASON 29, N 2, OS 5 = 118, + 11 gaps of 2 = 140: 60 too many for 80 columns.
    /// Only HOST, OWNER and REASON are above their floor of 6 (NAME is 6, AZ 2 and OS 5 are
    /// below theirs). One column at a time from the widest, the rightmost of equals:
    /// HOST 40→29 (11), then HOST and REASON together 29→13 (32), then all three 13→8 (15),
    /// then REASON and OWNER one more (2): HOST 8, OWNER 7, REASON 7 — 58 + 22 = 80.
    @Test func twelveColumnsFitEightyByShrinkingTheLongestTextColumns() {
        let expected = """
        NAME    STATUS   CODE  UP   AZ  PORT  HOST      OWNER    AGE  REASON    N  OS
        web-01  OK        200  yes  a    443  ip-10-0…  paymen…   5m  -         3  linux
        db-02   WARNING   503  no   c   5432  db-02.i…  search…   2h  certif…  12  linux

        """
        let text = OutputFormat.table.render(Self.wide, options: RenderOptions(width: 80))
        #expect(text == expected)
        let widths = text.split(separator: "\n").map { DisplayWidth.of(String($0)) }
        #expect(widths == [77, 80, 80])
    }

    @Test func pipesAndFilesAreNeverCut() {
        let text = OutputFormat.table.render(Self.wide)
        #expect(text.contains("ip-10-0-12-34.eu-west-1.compute.internal"))
        #expect(text.contains("certificate expires in 9 days"))
        #expect(!text.contains("…"))
    }

    /// Hostile input: cells of 200,000 and 200,001 columns. B first comes down to A, then
    /// whole rounds take one from each, and the last odd column comes from B (rightmost):
    /// A 40 + 2 + B 39 = 81.
    @Test func hugeCellsShrinkToFit() {
        let long = String(repeating: "x", count: 200_000)
        let report = Report.literal(command: "x", fields: [Field("a", .text), Field("b", .text)],
                                    rows: [[.text(long), .text(long + "y")]])
        let lines = OutputFormat.table.render(report, options: RenderOptions(width: 81)).split(separator: "\n")
        #expect(lines.map { DisplayWidth.of(String($0)) } == [43, 81])
        #expect(lines[1] == Substring(String(repeating: "x", count: 39) + "…  " + String(repeating: "x", count: 38) + "…"))
    }

    /// NAME 12, OWNER 13, BYTES 7 (never cut) + 2 gaps = 36. The floors are 6, 6 and 7, so the
    /// narrowest fit is 6 + 6 + 7 + 4 = 23: at 23 both text columns are at their floor (five
    /// characters and `…`); at 22 nothing fits, and the table is printed whole rather than cut
    /// to no purpose.
    @Test func aTableThatCannotFitIsPrintedWhole() {
        let report = Report.literal(command: "x", fields: [Field("name", .text), Field("owner", .text), Field("bytes", .bytes)],
                                    rows: [[.text("checkout-api"), .text("payments-team"), .int(1536)]])
        let atFloor = OutputFormat.table.render(report, options: RenderOptions(width: 23))
        #expect(atFloor == "NAME    OWNER     BYTES\ncheck…  payme…  1.5 KiB\n")
        let whole = OutputFormat.table.render(report, options: RenderOptions(width: 22))
        #expect(whole == "NAME          OWNER            BYTES\ncheckout-api  payments-team  1.5 KiB\n")
    }

    /// Only free text is cut: NAME 12, STATUS 8, TOTAL 8 + 4 = 32; at 26 NAME alone gives up
    /// six columns, though STATUS and TOTAL are as wide and above the floor of 6.
    @Test func statusAndNumbersAreNeverCut() {
        let report = Report.literal(command: "x", fields: [Field("name", .text), Field("status", .status),
                                                           Field("total_seconds", .latency, title: "TOTAL")],
                                    rows: [[.text("checkout-api"), .text("CRITICAL"), .number(1.5)]])
        let text = OutputFormat.table.render(report, options: RenderOptions(width: 26))
        #expect(text == "NAME    STATUS       TOTAL\ncheck…  CRITICAL  1500.0ms\n")
    }

    /// NAME is 14 columns wide (seven CJK ideographs), + 2 + N 1 = 17; at 11 NAME gets 8:
    /// seven for text and one for `…`. 東京大 fills six; 阪 would need two more, so the cut
    /// falls before it and a space pads the cell. The rocket is two columns; é is e + U+0301,
    /// one column, and keeps its accent.
    @Test func wideGlyphsAndCombiningMarksAreCutWhole() {
        let report = Report.literal(command: "x", fields: [Field("name", .text), Field("n", .integer)],
                                    rows: [[.text("東京大阪名古屋"), .int(1)], [.text("🚀rocket🚀"), .int(2)],
                                           [.text("cafe\u{301}-au-lait"), .int(3)]])
        let text = OutputFormat.table.render(report, options: RenderOptions(width: 11))
        #expect(text == "NAME      N\n東京大…   1\n🚀rocke…  2\ncafe\u{301}-au…  3\n")
        #expect(text.split(separator: "\n").allSatisfy { DisplayWidth.of(String($0)) == 11 })
        #expect(!text.unicodeScalars.contains("\u{FFFD}"))
    }

    /// Escaping happens before cutting, so a cut never leaves a raw control character.
    @Test func controlCharactersStayEscapedWhenCut() {
        let report = Report.literal(command: "x", fields: [Field("line", .text), Field("n", .integer)],
                                    rows: [[.text("\u{1B}[31mred\u{1B}[0m and more"), .int(1)]])
        let text = OutputFormat.table.render(report, options: RenderOptions(width: 12))
        #expect(text == "LINE       N\n\\x1b[31m…  1\n")
        #expect(!text.unicodeScalars.contains("\u{1B}"))
    }

    /// yes/no are words: left-aligned under their header, as text is.
    @Test func boolIsLeftAligned() {
        let report = Report.literal(command: "x", fields: [Field("name", .text), Field("healthy", .bool), Field("n", .integer)],
                                    rows: [[.text("a"), .bool(true), .int(1)], [.text("b"), .bool(false), .int(22)]])
        #expect(OutputFormat.table.render(report) == "NAME  HEALTHY   N\na     yes       1\nb     no       22\n")
    }

    /// Hand-worked: 3725 s = 1 h 2 min 5 s; 2 s = 2000.0 ms; 1 = 100.0 %; 1536 B = 1.5 KiB.
    @Test(arguments: [
        (Field.Kind.duration, Int64(3725), "1h 2m 5s"), (.duration, 59, "59s"), (.latency, 2, "2000.0ms"),
        (.ratio(places: 1), 1, "100.0%"), (.bytes, 1536, "1.5 KiB"), (.number(places: 2), 3, "3.00"),
        (.integer, 9_007_199_254_740_993, "9007199254740993"), (.duration, Int64.max, "106751991167301d"),
    ])
    func integerReadsAsTheSameAmountInItsUnit(kind: Field.Kind, value: Int64, expected: String) {
        #expect(TableRenderer.cell(.integer(value), kind: kind) == expected)
    }

    @Test func integerInDurationFieldRendersAsADuration() {
        func report(_ values: [Value]) -> Report {
            Report.literal(command: "x", fields: [Field("age_seconds", .duration, title: "AGE")], rows: values.map { [$0] },
                           summaryFields: [Field("oldest_seconds", .duration, title: "OLDEST")], summary: [values[0]])
        }
        let integers = report([.integer(3725), .integer(59)])
        #expect(OutputFormat.table.render(integers) == "     AGE\n1h 2m 5s\n     59s\n\nOLDEST: 1h 2m 5s\n")
        // The machine formats print seconds either way, identically for both cases.
        let numbers = report([.number(3725), .number(59)])
        for format in [OutputFormat.table, .json, .ndjson, .csv, .prometheus] {
            #expect(format.render(integers) == format.render(numbers), "\(format)")
        }
    }

    /// URLs on one host differ at the end: a middle cut keeps scheme, host and the path's tail.
    /// At 40 columns: "https://api.example.com" (23) + "…" + the last 16 characters. At 20 the
    /// origin leaves no 8-column tail: half each, 9 + "…" + 10. Other text: 4 + "…" + 5 at 10.
    @Test func urlsAreCutInTheMiddle() {
        let url = "https://api.example.com/internal/health/deep/members/17"
        #expect(DisplayWidth.truncateMiddle(url, to: 40) == "https://api.example.com…/deep/members/17")
        #expect(DisplayWidth.truncateMiddle(url, to: 20) == "https://a…members/17")
        #expect(DisplayWidth.truncateMiddle("payments-team-eu-west", to: 10) == "paym…-west")
        #expect(DisplayWidth.truncateMiddle("short", to: 10) == "short")
    }
}

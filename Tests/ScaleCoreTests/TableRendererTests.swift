import Testing
import ScaleCore

/// The table on a terminal: how it shrinks to fit, how values of each kind align and read.
/// Every expected string below was laid out by hand from the widths noted beside it.
@Suite struct TableRendererTests {
    /// yes/no are words: left-aligned under their header, as text is.
    @Test func boolIsLeftAligned() {
        let report = Report(command: "x", fields: [Field("name", .text), Field("healthy", .bool), Field("n", .integer)],
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
            Report(command: "x", fields: [Field("age_seconds", .duration, title: "AGE")], rows: values.map { [$0] },
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
}

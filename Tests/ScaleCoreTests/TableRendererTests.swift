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
}

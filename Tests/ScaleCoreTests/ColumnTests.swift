import Testing
import ScaleCore

/// Typed columns: a row type and the extractor of each field decide every value of a report.
@Suite struct ColumnTests {
    struct Node {
        var name: String
        var weight: Int
        var share: Double
        var points: Int?
        var healthy: Bool
    }

    static let columns: [Column<Node>] = [
        Column("node", .text, \.name),
        Column("weight", .integer, \.weight),
        Column("share_ratio", .ratio(places: 1), title: "SHARE", \.share),
        Column("points", .integer, \.points),
        Column("healthy", .bool, \.healthy),
        Column("load_factor", .number(places: 2)) { $0.share * Double($0.weight) },
    ]

    @Test func eachSwiftTypeBecomesItsValue() {
        let report = Report(command: "x", columns: Self.columns,
                            rows: [Node(name: "a", weight: 2, share: 0.25, points: nil, healthy: true)])
        #expect(report.fields.map(\.name) == ["node", "weight", "share_ratio", "points", "healthy", "load_factor"])
        #expect(report.fields[2].title == "SHARE")
        #expect(report.rows == [[.text("a"), .integer(2), .number(0.25), .null, .bool(true), .number(0.5)]])
        #expect(report.summaryFields.isEmpty && report.summary.isEmpty)
    }

    @Test func summaryColumnsReadOneValue() {
        let nodes = [Node(name: "a", weight: 1, share: 0.5, points: 160, healthy: true),
                     Node(name: "b", weight: 1, share: 0.5, points: 160, healthy: false)]
        let summary: [Column<[Node]>] = [
            Column("nodes", .integer, \.count),
            Column("points_total", .integer) { $0.compactMap(\.points).reduce(0, +) },
        ]
        let report = Report(command: "x", columns: Self.columns, rows: nodes, summaryColumns: summary, summary: nodes)
        #expect(report.rows.count == 2)
        #expect(report.summaryFields.map(\.name) == ["nodes", "points_total"])
        #expect(report.summary == [.integer(2), .integer(320)])
        let alone = Report(command: "x", summaryColumns: summary, summary: nodes)
        #expect(alone.fields.isEmpty && alone.rows.isEmpty && alone.summary == report.summary)
    }

    /// A column of a part reads the same field from a row that holds the part.
    @Test func aColumnReadsThroughAnOuterRow() {
        struct Watched { var node: Node; var probes: Int }
        let columns = Self.columns.map { $0.reading(\Watched.node) } + [Column("probes", .integer, \.probes)]
        let row = Watched(node: Node(name: "b", weight: 1, share: 1, points: 4, healthy: false), probes: 3)
        let report = Report(command: "x", columns: columns, rows: [row])
        #expect(report.rows == [[.text("b"), .integer(1), .number(1), .integer(4), .bool(false), .number(1), .integer(3)]])
    }

    @Test func streamedLinesUseTheSameColumns() {
        let line = NDJSONRenderer.line(type: "node", columns: Array(Self.columns.prefix(2)),
                                       row: Node(name: "a\n", weight: 3, share: 0, points: nil, healthy: true))
        #expect(line == #"{"type": "node", "node": "a\n", "weight": 3}"# + "\n")
    }
}

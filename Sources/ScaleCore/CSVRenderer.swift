/// RFC 4180: CRLF line ends, a header row of field names, fields quoted when they hold a comma,
/// a quote, CR or LF, with quotes doubled. A report with no result columns prints its summary
/// as the one row.
public struct CSVRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        let useSummary = report.fields.isEmpty
        let fields = useSummary ? report.summaryFields : report.fields
        let rows = useSummary ? [report.summary] : report.rows
        var out = fields.map { Self.quote($0.name) }.joined(separator: ",") + "\r\n"
        for row in rows {
            out += row.map { Self.quote(Self.text($0)) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func text(_ value: Value) -> String {
        switch value {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .number(let d): return d.isFinite ? Format.shortest(d) : Format.decimal(d, places: 0)
        case .bool(let b): return b ? "true" : "false"
        case .null: return ""
        }
    }

    public static func quote(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }) else {
            return field
        }
        var out = "\""
        for ch in field { out += ch == "\"" ? "\"\"" : String(ch) }
        return out + "\""
    }
}

/// One JSON document: `{"schema_version":1,"command":…,"results":[…],"summary":{…},"notes":[…]}`.
/// Keys keep the report's field order, so diffs of saved output stay readable.
public struct JSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        var out = "{\n"
        out += "  \"schema_version\": \(Report.schemaVersion),\n"
        out += "  \"command\": \(JSON.string(report.command)),\n"
        out += "  \"results\": ["
        for (index, row) in report.rows.enumerated() {
            out += index == 0 ? "\n    " : ",\n    "
            out += JSON.object(fields: report.fields, values: row)
        }
        out += report.rows.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"summary\": \(JSON.object(fields: report.summaryFields, values: report.summary)),\n"
        out += "  \"notes\": [" + report.notes.map(JSON.string).joined(separator: ", ") + "]\n"
        out += "}\n"
        return out
    }
}

/// Result lines as they are produced, then one summary line; every line has a `type`.
public struct NDJSONRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        var out = ""
        for row in report.rows {
            out += JSON.object(fields: report.fields, values: row, leading: [("type", JSON.string("result"))]) + "\n"
        }
        var leading = [("type", JSON.string("summary")),
                       ("schema_version", String(Report.schemaVersion)),
                       ("command", JSON.string(report.command))]
        if !report.notes.isEmpty {
            leading.append(("notes", "[" + report.notes.map(JSON.string).joined(separator: ",") + "]"))
        }
        out += JSON.object(fields: report.summaryFields, values: report.summary, leading: leading) + "\n"
        return out
    }

    /// One line of a stream that a command writes as things happen (`{"type": "transition", …}`),
    /// with the same field names and value spelling as its report's lines.
    public static func line<Row>(type: String, columns: [Column<Row>], row: Row) -> String {
        JSON.object(fields: columns.map(\.field), values: columns.map { $0.value(row) }, leading: [("type", JSON.string(type))]) + "\n"
    }
}

/// Hand-written JSON text: the encoder in Foundation sorts keys alphabetically at best, and the
/// field order is part of what the report means.
public enum JSON {
    public static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// NaN and infinities have no JSON spelling; they become null rather than invalid JSON.
    public static func value(_ value: Value) -> String {
        switch value {
        case .text(let s): return string(s)
        case .integer(let i): return String(i)
        case .number(let d): return d.isFinite ? Format.shortest(d) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        }
    }

    static func object(fields: [Field], values: [Value], leading: [(String, String)] = []) -> String {
        var parts = leading.map { "\(string($0.0)): \($0.1)" }
        for (field, value) in zip(fields, values) {
            parts.append("\(string(field.name)): \(self.value(value))")
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }
}

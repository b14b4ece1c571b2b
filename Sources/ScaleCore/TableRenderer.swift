/// Aligned columns for people: a header row, two spaces between columns, numbers right-aligned,
/// then the summary as `title: value` lines and any notes. On a terminal the widest text column
/// is shortened with `…` so rows do not wrap; elsewhere nothing is cut.
public struct TableRenderer: ReportRenderer {
    public var options: RenderOptions
    public init(options: RenderOptions = RenderOptions()) { self.options = options }

    public func render(_ report: Report) -> String {
        let report = Self.tableColumns(of: report)
        let style = TextStyle(enabled: options.color)
        var out = ""
        if !report.fields.isEmpty, !report.rows.isEmpty {
            out += table(report, style: style)
        }
        if !report.summaryFields.isEmpty {
            if !out.isEmpty { out += "\n" }
            let titleWidth = report.summaryFields.map { DisplayWidth.of($0.title) }.max() ?? 0
            for (field, value) in zip(report.summaryFields, report.summary) {
                let title = field.title + ":"
                let pad = String(repeating: " ", count: titleWidth - DisplayWidth.of(field.title) + 1)
                var text = Self.cell(value, kind: field.kind)
                if field.kind == .status { text = style.status(text) }
                out += style.bold(title) + pad + text + "\n"
            }
        }
        if report.rows.isEmpty, report.summaryFields.isEmpty, !report.fields.isEmpty {
            out += "no results\n"
        }
        for note in report.notes {
            out += style.dim("note: " + note) + "\n"
        }
        return out
    }

    /// The report without the fields marked `inTable: false`.
    static func tableColumns(of report: Report) -> Report {
        guard !report.fields.allSatisfy(\.inTable) || !report.summaryFields.allSatisfy(\.inTable) else { return report }
        let keep = report.fields.indices.filter { report.fields[$0].inTable }
        let keepSummary = report.summaryFields.indices.filter { report.summaryFields[$0].inTable }
        return Report(command: report.command, fields: keep.map { report.fields[$0] },
                      rows: report.rows.map { row in keep.map { row[$0] } },
                      summaryFields: keepSummary.map { report.summaryFields[$0] },
                      summary: keepSummary.map { report.summary[$0] }, notes: report.notes)
    }

    private func table(_ report: Report, style: TextStyle) -> String {
        let fields = report.fields
        var cells = report.rows.map { row in zip(fields, row).map { Self.cell($1, kind: $0.kind) } }
        var widths = fields.indices.map { i in
            max(DisplayWidth.of(fields[i].title), cells.map { DisplayWidth.of($0[i]) }.max() ?? 0)
        }
        // Shrink the widest text column until the table fits the terminal, never below its title.
        if let width = options.width {
            let total = widths.reduce(0, +) + 2 * (widths.count - 1)
            let textColumns = fields.indices.filter { !fields[$0].isNumeric }
            if total > width, let widest = textColumns.max(by: { widths[$0] < widths[$1] }) {
                let floor = max(DisplayWidth.of(fields[widest].title), 8)
                let target = max(floor, widths[widest] - (total - width))
                if target < widths[widest] {
                    widths[widest] = target
                    for r in cells.indices { cells[r][widest] = DisplayWidth.truncate(cells[r][widest], to: target) }
                }
            }
        }
        var out = line(fields.map(\.title), fields: fields, widths: widths) { _, text in style.bold(text) }
        for row in cells {
            // Padding is measured on the plain text, so colour codes never disturb alignment.
            out += line(row, fields: fields, widths: widths) { i, text in
                fields[i].kind == .status ? style.status(text) : text
            }
        }
        return out
    }

    private func line(_ texts: [String], fields: [Field], widths: [Int],
                      decorate: (Int, String) -> String) -> String {
        var parts: [String] = []
        for (i, text) in texts.enumerated() {
            let pad = String(repeating: " ", count: max(0, widths[i] - DisplayWidth.of(text)))
            let isLast = i == texts.count - 1
            if fields[i].alignsRight {
                parts.append(pad + decorate(i, text))
            } else {
                parts.append(decorate(i, text) + (isLast ? "" : pad))
            }
        }
        return parts.joined(separator: "  ") + "\n"
    }

    /// Control characters shown as escapes (`\n`, `\x1b`): a newline would break the row, and an
    /// escape sequence from hostile input (a URL, a log line) must not drive the terminal.
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// How one value reads in a table cell, by its field's kind.
    public static func cell(_ value: Value, kind: Field.Kind) -> String {
        switch value {
        case .null: return "-"
        case .text(let s): return visible(s)
        case .bool(let b): return b ? "yes" : "no"
        case .integer(let i):
            switch kind {
            // Exact digits: no unit to convert, and a Double would round beyond 2^53.
            case .integer, .text, .status, .bool: return String(i)
            // A unit (seconds, bytes, a fraction) means the same amount whichever case holds it,
            // so 90 seconds reads `1m 30s` as an integer just as it does as a number.
            case .number, .ratio, .duration, .latency, .bytes: return cell(.number(Double(i)), kind: kind)
            }
        case .number(let d):
            if d.isNaN { return "-" }
            switch kind {
            case .number(let places): return Format.decimal(d, places: places)
            case .ratio(let places): return Format.percent(d, places: places)
            case .duration: return DurationUnits.human(d)
            case .latency: return Format.decimal(d * 1000, places: 1) + "ms"
            case .bytes: return SizeUnits.human(d)
            case .integer: return Format.decimal(d, places: 0)
            default: return Format.shortest(d)
            }
        }
    }
}

/// Aligned columns for people: a header row, two spaces between columns, numbers right-aligned,
/// then the summary as `title: value` lines and any notes. On a terminal, text columns are
/// shortened with `…` so rows do not wrap (see `fit`); elsewhere nothing is cut.
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
        if let width = options.width {
            let floors = fields.map(Self.shrinkFloor)
            if let fitted = Self.fit(widths, floors: floors, into: width) {
                for i in fields.indices where fitted[i] < widths[i] {
                    let cut = fields[i].cut == .middle ? DisplayWidth.truncateMiddle : DisplayWidth.truncate
                    for r in cells.indices { cells[r][i] = cut(cells[r][i], fitted[i]) }
                }
                widths = fitted
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

    /// The narrowest a column may be shrunk to, or nil when it is never cut. Only free text is
    /// cut: a cut number, status or yes/no would lie. The floor keeps the header whole and at
    /// least five characters and `…`, enough to tell most names apart.
    static func shrinkFloor(_ field: Field) -> Int? {
        field.kind == .text ? max(DisplayWidth.of(field.title), 6) : nil
    }

    /// Column widths that fit `width` display columns with two spaces between columns, or nil
    /// when the table already fits or cannot fit even with every text column at its floor (it is
    /// then printed whole: a wrapped row still holds every character, a cut one does not).
    /// The rule, one display column at a time: take it from the widest column that is still
    /// above its floor, the rightmost of equals (leading columns usually name the row). So the
    /// longest columns shrink first and the shrunk ones end within one column of each other,
    /// while short ones stay whole. Whole rounds over the equally widest columns are taken at
    /// once, so the work grows with the number of columns, not with how long a cell is.
    static func fit(_ natural: [Int], floors: [Int?], into width: Int) -> [Int]? {
        var widths = natural
        var excess = natural.reduce(0, +) + 2 * max(0, natural.count - 1) - width
        guard excess > 0 else { return nil }
        let room = natural.indices.reduce(0) { sum, i in sum + max(0, natural[i] - (floors[i] ?? natural[i])) }
        guard room >= excess else { return nil }
        while excess > 0 {
            // room >= excess guarantees a column above its floor while excess remains.
            let open = widths.indices.filter { i in floors[i].map { widths[i] > $0 } ?? false }
            let top = open.map { widths[$0] }.max() ?? 0
            let widest = open.filter { widths[$0] == top }
            let below = open.map { widths[$0] }.filter { $0 < top }.max() ?? 0
            // Rounds until another column joins the widest or one of them reaches its floor.
            let depth = widest.map { top - (floors[$0] ?? top) }.reduce(top - below, min)
            let rounds = min(depth, excess / widest.count)
            if rounds > 0 {
                for i in widest { widths[i] -= rounds }
                excess -= rounds * widest.count
            } else {
                // Less than a round left: the rightmost of the widest give one column each.
                for i in widest.suffix(excess) { widths[i] -= 1 }
                excess = 0
            }
        }
        return widths
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

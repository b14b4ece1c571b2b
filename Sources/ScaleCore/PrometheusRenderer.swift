/// Prometheus text exposition format 0.0.4, valid for node_exporter's textfile collector: each
/// numeric field becomes the gauge `scalectl_<command>_<field>`, labelled by the row's text
/// fields; summary numbers are unlabelled gauges.
public struct PrometheusRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        let prefix = "scalectl_" + Self.metricName(report.command)
        let labelFields = report.fields.indices.filter { !report.fields[$0].isNumeric }
        var out = ""
        for (index, field) in report.fields.enumerated() where field.isNumeric {
            let samples = report.rows.compactMap { row -> String? in
                guard let number = row[index].numeric else { return nil }
                let labels = labelFields.compactMap { li -> String? in
                    guard case .text(let text) = row[li] else { return nil }
                    return "\(Self.metricName(report.fields[li].name))=\"\(Self.escapeLabel(text))\""
                }
                let labelText = labels.isEmpty ? "" : "{" + labels.joined(separator: ",") + "}"
                return "\(prefix)_\(Self.metricName(field.name))\(labelText) \(Self.number(number))\n"
            }
            guard !samples.isEmpty else { continue }
            out += header(prefix: prefix, field: field)
            out += samples.joined()
        }
        for (field, value) in zip(report.summaryFields, report.summary) where field.isNumeric {
            guard let number = value.numeric else { continue }
            out += header(prefix: prefix, field: field)
            out += "\(prefix)_\(Self.metricName(field.name)) \(Self.number(number))\n"
        }
        return out
    }

    private func header(prefix: String, field: Field) -> String {
        let name = "\(prefix)_\(Self.metricName(field.name))"
        return "# HELP \(name) \(Self.escapeHelp(field.help))\n# TYPE \(name) gauge\n"
    }

    /// Metric and label names allow `[a-zA-Z_:][a-zA-Z0-9_:]*`; anything else becomes `_`.
    static func metricName(_ text: String) -> String {
        var out = ""
        for (i, scalar) in text.unicodeScalars.enumerated() {
            let v = scalar.value
            let letter = (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
            let digit = v >= 0x30 && v <= 0x39
            out += (letter || (digit && i > 0)) ? String(scalar) : "_"
        }
        return out
    }

    /// Label values escape backslash, double quote and line feed.
    static func escapeLabel(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// HELP text escapes backslash and line feed only.
    static func escapeHelp(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return Format.shortest(value)
    }
}

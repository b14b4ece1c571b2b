/// Prometheus text exposition format 0.0.4, valid for node_exporter's textfile collector: each
/// numeric field becomes the gauge `scalectl_<command>_<field>` (or the name the field asks for,
/// see `PrometheusExport`), labelled by the row's text fields; summary numbers are gauges
/// without row labels. Samples of one metric name are printed together under one `# HELP` and
/// `# TYPE`, as the format requires.
public struct PrometheusRenderer: ReportRenderer {
    public init() {}

    private struct Family {
        var name: String
        var help: String
        var samples: [String] = []
    }

    public func render(_ report: Report) -> String {
        let prefix = "scalectl_" + Self.metricName(report.command)
        let labelFields = report.fields.indices.filter {
            !report.fields[$0].isNumeric && report.fields[$0].prometheus != .omitted
        }
        var families: [Family] = []
        func add(_ field: Field, labels: [String], value: Double) {
            let name: String
            var allLabels = labels
            switch field.prometheus {
            case .omitted: return
            case .automatic: name = "\(prefix)_\(Self.metricName(field.name))"
            case .metric(let custom, let constant):
                name = Self.metricName(custom)
                allLabels += constant.map { "\(Self.metricName($0.name))=\"\(Self.escapeLabel($0.value))\"" }
            }
            let labelText = allLabels.isEmpty ? "" : "{" + allLabels.joined(separator: ",") + "}"
            let sample = "\(name)\(labelText) \(Self.number(value))\n"
            if let index = families.firstIndex(where: { $0.name == name }) {
                families[index].samples.append(sample)
            } else {
                families.append(Family(name: name, help: field.help, samples: [sample]))
            }
        }
        for (index, field) in report.fields.enumerated() where field.isNumeric {
            for row in report.rows {
                guard let number = row[index].numeric else { continue }
                let labels = labelFields.compactMap { li -> String? in
                    guard case .text(let text) = row[li] else { return nil }
                    return "\(Self.metricName(report.fields[li].name))=\"\(Self.escapeLabel(text))\""
                }
                add(field, labels: labels, value: number)
            }
        }
        for (field, value) in zip(report.summaryFields, report.summary) where field.isNumeric {
            guard let number = value.numeric else { continue }
            add(field, labels: [], value: number)
        }
        var out = ""
        for family in families {
            out += "# HELP \(family.name) \(Self.escapeHelp(family.help))\n# TYPE \(family.name) gauge\n"
            out += family.samples.joined()
        }
        return out
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

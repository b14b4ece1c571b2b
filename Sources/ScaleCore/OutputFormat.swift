/// `-o/--format`: defined once and reused by every command (as kubectl's `-o`). The format never
/// depends on whether stdout is a terminal; only decoration (colour, width) does.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table, json, ndjson, csv, prometheus, sarif, nagios

    public var help: String {
        switch self {
        case .table: return "aligned columns for people (colour and width only on a terminal)"
        case .json: return "one JSON document with schema_version, results and summary"
        case .ndjson: return "one JSON object per line: result lines, then a summary line"
        case .csv: return "RFC 4180 CSV with a header row"
        case .prometheus: return "Prometheus text exposition format 0.0.4 (node_exporter textfile collector)"
        case .sarif: return "SARIF 2.1.0 for code-review tools: one result per finding (commands with findings only)"
        case .nagios: return "monitoring-plugin output (Nagios, Icinga, Sensu): a status line with perfdata, then the table"
        }
    }

    /// Whether a report's notes are part of this format's text (table lines, a json `notes`
    /// array). The others have no place for them, so whoever writes the report puts them on stderr.
    public var carriesNotes: Bool { self == .table || self == .json || self == .ndjson || self == .nagios }
}

/// How a report is decorated; only the table format uses these.
public struct RenderOptions: Sendable {
    public var color: Bool
    /// The terminal's width in columns, or nil when output is not a terminal (no truncation).
    public var width: Int?

    public init(color: Bool = false, width: Int? = nil) {
        self.color = color
        self.width = width
    }
}

/// The one exporter interface (as hyperfine's): a report in, the text of one format out.
public protocol ReportRenderer {
    func render(_ report: Report) -> String
}

extension OutputFormat {
    public func renderer(options: RenderOptions = RenderOptions()) -> any ReportRenderer {
        switch self {
        case .table: return TableRenderer(options: options)
        case .json: return JSONRenderer()
        case .ndjson: return NDJSONRenderer()
        case .csv: return CSVRenderer()
        case .prometheus: return PrometheusRenderer()
        case .sarif: return SARIFRenderer()
        case .nagios: return NagiosRenderer()
        }
    }

    public func render(_ report: Report, options: RenderOptions = RenderOptions()) -> String {
        renderer(options: options).render(report)
    }
}

/// The one result model every command produces and every output format renders. A command
/// fills rows (one per endpoint, node, queue…) and an optional summary; the renderers decide
/// how each kind of field looks, so the same field has the same name in every format.
/// Rows and summary come from typed columns (`Column`), so a row's values are in field order
/// by construction.
public struct Report: Sendable {
    /// The command path, e.g. `availability budget`; prometheus metric names start with it.
    public var command: String
    public let fields: [Field]
    public let rows: [[Value]]
    public let summaryFields: [Field]
    public let summary: [Value]
    /// Lines a person should see under the table (e.g. `TLS verification is off (--insecure)`).
    /// Machine formats carry them as a `notes` array (json, ndjson summary) or drop them (csv, prometheus).
    public var notes: [String]
    /// The run's state and headline, for commands that are checks (`-o nagios`).
    public var check: CheckOutcome?

    public static let schemaVersion = 1

    /// Rows, each filled by `columns`, and a summary filled by `summaryColumns`.
    public init<Row, Summary>(command: String, columns: [Column<Row>], rows: [Row],
                              summaryColumns: [Column<Summary>], summary: Summary, notes: [String] = []) {
        self.init(command: command, fields: columns.map(\.field), rows: rows.map { row in columns.map { $0.value(row) } },
                  summaryFields: summaryColumns.map(\.field), summary: summaryColumns.map { $0.value(summary) }, notes: notes)
    }

    /// Rows without a summary.
    public init<Row>(command: String, columns: [Column<Row>], rows: [Row], notes: [String] = []) {
        self.init(command: command, columns: columns, rows: rows, summaryColumns: [Column<Void>](), summary: (), notes: notes)
    }

    /// A summary without rows.
    public init<Summary>(command: String, summaryColumns: [Column<Summary>], summary: Summary, notes: [String] = []) {
        self.init(command: command, columns: [Column<Void>](), rows: [], summaryColumns: summaryColumns, summary: summary, notes: notes)
    }

    /// Values already in field order: for renderers that reshape a report they were given.
    init(command: String, fields: [Field], rows: [[Value]], summaryFields: [Field], summary: [Value], notes: [String]) {
        self.command = command
        self.fields = fields
        self.rows = rows
        self.summaryFields = summaryFields
        self.summary = summary
        self.notes = notes
        self.check = nil
    }
}

/// One named column or summary item. `name` is snake_case with its unit in it
/// (`total_seconds`, `bytes`, `hit_ratio`); it is the JSON key, CSV header and metric suffix.
public struct Field: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Free text; a label in prometheus output.
        case text
        /// OK / WARNING / CRITICAL / UNKNOWN; coloured in tables, a label in prometheus.
        case status
        case integer
        /// A number shown with `places` decimals in tables and in full elsewhere.
        case number(places: Int)
        /// A 0…1 fraction, shown as a percentage with `places` decimals in tables.
        case ratio(places: Int)
        /// Seconds, shown as `8h 45m 57s` in tables.
        case duration
        /// Seconds, shown as milliseconds with one decimal in tables (latencies).
        case latency
        /// Bytes, shown as `1.5 MiB` in tables.
        case bytes
        case bool
    }

    public var name: String
    public var kind: Kind
    /// The table header; defaults to the name in capitals with spaces.
    public var title: String
    /// One sentence for prometheus `# HELP` and the docs.
    public var help: String
    /// How prometheus output shows this field (a gauge, a label, a name of its own, or not at all).
    public var prometheus: PrometheusExport
    /// False for columns that only machines want (epoch seconds, the full URL beside a name):
    /// the table leaves them out; every other format keeps them.
    public var inTable: Bool
    /// Where a table cuts a cell too wide for the terminal: at the end, or in the middle for
    /// values that differ at the end (URLs on one host: `https://api.example…/v2/health`).
    public var cut: Cut = .end

    public enum Cut: Sendable, Equatable {
        case end
        case middle
    }

    public init(_ name: String, _ kind: Kind, title: String? = nil, help: String = "",
                prometheus: PrometheusExport = .automatic, inTable: Bool = true) {
        self.name = name
        self.kind = kind
        self.title = title ?? name.uppercased().replacingUnderscores()
        self.help = help.isEmpty ? name.replacingUnderscores() : help
        self.prometheus = prometheus
        self.inTable = inTable
    }

    /// Whether the value is a number to machines: a gauge in prometheus (a bool is 0 or 1, as
    /// blackbox_exporter's `probe_success`), a label otherwise.
    public var isNumeric: Bool {
        switch kind {
        case .text, .status: return false
        default: return true
        }
    }

    /// Quantities align right in tables so their digits line up; words — text, status and a
    /// bool's `yes`/`no` — align left. The table decides alignment here and nowhere else.
    public var alignsRight: Bool {
        switch kind {
        case .text, .status, .bool: return false
        default: return true
        }
    }
}

public enum Value: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case number(Double)
    case bool(Bool)
    case null

    public static func int(_ value: Int) -> Value { .integer(Int64(value)) }

    /// A whole count held as a Double (a depth, a sum of depths): `.integer` when Int64 holds it,
    /// else `.number`, so a count from a broken source prints as what it is instead of trapping.
    public static func count(_ value: Double) -> Value {
        let whole = value.rounded()
        guard let exact = Int64(exactly: whole) else { return .number(value) }
        return .integer(exact)
    }

    /// The value as a Double for numeric outputs; nil for text and null.
    public var numeric: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .text, .null: return nil
        }
    }
}

extension String {
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? " " : $0 })
    }
}

/// How the prometheus renderer treats one field.
public enum PrometheusExport: Sendable, Equatable {
    /// A number becomes the gauge `scalectl_<command>_<field>`; text and status become a label
    /// named after the field.
    case automatic
    /// A number becomes the gauge `name`, exactly as given, with `labels` added to the row's
    /// labels — for following a naming scheme users already query (blackbox_exporter's
    /// `probe_success`). Fields may share a name with different labels
    /// (`probe_http_duration_seconds{phase="connect"}`); they print as one metric family under
    /// the first one's help.
    case metric(String, labels: [MetricLabel] = [])
    /// Neither a gauge nor a label: text that changes from run to run (a reason, an address)
    /// would make every run a new series.
    case omitted
}

/// A constant label of a named metric.
public struct MetricLabel: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

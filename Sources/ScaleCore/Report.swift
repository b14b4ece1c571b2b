/// The one result model every command produces and every output format renders. A command
/// fills rows (one per endpoint, node, queue…) and an optional summary; the renderers decide
/// how each kind of field looks, so the same field has the same name in every format.
public struct Report: Sendable {
    /// The command path, e.g. `availability budget`; prometheus metric names start with it.
    public var command: String
    public var fields: [Field]
    public var rows: [[Value]]
    public var summaryFields: [Field]
    public var summary: [Value]
    /// Lines a person should see under the table (e.g. `TLS verification is off (--insecure)`).
    /// Machine formats carry them as a `notes` array (json, ndjson summary) or drop them (csv, prometheus).
    public var notes: [String]

    public static let schemaVersion = 1

    public init(command: String, fields: [Field], rows: [[Value]] = [],
                summaryFields: [Field] = [], summary: [Value] = [], notes: [String] = []) {
        precondition(rows.allSatisfy { $0.count == fields.count }, "every row has one value per field")
        precondition(summary.count == summaryFields.count, "one summary value per summary field")
        self.command = command
        self.fields = fields
        self.rows = rows
        self.summaryFields = summaryFields
        self.summary = summary
        self.notes = notes
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

    public init(_ name: String, _ kind: Kind, title: String? = nil, help: String = "") {
        self.name = name
        self.kind = kind
        self.title = title ?? name.uppercased().replacingUnderscores()
        self.help = help.isEmpty ? name.replacingUnderscores() : help
    }

    /// Numbers align right in tables; text and status align left.
    public var isNumeric: Bool {
        switch kind {
        case .text, .status: return false
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

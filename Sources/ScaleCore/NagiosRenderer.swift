/// What a check-style command says about its run as a whole: the state its exit status carries,
/// one line a pager can show, and the limits its figures were held to. Commands that set it
/// offer `-o nagios`.
public struct CheckOutcome: Sendable {
    public var status: ExitCode
    /// `9 of 14 down: api-3 refused, …` — the text after `SCALECTL PROBE CRITICAL - `.
    public var headline: String
    /// Warning and critical ranges of summary fields, by field name.
    public var thresholds: [String: PerfThresholds]
    /// Figures beyond the summary's (one per target, say), after them.
    public var perfdata: [PerfDatum]

    public init(status: ExitCode, headline: String, thresholds: [String: PerfThresholds] = [:], perfdata: [PerfDatum] = []) {
        self.status = status
        self.headline = headline
        self.thresholds = thresholds
        self.perfdata = perfdata
    }
}

/// The warn and crit columns of one performance figure, in the guidelines' range syntax
/// (`10`, `10:`, `~:10`, `@10:20`); nil leaves the column empty.
public struct PerfThresholds: Sendable, Equatable {
    public var warning: String?
    public var critical: String?

    public init(warning: String? = nil, critical: String? = nil) {
        self.warning = warning
        self.critical = critical
    }

    /// Alert above `warning` / `critical` (the range `0:limit`, written as the bare limit).
    public static func above(warning: Double?, critical: Double?) -> PerfThresholds {
        PerfThresholds(warning: warning.map(NagiosRenderer.number), critical: critical.map(NagiosRenderer.number))
    }

    /// Alert below `warning` / `critical` (the range `limit:`, up to infinity).
    public static func below(warning: Double?, critical: Double?) -> PerfThresholds {
        PerfThresholds(warning: warning.map { NagiosRenderer.number($0) + ":" }, critical: critical.map { NagiosRenderer.number($0) + ":" })
    }
}

/// One `'label'=value[UOM];[warn];[crit];[min];[max]` item.
public struct PerfDatum: Sendable, Equatable {
    public var label: String
    /// nil is a figure that was not measured: printed as `U`.
    public var value: Double?
    /// One of the guidelines' units: "" (a number), s, ms, us, %, B, KB, MB, TB, c.
    public var unit: String
    public var thresholds: PerfThresholds
    public var min: Double?
    public var max: Double?

    public init(_ label: String, _ value: Double?, unit: String = "", thresholds: PerfThresholds = PerfThresholds(),
                min: Double? = nil, max: Double? = nil) {
        self.label = label
        self.value = value
        self.unit = unit
        self.thresholds = thresholds
        self.min = min
        self.max = max
    }

    /// A summary field as a figure: seconds in s, ratios in % (0…100), bytes in B.
    public init(_ field: Field, _ value: Value, thresholds: PerfThresholds = PerfThresholds()) {
        let number = value.numeric
        switch field.kind {
        case .duration, .latency:
            self.init(field.name, number, unit: "s", thresholds: thresholds, min: 0)
        case .ratio:
            self.init(field.name, number.map { $0 * 100 }, unit: "%", thresholds: thresholds, min: 0, max: 100)
        case .bytes:
            self.init(field.name, number, unit: "B", thresholds: thresholds, min: 0)
        case .bool:
            self.init(field.name, number, thresholds: thresholds, min: 0, max: 1)
        default:
            self.init(field.name, number, thresholds: thresholds)
        }
    }

    /// The item as the guidelines spell it; empty trailing columns are left off.
    public var text: String {
        var columns = [value.flatMap { $0.isFinite ? NagiosRenderer.number($0) + unit : nil } ?? "U",
                       thresholds.warning ?? "", thresholds.critical ?? "",
                       min.map(NagiosRenderer.number) ?? "", max.map(NagiosRenderer.number) ?? ""]
        while columns.count > 1, columns.last == "" { columns.removeLast() }
        return NagiosRenderer.quoteLabel(label) + "=" + columns.joined(separator: ";")
    }
}

/// Monitoring-plugin output (Nagios, Icinga, Sensu, Naemon): the first line
/// `SCALECTL <COMMAND> <STATE> - <headline> | <perfdata>`, then the table as long output. The
/// state is the exit status's name, so the line and the status never disagree. `|` is reserved
/// for perfdata, so it becomes `/` in text; perfdata values never use exponents.
public struct NagiosRenderer: ReportRenderer {
    public init() {}

    public func render(_ report: Report) -> String {
        let service = "SCALECTL " + report.command.uppercased()
        guard let check = report.check else {
            return "\(service) UNKNOWN - this command has no check status\n"
        }
        let state = Self.stateName(check.status)
        var perfdata: [PerfDatum] = []
        for (field, value) in zip(report.summaryFields, report.summary) where field.isNumeric {
            perfdata.append(PerfDatum(field, value, thresholds: check.thresholds[field.name] ?? PerfThresholds()))
        }
        perfdata += check.perfdata
        var out = "\(service) \(state) - \(Self.oneLine(check.headline))"
        if !perfdata.isEmpty { out += " | " + perfdata.map(\.text).joined(separator: " ") }
        out += "\n"
        let long = TableRenderer(options: RenderOptions()).render(report)
        for line in long.split(separator: "\n", omittingEmptySubsequences: true) {
            out += Self.oneLine(String(line)) + "\n"
        }
        return out
    }

    /// OK, WARNING, CRITICAL or UNKNOWN for exit statuses 0…3; anything else is UNKNOWN.
    public static func stateName(_ status: ExitCode) -> String {
        // The plugin states are exit statuses 0-3 and share their names; anything else is UNKNOWN.
        status.rawValue <= ExitCode.unknown.rawValue ? status.description : ExitCode.unknown.description
    }

    /// Text without the two characters plugin output reserves: `|` (perfdata) and line ends.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0 == "|" ? "/" : ($0 == "\n" || $0 == "\r" ? " " : $0) })
    }

    /// Labels are always quoted, with `'` doubled; `=` is not allowed in a label, so it becomes `_`.
    static func quoteLabel(_ label: String) -> String {
        var out = "'"
        for ch in oneLine(label) {
            switch ch {
            case "=": out += "_"
            case "'": out += "''"
            default: out.append(ch)
            }
        }
        return out + "'"
    }

    /// `1.5e+20` as `150000000000000000000`: Swift spells large whole numbers with an exponent.
    static func expanded(_ text: String) -> String {
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }), let exponent = Int(text[text.index(after: e)...]), exponent > 0 else { return text }
        var mantissa = String(text[..<e])
        let negative = mantissa.hasPrefix("-")
        if negative { mantissa.removeFirst() }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        let digits = String(parts[0]) + fraction + String(repeating: "0", count: max(0, exponent - fraction.count))
        return (negative ? "-" : "") + digits
    }

    /// Plain decimal (`[-0-9.]`), never an exponent; up to nine decimals, trailing zeros dropped.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "U" }
        if value == value.rounded(), abs(value) < 9e18 { return String(Int64(value)) }
        if abs(value) >= 9e18 { return expanded(value.description) }
        var text = Format.decimal(value, places: 9)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

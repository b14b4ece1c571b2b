/// Process exit status, following the monitoring-plugin convention (Nagios, Icinga, Sensu,
/// Consul) so `probe`, `backlog` and `cdn` plug into those checks and CI gates unchanged.
public struct ExitCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// Computed, every check passed.
    public static let ok = ExitCode(rawValue: 0)
    /// A `--warning` threshold or a warn-level finding was reached.
    public static let warning = ExitCode(rawValue: 1)
    /// A `--critical` threshold, an error-level finding, or the target itself failed.
    public static let critical = ExitCode(rawValue: 2)
    /// scalectl could not measure (unreadable input, internal error).
    public static let unknown = ExitCode(rawValue: 3)
    /// Bad flags or arguments; nothing was attempted (BSD `EX_USAGE`).
    public static let usage = ExitCode(rawValue: 64)
    /// Interrupted by SIGINT (128 + 2, as shells report it).
    public static let interrupted = ExitCode(rawValue: 130)

    /// The documented codes, in order, with their meaning; the man page and help print this table.
    public static let documented: [(code: ExitCode, name: String, meaning: String)] = [
        (.ok, "OK", "computed, every check passed"),
        (.warning, "WARNING", "a --warning threshold or a warn-level finding was reached"),
        (.critical, "CRITICAL", "a --critical threshold, an error-level finding, or the target itself failed (refused, DNS, timeout, 5xx)"),
        (.unknown, "UNKNOWN", "scalectl could not measure (unreadable input, internal error)"),
        (.usage, "USAGE", "bad flags or arguments; nothing was attempted"),
        (.interrupted, "INTERRUPTED", "interrupted by Ctrl-C (SIGINT)"),
    ]

    /// The worse of two check states: CRITICAL > WARNING > UNKNOWN > OK, as Nagios ranks them
    /// when several checks fold into one status. Usage and interrupt codes win over everything.
    public func worse(_ other: ExitCode) -> ExitCode {
        severity >= other.severity ? self : other
    }

    private var severity: Int {
        switch rawValue {
        case 0: return 0
        case 3: return 1
        case 1: return 2
        case 2: return 3
        default: return 4
        }
    }

    public static func < (lhs: ExitCode, rhs: ExitCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        ExitCode.documented.first { $0.code == self }?.name ?? "EXIT \(rawValue)"
    }
}

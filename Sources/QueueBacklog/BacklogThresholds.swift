public import ScaleCore

/// `--warning depth=10000,age=5m,drain=30m`: a check is breached when a value exceeds its
/// limit (Nagios style: the limit itself is still fine). A queue that is not draining has an
/// infinite drain time, so it breaches any drain limit while it holds messages.
public struct BacklogThresholds: Sendable, Equatable {
    public var depth: Double?
    public var ageSeconds: Double?
    public var drainSeconds: Double?

    public init(depth: Double? = nil, ageSeconds: Double? = nil, drainSeconds: Double? = nil) {
        self.depth = depth
        self.ageSeconds = ageSeconds
        self.drainSeconds = drainSeconds
    }

    public var isEmpty: Bool { depth == nil && ageSeconds == nil && drainSeconds == nil }

    static let fix = "write KEY=LIMIT pairs separated by commas: depth=10000, age=5m, drain=30m"

    /// Parses `depth=N,age=DURATION,drain=DURATION` (any subset, any order), merging into self
    /// so the option may be repeated.
    public func merging(_ text: String) throws(ScaleError) -> BacklogThresholds {
        var result = self
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = String(part).trimmingSpaces
            guard let eq = pair.firstIndex(of: "=") else {
                throw .usage("'\(pair)' is not KEY=LIMIT", fix: Self.fix)
            }
            let key = String(pair[..<eq]).trimmingSpaces
            let value = String(pair[pair.index(after: eq)...]).trimmingSpaces
            switch key {
            case "depth", "lag":
                guard let number = Double(value), number.isFinite, number >= 0 else {
                    throw .usage("'\(value)' is not a message count", fix: "write e.g. depth=10000")
                }
                result.depth = number
            case "age":
                result.ageSeconds = try DurationUnits.parse(value)
            case "drain":
                result.drainSeconds = try DurationUnits.parse(value)
            default:
                throw .usage("unknown threshold '\(key)'", fix: Self.fix)
            }
        }
        return result
    }

    /// The names of the limits exceeded. `drain` is nil when unknown (no rates yet) and
    /// `.infinity` when the queue is not draining.
    public func breaches(depth: Double, ageSeconds: Double?, drainSeconds: Double?) -> [String] {
        var out: [String] = []
        if let limit = self.depth, depth > limit { out.append("depth") }
        if let limit = self.ageSeconds, let ageSeconds, ageSeconds > limit { out.append("age") }
        if let limit = self.drainSeconds, depth > 0, let drainSeconds, drainSeconds > limit { out.append("drain") }
        return out
    }
}

public import ScaleCore

/// Numbers read from outside (sample files, queue servers, Prometheus) are range-checked where
/// they are read, before any conversion or arithmetic: a broken or hostile source gets an error
/// naming it and the field, never a trap.
public enum InputRange {
    /// The largest count taken: 2^53, below which every whole number is exact in a Double (and
    /// far above any real queue's depth or counter).
    public static let maxCount = 9_007_199_254_740_992.0

    public static func isCount(_ value: Double) -> Bool { value.isFinite && value >= 0 && value <= maxCount }

    /// Seconds since the epoch that have a date (years 0000-9999).
    public static func isInstant(_ seconds: Double) -> Bool { UTCTimestamp.representableSeconds.contains(seconds) }

    /// A count from a server's answer: nil when absent, an error naming `field` when out of range.
    public static func count(_ value: Double?, field: String, source: String) throws(ScaleError) -> Double? {
        guard let value else { return nil }
        guard isCount(value) else {
            throw .input("\(field) is \(Format.shortest(value)), not a count (a whole number from 0 to 2^53)", at: source)
        }
        return value
    }
}

import ScaleCore

/// Timestamps as samples carry them: Unix seconds (`1714550400`, `1714550400.25`) or RFC 3339
/// (`2024-05-01T08:00:00Z`, `2024-05-01 08:00:00.5+02:00`), read and written by ScaleCore's
/// UTCTimestamp.
public enum Timestamp {
    /// Seconds since the epoch, or nil when `text` is neither form or is outside years 0000-9999.
    public static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        if bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }) {
            guard let value = Double(text), UTCTimestamp.representableSeconds.contains(value) else { return nil }
            return value
        }
        return UTCTimestamp.seconds(rfc3339: bytes)
    }

    /// `2024-05-01T08:00:00Z`: UTC, whole seconds (rounded down); nil past the year 9999 (a
    /// drain so slow that its end has no date).
    public static func format(_ seconds: Double) -> String? {
        guard UTCTimestamp.representableSeconds.contains(seconds) else { return nil }
        return UTCTimestamp.string(epochSeconds: seconds, fractionDigits: 0)
    }
}

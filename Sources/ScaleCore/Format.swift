/// Locale-free number formatting: output must be identical on every machine and in every
/// format, so nothing here consults the locale (no `NumberFormatter`).
public enum Format {
    /// `value` with exactly `places` decimal places, rounded half away from zero.
    public static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9.0e18 else { return value.description }
        let whole = UInt64(scaled)
        let negative = value < 0 && whole != 0
        var digits = String(whole)
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return negative ? "-" + digits : digits
    }

    /// The shortest text that reads back as the same `Double` (`0.1`, `3`, `1e-05`), with a
    /// whole number printed without `.0` so JSON and CSV consumers see `3`, not `3.0`.
    public static func shortest(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return value.description
    }

    /// A ratio as a percentage: `99.95%`; `places` decimals.
    public static func percent(_ ratio: Double, places: Int = 2) -> String {
        decimal(ratio * 100, places: places) + "%"
    }
}

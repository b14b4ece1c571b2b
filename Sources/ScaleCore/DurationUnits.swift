/// Durations as users type them (`250ms`, `30s`, `5m`, `1h30m`, `7d`, `1.5s`) and as people read
/// them (`8h 45m 57s`). Values are seconds as `Double`: every consumer divides or multiplies them.
public enum DurationUnits {
    static let units: [(suffix: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3),
        ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("w", 604_800),
    ]

    static let fix = "write a number with a unit, such as 250ms, 30s, 5m, 1h30m or 7d (units: ns, us, ms, s, m, h, d, w)"

    /// Parses a sequence of number+unit terms (`1h30m`, `1.5s`). A bare number is refused: `5`
    /// could be seconds or minutes, and guessing wrong by 60x is worse than asking.
    public static func parse(_ text: String) throws(ScaleError) -> Double {
        let scalars = Array(text.trimmingSpaces.unicodeScalars)
        guard !scalars.isEmpty else { throw .usage("empty duration", fix: fix) }
        var total = 0.0
        var i = 0
        while i < scalars.count {
            if scalars[i] == " " { i += 1; continue }
            let numberStart = i
            while i < scalars.count, scalars[i].isASCIIDigitOrDot { i += 1 }
            let numberText = String(String.UnicodeScalarView(scalars[numberStart..<i]))
            let unitStart = i
            while i < scalars.count, !scalars[i].isASCIIDigitOrDot, scalars[i] != " " { i += 1 }
            let unitText = String(String.UnicodeScalarView(scalars[unitStart..<i]))
            guard let number = Double(numberText), number.isFinite else {
                throw .usage("'\(text)' is not a duration", fix: fix)
            }
            guard !unitText.isEmpty else {
                throw .usage("'\(text)' has no unit", fix: fix)
            }
            guard let unit = units.first(where: { $0.suffix == unitText }) else {
                throw .usage("'\(text)' has an unknown unit '\(unitText)'", fix: fix)
            }
            total += number * unit.seconds
        }
        guard total.isFinite else { throw .usage("'\(text)' is too large", fix: fix) }
        return total
    }

    /// The one display rule for durations in tables:
    /// - 1 s and up: rounded to the nearest second, the units from the largest non-zero one down
    ///   to the smallest non-zero one (`8h 45m 57s`, `2d 3h`, `1h 0m 5s`), as uptime.is prints
    ///   budgets (99% of a 365.2425-day year, 315,569.52 s, is "3d 15h 39m 30s");
    /// - under 1 s: milliseconds, with one decimal under 10 ms (`864ms`, `8.6ms`), and
    ///   microseconds under 1 ms (`86µs`) — rounding 0 s there would hide the figure entirely.
    /// A value that rounds up to the next unit is printed in it (0.9996 s is `1s`, not `1000ms`).
    /// Machine formats never use this: they carry the exact seconds.
    public static func human(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds.isNaN ? "n/a" : (seconds > 0 ? "forever" : "-forever") }
        if seconds < 0 { return "-" + human(-seconds) }
        if seconds == 0 { return "0s" }
        // Past Int64 seconds (an integer field holding Int64.max): whole days, not a trap.
        if seconds >= 9.0e18 { return Format.decimal(seconds / 86_400, places: 0) + "d" }
        if seconds < 1 {
            let ms = seconds * 1000
            if (ms * 10).rounded() < 100 {
                if (ms * 10).rounded() >= 10 { return Format.decimal(ms, places: 1) + "ms" }
                return Format.decimal(seconds * 1_000_000, places: 0) + "µs"
            }
            if ms.rounded() < 1000 { return Format.decimal(ms, places: 0) + "ms" }
        }
        let rest = Int64(seconds.rounded())
        let parts: [(Int64, String)] = [
            (rest / 86_400, "d"), ((rest % 86_400) / 3600, "h"), ((rest % 3600) / 60, "m"), (rest % 60, "s"),
        ]
        // From the largest non-zero unit down to the smallest non-zero one: "1h 0m 5s", "2d 2h".
        guard let first = parts.firstIndex(where: { $0.0 > 0 }),
              let last = parts.lastIndex(where: { $0.0 > 0 }) else { return "0s" }
        return parts[first...last].map { "\($0.0)\($0.1)" }.joined(separator: " ")
    }
}

extension Unicode.Scalar {
    var isASCIIDigitOrDot: Bool { (value >= 0x30 && value <= 0x39) || value == 0x2E }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs (FoundationEssentials has no
    /// `trimmingCharacters`).
    public var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

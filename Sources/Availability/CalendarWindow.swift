public import ScaleCore

/// The windows budgets are quoted in. Calendar conventions follow uptime.is: a year is
/// 365.2425 days (the Gregorian average), a month a twelfth of it, a quarter a quarter of it.
public struct CalendarWindow: Sendable, Equatable {
    public var name: String
    public var seconds: Double

    public init(name: String, seconds: Double) {
        self.name = name
        self.seconds = seconds
    }

    public static let day = CalendarWindow(name: "day", seconds: 86_400)
    public static let week = CalendarWindow(name: "week", seconds: 7 * 86_400)
    public static let year = CalendarWindow(name: "year", seconds: 365.2425 * 86_400)
    public static let month = CalendarWindow(name: "month", seconds: year.seconds / 12)
    public static let quarter = CalendarWindow(name: "quarter", seconds: year.seconds / 4)

    public static let standard: [CalendarWindow] = [.day, .week, .month, .quarter, .year]

    static let fix = "write day, week, month, quarter or year, a number of years, quarters or months (1y, 1q, 3mo), or a duration such as 30d or 28d"

    /// `month`, `1y`, `2q`, `3mo`, or any duration (`30d`, `4w`, `720h`).
    public static func parse(_ text: String) throws(ScaleError) -> CalendarWindow {
        let trimmed = text.trimmingSpaces
        if let named = standard.first(where: { $0.name == trimmed }) { return named }
        for (suffix, unit) in [("mo", month.seconds), ("y", year.seconds), ("q", quarter.seconds)] where trimmed.hasSuffix(suffix) {
            let number = String(trimmed.dropLast(suffix.count))
            guard !number.isEmpty, number.unicodeScalars.allSatisfy(\.isDigitOrDot), let count = Double(number) else { break }
            guard count > 0 else { throw .usage("the window '\(text)' is empty", fix: fix) }
            return CalendarWindow(name: trimmed, seconds: count * unit)
        }
        let seconds: Double
        do { seconds = try DurationUnits.parse(trimmed) } catch { throw .usage(error.what, fix: fix) }
        guard seconds > 0 else { throw .usage("the window '\(text)' is empty", fix: fix) }
        return CalendarWindow(name: trimmed, seconds: seconds)
    }
}

extension Unicode.Scalar {
    var isDigitOrDot: Bool { (value >= 0x30 && value <= 0x39) || value == 0x2E }
}

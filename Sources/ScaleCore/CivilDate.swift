/// A proleptic Gregorian date and its day count since 1970-01-01, by Howard Hinnant's
/// `days_from_civil` / `civil_from_days` (http://howardhinnant.github.io/date_algorithms.html):
/// exact integer arithmetic, no time-zone database, no Foundation.
public struct CivilDate: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date `days` days after 1970-01-01 (before it when negative): `civil_from_days`.
    public init(daysSinceEpoch days: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Days since 1970-01-01: `days_from_civil`.
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let mp = (month + 9) % 12
        let dayOfYear = (153 * mp + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// True for a month 1…12 and a day that month has.
    public var isValid: Bool { (1...12).contains(month) && day >= 1 && day <= Self.daysIn(month: month, year: year) }

    /// `YYYY-MM-DD`.
    public var description: String {
        "\(UTCTimestamp.pad(year, 4))-\(UTCTimestamp.pad(month, 2))-\(UTCTimestamp.pad(day, 2))"
    }
}

/// RFC 3339 timestamps in UTC (`2023-11-14T22:13:20Z`, `2023-11-14T22:13:20.000Z`), from and to
/// seconds since 1970: logs from many machines sort and compare as text only in one zone.
public enum UTCTimestamp {
    /// 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z: the instants RFC 3339 can write (four-digit
    /// years). `string` needs one; a number read from outside is checked against this first.
    public static let representableSeconds: Range<Double> = -62_167_219_200..<253_402_300_800

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the instant rounded down to the millisecond.
    public static func string(epochSeconds: Double) -> String {
        string(epochSeconds: epochSeconds, fractionDigits: 3)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (`fractionDigits` 0, rounded down to the second) or with
    /// milliseconds (`fractionDigits` 3, rounded down to the millisecond). The instant must be
    /// in `representableSeconds`.
    public static func string(epochSeconds: Double, fractionDigits: Int) -> String {
        precondition(representableSeconds.contains(epochSeconds), "an instant outside years 0000-9999")
        var seconds: Int
        var fraction = ""
        if fractionDigits == 3 {
            let millis = Int((epochSeconds * 1000).rounded(.down))
            seconds = millis / 1000
            var rest = millis % 1000
            if rest < 0 { rest += 1000; seconds -= 1 }
            fraction = "." + pad(rest, 3)
        } else {
            seconds = Int(epochSeconds.rounded(.down))
        }
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let date = CivilDate(daysSinceEpoch: days)
        return "\(date)T\(pad(rest / 3600, 2)):\(pad(rest % 3600 / 60, 2)):\(pad(rest % 60, 2))\(fraction)Z"
    }

    /// Seconds since 1970 of an RFC 3339 date-time (`2024-05-01T08:00:00Z`,
    /// `2024-05-01 08:00:00.5+02:00`; `t`, `z` and a space for `T` accepted, as §5.6 allows);
    /// nil for anything else, including impossible dates (2001-02-29).
    public static func seconds(rfc3339 b: [UInt8]) -> Double? {
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for i in at..<(at + count) {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                value = value * 10 + Int(b[i] - 0x30)
            }
            return value
        }
        guard b.count >= 19, let year = digits(0, 4), b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D,
              let day = digits(8, 2), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") || b[10] == 0x20,
              let hour = digits(11, 2), b[13] == 0x3A, let minute = digits(14, 2), b[16] == 0x3A,
              let second = digits(17, 2),
              CivilDate(year: year, month: month, day: day).isValid,
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { fraction += Double(b[i] - 0x30) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        guard i < b.count else { return nil }
        switch b[i] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            i += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = digits(i + 1, 2), i + 3 < b.count, b[i + 3] == 0x3A, let om = digits(i + 4, 2),
                  oh < 24, om < 60 else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        default:
            return nil
        }
        guard i == b.count else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

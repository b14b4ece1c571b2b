import ScaleCore

/// HTTP-dates (RFC 9110 §5.6.7) as seconds since the Unix epoch. Recipients must accept all
/// three forms; senders must send only IMF-fixdate, so the form is kept for CACHE045.
public struct HTTPDate: Sendable, Equatable {
    public enum Form: String, Sendable {
        /// `Sun, 06 Nov 1994 08:49:37 GMT`
        case imfFixdate = "IMF-fixdate"
        /// `Sunday, 06-Nov-94 08:49:37 GMT` (obsolete)
        case rfc850 = "RFC 850"
        /// `Sun Nov  6 08:49:37 1994` (obsolete)
        case asctime
    }

    public var seconds: Int64
    public var form: Form

    public init(seconds: Int64, form: Form = .imfFixdate) {
        self.seconds = seconds
        self.form = form
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let shortDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let longDays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// Parses any of the three forms; nil for anything else (`0`, `-1`, garbage).
    public static func parse(_ text: String) -> HTTPDate? {
        let bytes = Array(text.utf8)
        guard bytes.count <= 64 else { return nil }
        let trimmed = String(decoding: bytes, as: UTF8.self).trimmingOWS
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if words.count == 6, words[0].hasSuffix(","), words[5] == "GMT",
           shortDays.contains(String(words[0].dropLast()).lowercased()) {
            // IMF-fixdate: day-name "," SP 2DIGIT SP month SP 4DIGIT SP time SP "GMT"
            guard words[1].count == 2, words[3].count == 4,
                  let day = digits(words[1]), let month = month(words[2]), let year = digits(words[3]),
                  let time = clock(words[4]) else { return nil }
            return make(year: year, month: month, day: day, time: time, form: .imfFixdate)
        }
        if words.count == 4, words[0].hasSuffix(","), words[3] == "GMT",
           longDays.contains(String(words[0].dropLast()).lowercased()) {
            // RFC 850: day-name-l "," SP 2DIGIT "-" month "-" 2DIGIT SP time SP "GMT"
            let parts = words[1].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, parts[0].count == 2, parts[2].count == 2,
                  let day = digits(parts[0]), let month = month(parts[1]), let yy = digits(parts[2]),
                  let time = clock(words[2]) else { return nil }
            // Two-digit years on a fixed pivot: 70-99 are 19xx, 00-69 are 20xx. This departs from
            // RFC 9110 §5.6.7, which reads a year more than 50 years ahead of the current clock as
            // the past one: today that makes 70-76 the 2070s, so the classic already-expired
            // "Thursday, 01-Jan-70 00:00:00 GMT" would become fresh for decades, and a saved
            // response would read differently depending on when it is audited.
            let year = yy >= 70 ? 1900 + yy : 2000 + yy
            return make(year: year, month: month, day: day, time: time, form: .rfc850)
        }
        if words.count == 5, shortDays.contains(words[0].lowercased()) {
            // asctime: day-name SP month SP ( 2DIGIT / ( SP 1DIGIT )) SP time SP 4DIGIT
            guard words[2].count <= 2, words[4].count == 4, let month = month(words[1]),
                  let day = digits(words[2]), let time = clock(words[3]), let year = digits(words[4]) else { return nil }
            return make(year: year, month: month, day: day, time: time, form: .asctime)
        }
        return nil
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    public var imfFixdate: String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let date = CivilDate(daysSinceEpoch: Int(days))
        // 1970-01-01 was a Thursday (index 3 with Monday = 0).
        let weekday = Int(((days % 7) + 7 + 3) % 7)
        let names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return "\(names[weekday]), \(pad(date.day)) \(Self.months[date.month - 1].capitalizedFirst) \(date.year) \(pad(Int(rest / 3600))):\(pad(Int(rest / 60 % 60))):\(pad(Int(rest % 60))) GMT"
    }

    private func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    private static func digits(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    private static func month(_ text: String) -> Int? {
        guard text.count == 3, let index = months.firstIndex(of: text.lowercased()) else { return nil }
        return index + 1
    }

    private static func clock(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let h = digits(parts[0]), let m = digits(parts[1]), let s = digits(parts[2]),
              h < 24, m < 60, s <= 60 else { return nil }
        return (h, m, s)
    }

    private static func make(year: Int, month: Int, day: Int, time: (Int, Int, Int), form: Form) -> HTTPDate? {
        let date = CivilDate(year: year, month: month, day: day)
        guard year >= 1000, date.isValid else { return nil }
        return HTTPDate(seconds: Int64(date.daysSinceEpoch) * 86_400 + Int64(time.0 * 3600 + time.1 * 60 + time.2), form: form)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs (HTTP's optional whitespace).
    var trimmingOWS: String {
        var bytes = utf8[...]
        while let first = bytes.first, first == 0x20 || first == 0x09 { bytes = bytes.dropFirst() }
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        return String(decoding: bytes, as: UTF8.self)
    }

    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }

    /// ASCII lower case; header names and directive names are ASCII.
    var asciiLowercased: String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
    }
}

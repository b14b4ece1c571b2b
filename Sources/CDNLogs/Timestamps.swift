import ScaleCore

/// Timestamps as the log formats write them, turned into seconds since the Unix epoch (UTC)
/// without Foundation or the C library's time zone machinery: every format carries its own
/// offset or is UTC by definition.
public enum Timestamps {
    /// Years 0000 to 9999: what every format here can write, and what dates print.
    static let validSeconds = Int64(UTCTimestamp.representableSeconds.lowerBound)..<Int64(UTCTimestamp.representableSeconds.upperBound)

    /// `2026-11-23T08:05:00Z`.
    public static func iso(_ seconds: Int64) -> String {
        UTCTimestamp.string(epochSeconds: Double(seconds), fractionDigits: 0)
    }

    @inline(__always)
    private static func digits(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        var v = 0
        for i in 0..<n {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    private static func valid(_ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Bool {
        mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 60
    }

    /// Common log format: `10/Oct/2000:13:55:36 -0700` (nginx `$time_local`, Apache `%t`
    /// without brackets). HAProxy's `06/Feb/2009:12:14:14.655` (no offset, milliseconds) too.
    static func commonLog(_ s: ByteSlice) -> Int64? {
        guard s.count >= 20, let p = s.base, p[2] == 0x2F, p[6] == 0x2F, p[11] == 0x3A,
              let day = digits(p, 2), let month = ByteScan.month(p[3], p[4], p[5]), let year = digits(p + 7, 4),
              let clock = clock(p + 12), valid(month, day, 0, 0, 0) else { return nil }
        var offset = 0
        var i = 20
        if i < s.count, p[i] == 0x2E { i += 1; while i < s.count, ByteScan.isDigit(p[i]) { i += 1 } }
        if i + 5 <= s.count, p[i] == 0x20, p[i + 1] == 0x2B || p[i + 1] == 0x2D, let hh = digits(p + i + 2, 2), let mm = digits(p + i + 4, 2) {
            offset = (hh * 3600 + mm * 60) * (p[i + 1] == 0x2D ? -1 : 1)
        }
        let local = Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch) * 86_400 + Int64(clock)
        return local - Int64(offset)
    }

    /// `13:55:36` as seconds since midnight (a leap second is 60), or nil.
    @inline(__always)
    static func clock(_ p: UnsafePointer<UInt8>) -> Int? {
        guard p[2] == 0x3A, p[5] == 0x3A, let hour = digits(p, 2), let minute = digits(p + 3, 2), let second = digits(p + 6, 2),
              valid(1, 1, hour, minute, second) else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    /// ISO 8601 / RFC 3339: `2026-11-23T08:00:00Z`, `…+01:00`, `…+0100`, fractions, a space
    /// instead of `T`, or a date alone (midnight UTC). No zone means UTC.
    static func iso8601(_ s: ByteSlice) -> Int64? {
        guard s.count >= 10, let p = s.base, p[4] == 0x2D, p[7] == 0x2D,
              let year = digits(p, 4), let month = digits(p + 5, 2), let day = digits(p + 8, 2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var i = 10
        if s.count >= 16, p[10] == 0x54 || p[10] == 0x20, p[13] == 0x3A {
            guard let h = digits(p + 11, 2), let m = digits(p + 14, 2) else { return nil }
            hour = h; minute = m; i = 16
            if s.count >= 19, p[16] == 0x3A {
                guard let sec = digits(p + 17, 2) else { return nil }
                second = sec; i = 19
            }
            if i < s.count, p[i] == 0x2E || p[i] == 0x2C { i += 1; while i < s.count, ByteScan.isDigit(p[i]) { i += 1 } }
        }
        guard valid(month, day, hour, minute, second) else { return nil }
        var offset = 0
        if i < s.count {
            if p[i] == 0x5A || p[i] == 0x7A { i += 1 } else if p[i] == 0x2B || p[i] == 0x2D {
                let sign = p[i] == 0x2D ? -1 : 1
                guard i + 3 <= s.count, let hh = digits(p + i + 1, 2) else { return nil }
                var mm = 0
                var j = i + 3
                if j < s.count, p[j] == 0x3A { j += 1 }
                if j + 2 <= s.count, let m = digits(p + j, 2) { mm = m; j += 2 }
                offset = sign * (hh * 3600 + mm * 60)
                i = j
            } else { return nil }
        }
        guard i == s.count else { return nil }
        let local = Int64(CivilDate(year: year, month: month, day: day).daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return local - Int64(offset)
    }

    /// Epoch time written as a number: seconds (`1597116242.123`), or whole milliseconds,
    /// microseconds or nanoseconds told apart by their number of digits (Cloudflare's
    /// `unixnano`, Fastly's `time.start.msec`).
    static func epoch(_ s: ByteSlice) -> Int64? {
        guard let dot = s.firstIndex(of: 0x2E) else {
            guard let whole = ByteScan.unsigned(s) else { return nil }
            switch s.count {
            case 18...: return Int64(whole / 1_000_000_000)
            case 15...17: return Int64(whole / 1_000_000)
            case 12...14: return Int64(whole / 1000)
            default: return Int64(whole)
            }
        }
        guard let whole = ByteScan.unsigned(s.prefix(dot)), ByteScan.unsigned(s.dropFirst(dot + 1)) != nil || dot + 1 == s.count else { return nil }
        // Seconds with a fraction: 19 digits fit UInt64 but neither Int64 nor a date.
        guard let seconds = Int64(exactly: whole), validSeconds.contains(seconds) else { return nil }
        return seconds
    }

    /// Any of the above, tried in the order that cannot confuse them.
    static func any(_ s: ByteSlice) -> Int64? {
        if s.count >= 10, let p = s.base, p[4] == 0x2D { return iso8601(s) }
        if s.count >= 20, let p = s.base, p[2] == 0x2F { return commonLog(s) }
        return epoch(s)
    }
}

extension Timestamps {
    /// A time as a user types it: `2026-11-23T08:00`, `2026-11-23T08:00:00Z`, `…+01:00`,
    /// `2026-11-23` (midnight). No zone means UTC.
    public static func parse(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            iso8601(ByteSlice(base: UnsafePointer(b.baseAddress), count: b.count))
        }
    }
}

import ScaleCore

/// Instants as a user types them for `--now` and `--received-at`: Unix seconds (`1700000000`
/// or `@1700000000`), an HTTP-date in any of its three forms, or ISO 8601 UTC
/// (`2026-11-23T16:00:00Z`).
public enum TimeText {
    public static func parse(_ text: String) -> Int64? {
        let t = text.trimmingOWS
        let digits = t.hasPrefix("@") ? String(t.dropFirst()) : t
        if !digits.isEmpty, digits.count <= 12, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return Int64(digits) }
        if let date = HTTPDate.parse(t) { return date.seconds }
        // YYYY-MM-DDTHH:MM:SSZ
        let b = Array(t.utf8)
        guard b.count == 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x20, b[13] == 0x3A, b[16] == 0x3A, b[19] == 0x5A else { return nil }
        func number(_ r: Range<Int>) -> Int? {
            guard b[r].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return b[r].reduce(0) { $0 * 10 + Int($1 - 0x30) }
        }
        guard let y = number(0..<4), let mo = number(5..<7), let d = number(8..<10), let h = number(11..<13),
              let mi = number(14..<16), let s = number(17..<19), (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        return Int64(CivilDate(year: y, month: mo, day: d).daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    }
}

import Glibc

/// A view of bytes inside a block being parsed (or a parser's scratch buffer). It never owns
/// memory and lives only while one line is processed, so the per-line path allocates nothing.
struct ByteSlice {
    var base: UnsafePointer<UInt8>?
    var count: Int

    static var empty: ByteSlice { ByteSlice(base: nil, count: 0) }

    init(base: UnsafePointer<UInt8>?, count: Int) {
        self.base = base
        self.count = count
    }

    init(_ start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
        base = start
        count = end - start
    }

    var isEmpty: Bool { count == 0 }

    /// `-` is how most formats write "no value".
    var isDash: Bool { count == 1 && base![0] == 0x2D }

    @inline(__always)
    subscript(_ i: Int) -> UInt8 { base![i] }

    func dropFirst(_ n: Int) -> ByteSlice {
        let k = min(n, count)
        return ByteSlice(base: base.map { $0 + k }, count: count - k)
    }

    func prefix(_ n: Int) -> ByteSlice { ByteSlice(base: base, count: min(n, count)) }

    var raw: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    func equals(_ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount == count else { return false }
        if count == 0 { return true }
        return memcmp(base!, literal.utf8Start, count) == 0
    }

    func equals(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == count else { return false }
        return count == 0 || memcmp(base!, bytes, count) == 0
    }

    func hasPrefix(_ literal: StaticString) -> Bool {
        guard literal.utf8CodeUnitCount <= count else { return false }
        if literal.utf8CodeUnitCount == 0 { return true }
        return memcmp(base!, literal.utf8Start, literal.utf8CodeUnitCount) == 0
    }

    /// The first index of `byte`, or nil.
    func firstIndex(of byte: UInt8) -> Int? {
        guard count > 0, let found = memchr(base!, Int32(byte), count) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base!)
    }

    func lastIndex(of byte: UInt8) -> Int? {
        var i = count - 1
        while i >= 0 { if base![i] == byte { return i }; i -= 1 }
        return nil
    }

    /// Copies out as a String, invalid UTF-8 replaced (only for reports, never per line).
    var string: String {
        guard count > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }

    var bytes: [UInt8] { count == 0 ? [] : Array(UnsafeBufferPointer(start: base, count: count)) }

    /// The slice without ASCII spaces and tabs at either end.
    var trimmed: ByteSlice {
        var s = self
        while s.count > 0, s.base![0] == 0x20 || s.base![0] == 0x09 { s = s.dropFirst(1) }
        while s.count > 0, s.base![s.count - 1] == 0x20 || s.base![s.count - 1] == 0x09 { s.count -= 1 }
        return s
    }
}

/// Byte-level helpers for the parsers: numbers without String, case folding.
enum ByteScan {
    @inline(__always)
    static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c }

    @inline(__always)
    static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// A non-negative decimal integer; nil when empty, not all digits, or over 19 digits.
    static func unsigned(_ s: ByteSlice) -> UInt64? {
        guard s.count > 0, s.count <= 19, let p = s.base else { return nil }
        var value: UInt64 = 0
        for i in 0..<s.count {
            let d = p[i] &- 0x30
            guard d < 10 else { return nil }
            value = value &* 10 &+ UInt64(d)
        }
        return value
    }

    /// Bytes as logs write them: digits, or `-` for none (0). A leading `+` (HAProxy logasap) is allowed.
    static func byteCount(_ s: ByteSlice) -> UInt64? {
        if s.isDash { return 0 }
        if s.count > 1, s[0] == 0x2B { return unsigned(s.dropFirst(1)) }
        return unsigned(s)
    }

    /// A decimal number such as `0.123`, `12`, `-1` or `1597116242.123`; nil for anything else
    /// (exponents are not used by any log format).
    static func decimal(_ s: ByteSlice) -> Double? {
        guard s.count > 0, s.count <= 40, let p = s.base else { return nil }
        var i = 0
        var negative = false
        if p[0] == 0x2D { negative = true; i = 1 }
        var whole: UInt64 = 0
        var fraction: UInt64 = 0
        var scale: Double = 1
        var digits = 0
        while i < s.count, isDigit(p[i]) {
            guard digits < 19 else { return nil }
            whole = whole * 10 + UInt64(p[i] - 0x30); i += 1; digits += 1
        }
        if i < s.count, p[i] == 0x2E {
            i += 1
            var fractionDigits = 0
            while i < s.count, isDigit(p[i]) {
                if fractionDigits < 15 { fraction = fraction * 10 + UInt64(p[i] - 0x30); scale *= 10; fractionDigits += 1 }
                i += 1; digits += 1
            }
        }
        guard i == s.count, digits > 0 else { return nil }
        let value = Double(whole) + Double(fraction) / scale
        return negative ? -value : value
    }

    /// The longest duration a line may carry (about 285 years in microseconds): beyond it the
    /// field is not a time, and converting it would trap.
    static let maxDurationMicros: UInt64 = 1 << 53

    /// A non-negative duration in some unit (`unitMicros` microseconds each) as whole
    /// microseconds, saturating at `maxDurationMicros` (which `LogRecord.rangeFailure` refuses).
    @inline(__always)
    static func micros(_ value: Double, unitMicros: Double) -> UInt64 {
        let us = value * unitMicros + 0.5
        return us < Double(maxDurationMicros) ? UInt64(max(us, 0)) : maxDurationMicros
    }

    /// Whole milliseconds as microseconds, saturating like `micros(_:unitMicros:)`.
    @inline(__always)
    static func micros(millis: UInt64) -> UInt64 {
        millis < maxDurationMicros / 1000 ? millis &* 1000 : maxDurationMicros
    }

    /// Seconds written as a decimal (`0.123`, `12`, `1.5`) in whole microseconds, with integer
    /// arithmetic only (durations are parsed on every line); nil for anything else.
    @inline(__always)
    static func micros(_ s: ByteSlice) -> UInt64? {
        guard s.count > 0, s.count <= 24, let p = s.base else { return nil }
        var whole: UInt64 = 0
        var i = 0
        while i < s.count, p[i] &- 0x30 < 10 { whole = whole &* 10 &+ UInt64(p[i] &- 0x30); i += 1 }
        guard i > 0 || (i < s.count && p[i] == 0x2E) else { return nil }
        var fraction: UInt64 = 0
        var scale: UInt64 = 1_000_000
        if i < s.count, p[i] == 0x2E {
            i += 1
            while i < s.count, p[i] &- 0x30 < 10 {
                if scale > 1 { scale /= 10; fraction &+= UInt64(p[i] &- 0x30) &* scale }
                i += 1
            }
        }
        guard i == s.count, whole < 1 << 40 else { return nil }
        return whole &* 1_000_000 &+ fraction
    }

    /// Three-letter English month (`Jan`…`Dec`), 1-based; nil otherwise.
    @inline(__always)
    static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch (a | 0x20, b | 0x20, c | 0x20) {
        case (0x6A, 0x61, 0x6E): return 1   // jan
        case (0x66, 0x65, 0x62): return 2   // feb
        case (0x6D, 0x61, 0x72): return 3   // mar
        case (0x61, 0x70, 0x72): return 4   // apr
        case (0x6D, 0x61, 0x79): return 5   // may
        case (0x6A, 0x75, 0x6E): return 6   // jun
        case (0x6A, 0x75, 0x6C): return 7   // jul
        case (0x61, 0x75, 0x67): return 8   // aug
        case (0x73, 0x65, 0x70): return 9   // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }
}

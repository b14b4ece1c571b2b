public import ScaleCore

/// Reads `99.95%` or `0.9995` into an `UpDown` without rounding the small side: the
/// complement `100 − 99.95` is taken on the decimal digits as typed, and each side is
/// converted to binary once. `99.9999%` therefore gives an unavailability of exactly the
/// double nearest to 1e-6, not `1 − 0.999999` (which is off in the tenth digit).
public enum RatioText {
    static let fix = "write a percentage such as 99.95% or a fraction such as 0.9995"
    /// Longer numbers than this carry no information a double could hold.
    static let maxDigits = 40

    public static func parse(_ text: String) throws(ScaleError) -> UpDown {
        var body = Substring(text)
        let percent = body.hasSuffix("%")
        if percent { body = body.dropLast() }
        var digits: [UInt8] = []
        var places = 0
        var seenDot = false
        for byte in body.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !(digits.isEmpty && byte == UInt8(ascii: "0")) { digits.append(byte - UInt8(ascii: "0")) }
                if seenDot { places += 1 }
            case UInt8(ascii: "."):
                guard !seenDot else { throw .usage("'\(text)' is not a ratio", fix: fix) }
                seenDot = true
            default:
                throw .usage("'\(text)' is not a ratio", fix: fix)
            }
        }
        guard body.utf8.contains(where: { $0 != UInt8(ascii: ".") }) else {
            throw .usage("'\(text)' is not a ratio", fix: fix)
        }
        guard digits.count <= maxDigits, places <= maxDigits else {
            throw .usage("'\(text)' has more digits than can be used", fix: "write at most \(maxDigits) digits")
        }
        // value = digits × 10^−scale; one is 10^scale.
        let scale = places + (percent ? 2 : 0)
        // Compare with one: more digits than the scale has means at least 10^scale.
        if digits.count > scale + 1 || (digits.count == scale + 1 && !(digits[0] == 1 && digits.dropFirst().allSatisfy { $0 == 0 })) {
            throw .usage("'\(text)' is outside 0–100%", fix: percent ? fix : fix + " (a fraction is at most 1; for percent add %)")
        }
        let complement = subtract(digits, fromPowerOfTen: scale)
        return UpDown(up: double(digits, scale: scale), down: double(complement, scale: scale))
    }

    /// 10^scale − value, both as decimal digit arrays (most significant first).
    static func subtract(_ value: [UInt8], fromPowerOfTen scale: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: scale + 1)
        result[0] = 1
        var borrow = 0
        for i in 0..<result.count {
            let r = result.count - 1 - i
            let v = i < value.count ? Int(value[value.count - 1 - i]) : 0
            var d = Int(result[r]) - v - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 10 }
            result[r] = UInt8(d)
        }
        while result.first == 0 { result.removeFirst() }
        return result
    }

    static func double(_ digits: [UInt8], scale: Int) -> Double {
        guard !digits.isEmpty else { return 0 }
        let text = String(decoding: digits.map { $0 + UInt8(ascii: "0") }, as: UTF8.self) + "e-\(scale)"
        return Double(text) ?? .nan
    }
}

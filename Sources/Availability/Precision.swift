import Glibc
import ScaleCore

/// How many decimals a percentage needs. An availability is only as informative as its
/// unavailability's leading digits, so both are printed with the decimals that show the
/// unavailability to five significant digits (trailing zeros dropped): 99.9% stays
/// `99.9%`, two 99.9999% replicas in parallel print as `99.9999999999%`.
public enum Precision {
    public static let significant = 5
    /// A double near one holds about 16 digits; past 14 decimals of a percentage there is noise.
    public static let maximumPlaces = 14

    public static func places(forUnavailability u: Double, minimum: Int = 0) -> Int {
        guard u > 0, u.isFinite else { return minimum }
        let percent = u * 100
        let exponent = Int(floor(log10(percent)))
        let wanted = min(maximumPlaces, max(0, significant - 1 - exponent))
        var text = Format.decimal(percent, places: wanted)
        var places = wanted
        while places > minimum, text.hasSuffix("0") {
            text.removeLast()
            places -= 1
        }
        return max(minimum, places)
    }

    /// A percentage such as `99.95%` with as many decimals as the unavailability needs.
    public static func percent(_ value: UpDown, minimum: Int = 0) -> String {
        Format.percent(value.up, places: places(forUnavailability: value.down, minimum: minimum))
    }
}

extension Precision {
    /// `x` rounded to 15 significant digits: derived figures such as 0.0005 × 604800 s come out
    /// of binary arithmetic as 302.40000000000003, and the 16th and 17th digits are rounding
    /// noise, not information. Availability ratios are not cleaned; they keep every digit.
    public static func clean(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        let exponent = Int(floor(log10(abs(x))))
        let shift = 14 - exponent
        guard let scale = Double("1e\(shift)") else { return x }
        let mantissa = (x * scale).rounded()
        guard abs(mantissa) < 9.0e15, let cleaned = Double("\(Int64(mantissa))e\(-shift)") else { return x }
        return cleaned
    }
}

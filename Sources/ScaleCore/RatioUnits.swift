/// Ratios such as availability targets: `99.9%` or `0.999`. Names like `three nines` are refused
/// with a message that says how to write them, because "nines" shorthand is ambiguous about
/// `99.95` ("three and a half nines").
public enum RatioUnits {
    static let fix = "write a percentage such as 99.9% or a fraction such as 0.999"

    public static func parse(_ text: String) throws(ScaleError) -> Double {
        var trimmed = text.trimmingSpaces
        let isPercent = trimmed.hasSuffix("%")
        if isPercent { trimmed.removeLast() }
        guard !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy(\.isASCIIDigitOrDot),
              let number = Double(trimmed) else {
            if text.lowercased().contains("nine") {
                throw .usage("'\(text)' is not accepted: \"nines\" are ambiguous", fix: fix + " (three nines = 99.9%)")
            }
            throw .usage("'\(text)' is not a ratio", fix: fix)
        }
        let ratio = isPercent ? number / 100 : number
        guard ratio >= 0, ratio <= 1 else {
            throw .usage("'\(text)' is outside 0–100%", fix: isPercent ? fix : fix + " (a fraction is at most 1; for percent add %)")
        }
        return ratio
    }
}

/// Byte sizes as users type them: SI (`5MB` = 5,000,000) and IEC (`10KiB` = 10,240), as
/// `ls --si`, `numfmt` and Kubernetes quantities distinguish them; plain `1024` is bytes.
public enum SizeUnits {
    static let units: [(suffix: String, bytes: Double)] = [
        ("B", 1),
        ("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12), ("PB", 1e15),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824),
        ("TiB", 1_099_511_627_776), ("PiB", 1_125_899_906_842_624),
        ("k", 1e3), ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
    ]

    static let fix = "write a number with an optional unit, such as 512, 10KiB, 5MB or 1.5GiB (SI: kB MB GB TB; binary: KiB MiB GiB TiB)"

    public static func parse(_ text: String) throws(ScaleError) -> UInt64 {
        let trimmed = text.trimmingSpaces
        let scalars = Array(trimmed.unicodeScalars)
        var i = 0
        while i < scalars.count, scalars[i].isASCIIDigitOrDot { i += 1 }
        let numberText = String(String.UnicodeScalarView(scalars[0..<i]))
        let unitText = String(String.UnicodeScalarView(scalars[i...])).trimmingSpaces
        guard let number = Double(numberText), number.isFinite else {
            throw .usage("'\(text)' is not a size", fix: fix)
        }
        var multiplier = 1.0
        if !unitText.isEmpty {
            guard let unit = units.first(where: { $0.suffix == unitText }) else { throw .usage("'\(text)' has an unknown size unit '\(unitText)'", fix: fix) }
            multiplier = unit.bytes
        }
        let bytes = (number * multiplier).rounded()
        guard bytes < 1.8e19 else { throw .usage("'\(text)' is too large", fix: fix) }
        return UInt64(bytes)
    }

    /// `1.5 GiB`, `512 B`: binary units, one decimal place, as `ls -lh` and `du -h` print them.
    public static func human(_ bytes: Double) -> String {
        let steps = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = bytes
        var index = 0
        while abs(value) >= 1024, index < steps.count - 1 { value /= 1024; index += 1 }
        return index == 0 ? "\(Int64(value)) B" : Format.decimal(value, places: 1) + " " + steps[index]
    }
}

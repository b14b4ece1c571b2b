/// RFC 3986 percent-encoding (§2.1), and RFC 4648 base64 for Basic credentials: the one place
/// URLs and headers are encoded by hand.
public enum PercentEncoding {
    /// Every byte but the unreserved characters (§2.3) as %XX: a safe path segment or query value.
    public static func encode(_ text: String) -> String {
        encode(text, keeping: isUnreserved)
    }

    /// Every byte `allowed` rejects as %XX; with `keepingEscapes`, a `%` that already starts a
    /// %XX escape stays as it is.
    public static func encode(_ text: String, keeping allowed: (UInt8) -> Bool, keepingEscapes: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        for (i, b) in bytes.enumerated() {
            let escape = keepingEscapes && b == UInt8(ascii: "%") && i + 2 < bytes.count
                && hexValue(bytes[i + 1]) != nil && hexValue(bytes[i + 2]) != nil
            if allowed(b) || escape { out.append(b) } else { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 15)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// unreserved (§2.3): ALPHA, DIGIT, "-", ".", "_", "~".
    public static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E
    }

    /// %XX sequences decoded; a `%` without two hex digits after it is kept as written.
    public static func decode(_ text: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count, let h = hexValue(bytes[i + 1]), let l = hexValue(bytes[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// RFC 4648 §4 base64 with padding.
    public static func base64(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.count ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

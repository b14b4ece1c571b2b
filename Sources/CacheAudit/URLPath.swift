/// URL path heuristics for the policy checks (CACHE090-092) and Cloudflare's file-extension rule.
enum URLPath {
    /// The path of `scheme://host/path?query`, without query or fragment.
    static func path(_ url: String) -> String {
        var rest = Substring(url)
        let bytes = Array(url.utf8)
        if let colon = bytes.firstIndex(of: 0x3A), colon + 2 < bytes.count, bytes[colon + 1] == 0x2F, bytes[colon + 2] == 0x2F {
            let afterAuthority = String(decoding: bytes[(colon + 3)...], as: UTF8.self)
            rest = Substring(afterAuthority)
            rest = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }).map { rest[$0...] } ?? "/"
            if !rest.hasPrefix("/") { rest = "/" + rest }
        }
        if let cut = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<cut] }
        return String(rest)
    }

    /// A content hash or version in the path: a run of 8+ hex digits (`app.3f9a1c2b.js`) or a
    /// version segment (`/v2.1.0/`, `lib-1.4.2.min.js`). Hex runs need a digit and a letter.
    static func isFingerprinted(_ path: String) -> Bool {
        let bytes = Array(path.utf8)
        var run = 0, digits = 0, letters = 0
        for byte in bytes + [0x2F] {
            let isDigit = byte >= 0x30 && byte <= 0x39
            let isHexLetter = (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
            if isDigit || isHexLetter {
                run += 1
                if isDigit { digits += 1 } else { letters += 1 }
            } else {
                if run >= 8, digits > 0, letters > 0 { return true }
                run = 0; digits = 0; letters = 0
            }
        }
        // Semantic versions: digits '.' digits '.' digits.
        let parts = path.split(whereSeparator: { !($0.isNumber || $0 == ".") })
        return parts.contains { part in
            let numbers = part.split(separator: ".", omittingEmptySubsequences: false)
            return numbers.count >= 3 && numbers.prefix(3).allSatisfy { !$0.isEmpty }
        }
    }

    static let staticExtensions: Set<String> = ["css", "js", "mjs", "woff", "woff2", "ttf", "otf", "eot", "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico"]

    static func isStaticAsset(path: String, contentType: String?) -> Bool {
        if let type = contentType?.asciiLowercased {
            if type.hasPrefix("text/css") || type.hasPrefix("image/") || type.hasPrefix("font/")
                || type.contains("javascript") { return true }
        }
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return false }
        return staticExtensions.contains(String(path[path.index(after: dot)...]).asciiLowercased)
    }
}

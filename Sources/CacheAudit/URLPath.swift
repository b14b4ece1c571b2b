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

    /// A content hash or version in a static asset's path (CACHE090): the asset type is what
    /// makes a long identifier a fingerprint, so `/v1/orders/<uuid>` is none.
    static func isFingerprintedAsset(path: String, contentType: String?) -> Bool {
        isStaticAsset(path: path, contentType: contentType) && isFingerprinted(path)
    }

    /// A content hash or version in the path: a run of 8+ hex digits (`app.3f9a1c2b.js`) or a
    /// version segment (`/v2.1.0/`, `lib-1.4.2.min.js`). Hex runs need a digit and a letter; a
    /// UUID is an identifier, not a hash of the content, and does not count.
    static func isFingerprinted(_ path: String) -> Bool {
        let bytes = withoutUUIDs(Array(path.utf8))
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

    /// The bytes with every `8-4-4-4-12` hex UUID (RFC 9562 §4) replaced by a "/".
    static func withoutUUIDs(_ bytes: [UInt8]) -> [UInt8] {
        func isHex(_ b: UInt8) -> Bool { (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46) }
        let groups = [8, 4, 4, 4, 12]
        func uuidLength(at start: Int) -> Int? {
            var i = start
            for (n, count) in groups.enumerated() {
                if n > 0 { guard i < bytes.count, bytes[i] == 0x2D else { return nil }; i += 1 }
                guard i + count <= bytes.count, bytes[i..<(i + count)].allSatisfy(isHex) else { return nil }
                i += count
            }
            return i - start
        }
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if let length = uuidLength(at: i) { out.append(0x2F); i += length } else { out.append(bytes[i]); i += 1 }
        }
        return out
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

/// What a report's `url` column names, as the URI a SARIF artifactLocation needs (SARIF 2.1.0
/// §3.4.3: a URI reference per RFC 3986). Three kinds of name:
/// - a URL (`https://host/a b`): kept, with every byte RFC 3986 does not allow in a URI
///   percent-encoded (§2.1) and existing %XX escapes left alone;
/// - a file path: relative paths become relative references (`demo/cache%20headers.txt`),
///   absolute ones `file:` URIs (RFC 8089), each byte outside a path segment's characters encoded;
/// - a name in angle brackets (`<stdin>`, `<argument>`): no artifact at all, so nil.
public enum ArtifactURI {
    public static func reference(_ name: String) -> String? {
        if name.isEmpty || (name.hasPrefix("<") && name.hasSuffix(">")) { return nil }
        if let end = authorityEnd(name) {
            // Brackets stay only in the authority (an IPv6 host, §3.2.2); after it, path, query
            // and fragment characters (§3.3-3.5), with the first "#" starting the fragment.
            let bytes = Array(name.utf8)
            let authority = String(decoding: bytes[..<end], as: UTF8.self)
            let rest = String(decoding: bytes[end...], as: UTF8.self)
            let parts = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            return PercentEncoding.encode(authority, keeping: isURIByte, keepingEscapes: true)
                + parts.map { PercentEncoding.encode($0, keeping: isQueryByte, keepingEscapes: true) }.joined(separator: "#")
        }
        let path = PercentEncoding.encode(name, keeping: isPathByte)
        return name.hasPrefix("/") ? "file://" + path : path
    }

    /// Where the authority of `scheme "://" authority` ends (RFC 3986 §3.1, §3.2), nil when the
    /// name has no scheme: what tells a URL from a relative path with a colon in it.
    static func authorityEnd(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, isAlpha(first), let colon = bytes.firstIndex(of: 0x3A),
              bytes[..<colon].allSatisfy({ isAlpha($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }),
              bytes[(colon + 1)...].starts(with: [0x2F, 0x2F]) else { return nil }
        return bytes[(colon + 3)...].firstIndex { $0 == 0x2F || $0 == 0x3F || $0 == 0x23 } ?? bytes.count
    }

    static func isAlpha(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// sub-delims (§2.2).
    static func isSubDelim(_ b: UInt8) -> Bool { Array("!$&'()*+,;=".utf8).contains(b) }
    /// Every character a URI may hold outside escapes: unreserved and reserved (§2.2).
    static func isURIByte(_ b: UInt8) -> Bool { PercentEncoding.isUnreserved(b) || isSubDelim(b) || Array(":/?#[]@".utf8).contains(b) }
    /// pchar, "/" and "?": what a query or fragment may hold (§3.4, §3.5).
    static func isQueryByte(_ b: UInt8) -> Bool { isPathByte(b) || b == 0x3A || b == 0x3F }
    /// pchar and "/" but not ":" — a colon in the first segment would read as a scheme (§4.2).
    static func isPathByte(_ b: UInt8) -> Bool { PercentEncoding.isUnreserved(b) || isSubDelim(b) || b == 0x40 || b == 0x2F }
}

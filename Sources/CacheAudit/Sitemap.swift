/// The page URLs of a sitemap.xml (sitemaps.org protocol): the text of every `<loc>` element,
/// with the five XML entities resolved. A sitemap index lists sitemaps, not pages; its `<loc>`s
/// are returned as they are (the caller says so).
public enum Sitemap {
    public static func locations(_ bytes: [UInt8]) -> [String] {
        let open = Array("<loc>".utf8), close = Array("</loc>".utf8)
        var out: [String] = []
        var i = 0
        while i + open.count <= bytes.count {
            guard bytes[i] == 0x3C, Array(bytes[i..<i + open.count]) == open else { i += 1; continue }
            let start = i + open.count
            var end = start
            while end + close.count <= bytes.count, Array(bytes[end..<end + close.count]) != close { end += 1 }
            guard end + close.count <= bytes.count else { break }
            let text = unescape(String(decoding: bytes[start..<end], as: UTF8.self))
                .filter { $0 != "\n" && $0 != "\r" && $0 != "\r\n" }.trimmingOWS
            if !text.isEmpty { out.append(text) }
            i = end + close.count
        }
        return out
    }

    public static func isIndex(_ bytes: [UInt8]) -> Bool {
        let marker = Array("<sitemapindex".utf8)
        guard bytes.count >= marker.count else { return false }
        return (0...(bytes.count - marker.count)).contains { bytes[$0] == 0x3C && Array(bytes[$0..<$0 + marker.count]) == marker }
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, char) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&apos;", "'"), ("&amp;", "&")] {
            out = out.split(separator: entity, omittingEmptySubsequences: false).joined(separator: char)
        }
        return out
    }
}

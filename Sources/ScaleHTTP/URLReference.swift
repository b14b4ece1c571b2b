/// Resolving a Location against the URL it came from (RFC 3986 §5.2, the common cases).
public enum URLReference {
    public static func resolve(_ reference: String, against base: String) -> String {
        if reference.contains("://") { return reference }
        let schemeEnd = base.firstRange(of: "://").map { $0.upperBound } ?? base.startIndex
        let scheme = String(base[..<schemeEnd])
        if reference.hasPrefix("//") { return String(scheme.dropLast(2)) + reference }
        let rest = base[schemeEnd...]
        let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let origin = String(base[..<pathStart])
        if reference.hasPrefix("/") { return origin + removeDotSegments(reference) }
        var path = String(rest[pathStart...])
        if let cut = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = String(path[..<cut]) }
        if reference.hasPrefix("?") { return origin + (path.isEmpty ? "/" : path) + reference }
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "/"
        return origin + removeDotSegments(directory + reference)
    }

    /// RFC 3986 §5.2.4 on the path (the query, if any, is left alone).
    static func removeDotSegments(_ target: String) -> String {
        let queryStart = target.firstIndex { $0 == "?" || $0 == "#" } ?? target.endIndex
        let path = target[..<queryStart], query = target[queryStart...]
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for (index, segment) in segments.enumerated() {
            let last = index == segments.count - 1
            if segment == "." {
                if last { output.append("") }
            } else if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                if last { output.append("") }
            } else {
                output.append(segment)
            }
        }
        return "/" + output.joined(separator: "/") + query
    }
}

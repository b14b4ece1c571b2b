import ScaleCore

/// A backlog SOURCE as written on the command line, split into its parts. Passwords are never
/// taken from here: a URL with one is refused (argv is visible to every user of the machine),
/// and the error shows the URL with the password replaced.
struct BacklogSourceURL: Equatable {
    var scheme: String
    var username: String?
    var host: String
    var port: UInt16?
    /// Path segments after the authority, percent-decoded ("%2F" keeps a slash inside one).
    var segments: [String]
    var query: [String: String]
    /// The URL as it may be shown: without userinfo secrets.
    var display: String

    static let schemes = ["redis", "redis+unix", "rabbitmq+http", "rabbitmq+https"]

    static func parse(_ text: String, passwordVariable: String) throws(ScaleError) -> BacklogSourceURL {
        guard let (schemeText, afterScheme) = splitScheme(text) else {
            throw .usage("'\(text)' is not a source URL", at: "SOURCE",
                         fix: "write e.g. redis://127.0.0.1:6379/0/queue or rabbitmq+http://127.0.0.1:15672/%2F/orders")
        }
        let scheme = schemeText.lowercased()
        var rest = afterScheme
        var query: [String: String] = [:]
        if let q = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: q)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[PercentEncoding.decode(parts[0])] = parts.count > 1 ? PercentEncoding.decode(parts[1]) : ""
            }
            rest = rest[..<q]
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        let path = rest[authorityEnd...]
        var username: String?
        var display = text
        if let at = authority.lastIndex(of: "@") {
            let userinfo = authority[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                display = scheme + "://" + userinfo[..<colon] + ":***@" + authority[authority.index(after: at)...] + path
                throw .usage("a password in the URL would be visible to every user of this machine", at: display,
                             fix: "remove it and set \(passwordVariable) (or use \(Parameter.credentialsFile))")
            }
            username = PercentEncoding.decode(userinfo)
            authority = authority[authority.index(after: at)...]
        }
        var host = String(authority)
        var port: UInt16?
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let p = UInt16(after.dropFirst()), p > 0 else { throw .usage("bad port in '\(text)'", at: "SOURCE") }
                port = p
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let p = UInt16(host[host.index(after: colon)...]), p > 0 else {
                throw .usage("bad port in '\(display)'", at: "SOURCE", fix: "write a port from 1 to 65535")
            }
            port = p
            host = String(host[..<colon])
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(PercentEncoding.decode)
        return BacklogSourceURL(scheme: scheme, username: username, host: host, port: port, segments: segments,
                                query: query, display: display)
    }

    /// `scheme` and the rest of `scheme://rest`, or nil without `://`.
    static func splitScheme(_ text: String) -> (String, Substring)? {
        let scalars = Array(text.utf8)
        guard scalars.count >= 3 else { return nil }
        for i in 0..<(scalars.count - 2) where scalars[i] == 0x3A && scalars[i + 1] == 0x2F && scalars[i + 2] == 0x2F {
            let start = text.utf8.index(text.startIndex, offsetBy: i)
            let after = text.utf8.index(start, offsetBy: 3)
            return (String(text[..<start]), text[after...])
        }
        return nil
    }
}

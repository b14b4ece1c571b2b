import ScaleCore

/// Checks a request before libcurl sees it. libcurl would pass a line break inside a header
/// straight to the wire (header injection) and stop a C string at a NUL, silently sending a
/// different URL, so both are refused here.
enum RequestValidation {
    static func problem(in request: HTTPRequest) -> String? {
        if request.url.isEmpty { return "the URL is empty" }
        if hasControlBreak(request.url) { return "the URL contains a line break or NUL" }
        if request.method.isEmpty || !request.method.utf8.allSatisfy(HTTPToken.isTokenByte) {
            return "the method \"\(request.method)\" is not an HTTP token"
        }
        if request.url.prefix(6).lowercased() == "tcp://" && !request.connectOnly {
            return "a tcp:// URL needs a connect-only request"
        }
        for entry in request.resolve {
            if let problem = resolveProblem(entry) { return problem }
        }
        if let proxy = request.proxy, let problem = proxyProblem(proxy) { return problem }
        for header in request.headers {
            if header.name.isEmpty || !header.name.utf8.allSatisfy(HTTPToken.isTokenByte) {
                return "the header name \"\(header.name)\" is not an HTTP token"
            }
            if hasControlBreak(header.value) {
                return "the value of header \(header.name) contains a line break or NUL"
            }
        }
        return nil
    }

    /// `HOST:PORT:ADDRESS[,ADDRESS…]`; libcurl would skip a malformed entry with only a
    /// warning and quietly use DNS instead.
    static func resolveProblem(_ entry: String) -> String? {
        guard ResolveEntry(entry) != nil, !hasControlBreak(entry) else {
            return "the resolve entry \"\(entry)\" is not HOST:PORT:ADDRESS"
        }
        return nil
    }

    /// Proxy schemes libcurl speaks. A proxy URL without a scheme would be taken as http://
    /// by libcurl; it is refused instead, so what is used is what was written.
    static let proxySchemes = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"]

    /// Why `proxy` is not a usable proxy URL; the message never repeats a password.
    static func proxyProblem(_ proxy: String) -> String? {
        let shown = Redaction.url(proxy)
        if hasControlBreak(proxy) { return "the proxy URL contains a line break or NUL" }
        guard let separator = proxy.firstRange(of: "://") else {
            return "the proxy \"\(shown)\" has no scheme; write e.g. http://\(shown)"
        }
        let scheme = proxy[..<separator.lowerBound].lowercased()
        guard proxySchemes.contains(scheme) else {
            return "the proxy scheme \"\(scheme)\" is not one of \(proxySchemes.joined(separator: ", "))"
        }
        let rest = proxy[separator.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if host.isEmpty || host.hasPrefix(":") { return "the proxy \"\(shown)\" has no host" }
        return nil
    }

    private static func hasControlBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0 || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
    }

}

extension HTTPRequest {
    /// Why `entry` is not a usable `resolve` entry (`HOST:PORT:ADDRESS`), or nil when it is,
    /// so a command can refuse it while parsing its options.
    public static func resolveEntryProblem(_ entry: String) -> String? {
        RequestValidation.resolveProblem(entry)
    }

    /// Why `proxy` is not a usable proxy URL (no scheme, a scheme libcurl does not proxy
    /// with, no host), or nil; the message shows the URL with its password as `***`.
    public static func proxyProblem(_ proxy: String) -> String? {
        RequestValidation.proxyProblem(proxy)
    }
}

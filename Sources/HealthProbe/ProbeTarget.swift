public import ScaleCore

/// One endpoint to probe: an `http://`, `https://`, `tcp://host:port` or `tls://host:port` URL and an optional
/// name. Parsing keeps the URL as written (libcurl gets exactly what the user typed) and
/// finds what the prober needs: scheme, host, port and where a password sits, so every
/// output can show the URL with the password as `***`.
public struct ProbeTarget: Sendable, Equatable, Hashable {
    public enum Kind: String, Sendable {
        case http, https, tcp, tls

        /// Whether an HTTP request is sent; tcp:// and tls:// only connect (and shake hands).
        public var speaksHTTP: Bool { self == .http || self == .https }
        /// Whether the connection begins with a TLS handshake.
        public var usesTLS: Bool { self == .https || self == .tls }
    }

    /// The URL exactly as given (it may hold a password: never print it).
    public let url: String
    public let name: String?
    public let kind: Kind
    public let host: String
    public let port: Int
    /// `url` with the password of its userinfo replaced by `***`: what outputs show.
    public let displayURL: String
    /// Checks and headers a targets file set for this target alone; part of its identity, so
    /// one URL listed with different options is two checks.
    public var options = TargetOptions()
    /// The one address of `host` this target connects to (`--all-addresses`), the request
    /// still naming `host`; nil lets the connection resolve the name itself.
    public private(set) var address: String?

    /// The name when there is one, else the redacted URL, and the pinned address in
    /// parentheses: how tables and events refer to it.
    public var label: String {
        let base = name ?? displayURL
        return address.map { "\(base) (\($0))" } ?? base
    }

    /// This target pinned to one of its host's addresses.
    public func pinned(to address: String) -> ProbeTarget {
        var copy = self
        copy.address = address
        return copy
    }

    static let schemes = "http://, https://, tcp:// or tls://"

    /// What libcurl is given: a tls:// target is an HTTPS connection that stops after the
    /// handshake (connect-only), so the certificate is verified and read as for https://.
    public var requestURL: String {
        kind == .tls ? "https" + url[url.firstRange(of: "://")!.lowerBound...] : url
    }

    /// Parses `text`; errors name the URL in its redacted form.
    public init(url text: String, name: String? = nil) throws(ScaleError) {
        let parts = try URLParts(text)
        url = text
        self.name = name
        kind = parts.kind
        host = parts.host
        port = parts.port
        displayURL = parts.redacted
    }
}

/// The pieces of an absolute URL the prober needs (RFC 3986 §3: scheme, authority with
/// userinfo, host and port; the rest is passed on untouched).
struct URLParts {
    var kind: ProbeTarget.Kind
    var host: String
    var port: Int
    var redacted: String

    init(_ text: String) throws(ScaleError) {
        // Spaces and control characters would be sent as they are, or cut the URL at a NUL.
        if let bad = text.unicodeScalars.first(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
            let what = bad == " " ? "a space" : "a control character"
            throw .usage("'\(Self.redact(text))' contains \(what)", fix: "percent-encode it (%20 for a space)")
        }
        guard let separator = text.firstRange(of: "://") else {
            throw .usage("'\(Self.redact(text))' has no scheme", fix: "write it as a URL starting with \(ProbeTarget.schemes), e.g. http://\(Self.redact(text))")
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard let kind = ProbeTarget.Kind(rawValue: scheme) else {
            throw .usage("'\(Self.redact(text))' has the scheme '\(scheme)'", fix: "probe \(ProbeTarget.schemes) URLs")
        }
        let rest = text[separator.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let hostPort = authority.lastIndex(of: "@").map { authority[authority.index(after: $0)...] } ?? authority
        var host = Substring(hostPort)
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else {
                throw .usage("'\(Self.redact(text))' has an unclosed [ in its IPv6 address", fix: "write it as [::1]:8080")
            }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let after = hostPort[hostPort.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw .usage("'\(Self.redact(text))' has text after its IPv6 address", fix: "write it as [::1]:8080")
            }
        } else if let colon = hostPort.lastIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        guard !host.isEmpty else {
            throw .usage("'\(Self.redact(text))' has no host", fix: "write a host name or address after the scheme")
        }
        var port = kind == .https ? 443 : 80
        if let portText {
            guard let number = Int(portText), (1...65_535).contains(number), portText.allSatisfy(\.isASCII) else {
                throw .usage("'\(Self.redact(text))' has the port '\(portText)'", fix: "write a port from 1 to 65535")
            }
            port = number
        } else if !kind.speaksHTTP {
            throw .usage("'\(Self.redact(text))' has no port", fix: "write \(kind.rawValue)://host:port")
        }
        if !kind.speaksHTTP, authorityEnd != rest.endIndex, rest[authorityEnd...] != "/" {
            throw .usage("'\(Self.redact(text))' has a path", fix: "a \(kind.rawValue):// target is only \(kind.rawValue)://host:port")
        }
        self.kind = kind
        self.host = String(host)
        self.port = port
        redacted = Self.redact(text)
    }

    /// `text` with the password of its userinfo replaced by `***` (`user:***@host`). The last
    /// `@` of the authority ends the userinfo, so an `@` inside a password stays hidden too.
    static func redact(_ text: String) -> String {
        let afterScheme = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        let rest = text[afterScheme...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = text[afterScheme..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else { return text }
        let start = text.index(after: colon)
        guard start < at else { return text }
        var redacted = text
        redacted.replaceSubrange(start..<at, with: "***")
        return redacted
    }
}

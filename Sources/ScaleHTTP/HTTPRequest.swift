/// One HTTP request and the limits it runs under. Every field has a safe default: verification
/// on, a timeout, bounded header and body sizes, no redirects followed unless asked.
public struct HTTPRequest: Sendable, Equatable {
    /// The method as sent (`GET`, `HEAD`, `POST`, …). `HEAD` asks for no body.
    public var method: String
    public var url: String
    /// Extra request headers, sent in this order after the ones libcurl adds (`Host`,
    /// `User-Agent`, `Accept`). A header given here replaces libcurl's of the same name.
    public var headers: [HTTPHeader]
    /// The request body; `nil` sends none.
    public var body: [UInt8]?
    /// Seconds allowed for name resolution plus the TCP and TLS handshakes.
    public var connectTimeout: Double
    /// Seconds allowed for the whole transfer, redirects included. Always enforced: a value
    /// of 0 or less is raised to one millisecond rather than meaning "no timeout" as it does in libcurl.
    public var totalTimeout: Double
    /// Verify the server's certificate chain and host name. Off only when asked (`--insecure`).
    public var verifyTLS: Bool
    /// A PEM bundle of trusted CAs to use instead of the system bundle. Either way libcurl's
    /// built-in CA directory is not used, so the parsed store is cached in the multi handle.
    public var caFile: String?
    public var followRedirects: Bool
    /// Redirects allowed when `followRedirects` is true; one more is `too_many_redirects`.
    public var maxRedirects: Int
    /// Body bytes kept; beyond this the transfer stops and the response is marked `truncated`.
    public var maxBodyBytes: Int
    /// Header bytes accepted per response (status line included); beyond this the request
    /// fails with `too_large`.
    public var maxHeaderBytes: Int
    public var httpVersion: HTTPVersionPreference
    /// Sent as `User-Agent`; the CLI passes `scalectl/<version>`.
    public var userAgent: String
    /// `HOST:PORT:ADDRESS` entries that pin a name to addresses without DNS, as `curl --resolve`
    /// (libcurl's `CURLOPT_RESOLVE`); the request still sends `Host: HOST` and checks the
    /// certificate against HOST.
    public var resolve: [String]
    /// Open a new connection and close it afterwards, never reusing one: every request then
    /// measures DNS, TCP and TLS afresh and reports its certificate, as a health check should.
    public var freshConnection: Bool
    /// Only resolve and connect (plus the TLS handshake for https), send nothing, and succeed
    /// with status 0 once the connection is up: a TCP health check. The URL may be
    /// `tcp://host:port`.
    public var connectOnly: Bool
    /// Sign the request with AWS SigV4 (libcurl does it); nil for no signing.
    public var awsSigV4: AWSSigV4?
    /// The proxy to send the request through (`http://`, `https://`, `socks4://`, `socks4a://`,
    /// `socks5://`, `socks5h://`; `user:password@` allowed), for every host; nil connects
    /// directly. Proxy variables in the environment (`http_proxy`, `HTTPS_PROXY`, `ALL_PROXY`,
    /// `NO_PROXY`) are never read: libcurl would use them silently, and the answer, the
    /// failure and the timings would then be the proxy's, not the target's.
    public var proxy: String?
    /// With no `proxy`, let libcurl take one from the environment (`http_proxy`, `https_proxy`,
    /// `HTTPS_PROXY`, `all_proxy`, `ALL_PROXY`, honouring `no_proxy`/`NO_PROXY`): only when
    /// the user asked for it.
    public var proxyFromEnvironment = false
    /// A PEM client certificate for servers that ask for one (mutual TLS), and its PEM private
    /// key (nil: the key is in the certificate file). Only the paths are kept; libcurl reads
    /// the files. An encrypted key is not supported: there is no way to pass its password.
    public var clientCertificate: String?
    public var clientKey: String?
    /// Connect over IPv4 only, IPv6 only, or whichever the name resolves to.
    public var ipVersion: IPVersion = .any

    public enum IPVersion: String, Sendable {
        case any, v4, v6
    }

    public init(
        method: String = "GET",
        url: String,
        headers: [HTTPHeader] = [],
        body: [UInt8]? = nil,
        connectTimeout: Double = 5,
        totalTimeout: Double = 10,
        verifyTLS: Bool = true,
        caFile: String? = nil,
        followRedirects: Bool = false,
        maxRedirects: Int = 5,
        maxBodyBytes: Int = 1 << 20,
        maxHeaderBytes: Int = 256 << 10,
        httpVersion: HTTPVersionPreference = .default,
        userAgent: String = "scalectl",
        resolve: [String] = [],
        freshConnection: Bool = false,
        connectOnly: Bool = false,
        proxy: String? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.verifyTLS = verifyTLS
        self.caFile = caFile
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.httpVersion = httpVersion
        self.userAgent = userAgent
        self.resolve = resolve
        self.freshConnection = freshConnection
        self.connectOnly = connectOnly
        self.proxy = proxy
    }
}

// A request holds secrets (URL passwords, Authorization, cookies), so every way of printing
// it — interpolation, `debugPrint`, `dump` — shows the redacted form.
extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        "\(method) \(Redaction.url(url))" + (proxy.map { " via \(Redaction.url($0))" } ?? "")
    }

    public var debugDescription: String {
        var text = description
        for header in headers { text += "\n\(header)" }
        if let body { text += "\n(\(body.count) body bytes)" }
        return text
    }

    public var customMirror: Mirror {
        Mirror(self, children: [
            "method": method,
            "url": Redaction.url(url),
            "proxy": proxy.map(Redaction.url) ?? "none",
            "headers": headers.map(\.description),
            "bodyBytes": body?.count ?? 0,
        ])
    }
}

/// Which HTTP version to ask for. It is a preference: the server (ALPN for https) decides, and
/// `HTTPResponse.httpVersion` says what was actually spoken.
public enum HTTPVersionPreference: String, Sendable, CaseIterable {
    /// libcurl's default: HTTP/2 over TLS when the server offers it, HTTP/1.1 for plain http.
    case `default`
    /// HTTP/1.1 only.
    case http1_1 = "http1.1"
    /// HTTP/2 over TLS (ALPN), or an `Upgrade: h2c` attempt for plain http; falls back to HTTP/1.1.
    case http2
    /// HTTP/2 without negotiation, also for plain http (h2c); fails against an HTTP/1-only server.
    case http2PriorKnowledge = "http2-prior-knowledge"
}

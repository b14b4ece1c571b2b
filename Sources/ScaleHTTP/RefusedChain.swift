import ScaleCore

/// Reading a certificate chain that verification refused. libcurl 7.88 with OpenSSL fills
/// `CURLINFO_CERTINFO` only after a completed handshake; an expired, not-yet-valid,
/// self-signed or unknown-CA chain makes OpenSSL abort the handshake itself, so the failure
/// carries no chain (checked against nginx: no certificates, even with `CURLOPT_CERTINFO`
/// set). The binary links no libssl to look inside the handshake, so the chain is read by a
/// second handshake with verification off that sends nothing.
extension HTTPFailure {
    /// Verification refused the chain inside the handshake, so the chain was never read.
    public var chainRefusedUnread: Bool {
        guard kind == .tls, tls == nil, let certificateProblem else { return false }
        switch certificateProblem {
        case .expired, .notYetValid, .selfSigned, .selfSignedInChain, .unknownCA: return true
        case .hostnameMismatch, .revoked, .other(_): return false
        }
    }
}

extension HTTPRequest {
    /// A TLS handshake to where this request goes, only to read the certificate chain: a new
    /// connection, verification off, connect-only (no request is sent), no redirects, the same
    /// proxy, --resolve pins and client certificate, and at most `seconds` (never more than
    /// this request's own timeouts).
    public func chainReading(within seconds: Double) -> HTTPRequest {
        var copy = HTTPRequest(url: url, connectTimeout: min(connectTimeout, seconds), totalTimeout: min(totalTimeout, seconds),
                               verifyTLS: false, caFile: caFile, userAgent: userAgent, resolve: resolve,
                               freshConnection: true, connectOnly: true, proxy: proxy)
        copy.proxyFromEnvironment = proxyFromEnvironment
        copy.clientCertificate = clientCertificate
        copy.clientKey = clientKey
        copy.ipVersion = ipVersion
        return copy
    }
}

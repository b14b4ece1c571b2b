import CCurl

/// Why the server's certificate was refused, from OpenSSL's verify result
/// (`CURLINFO_SSL_VERIFYRESULT`, an `X509_V_ERR_*` code) and libcurl's message.
public enum CertificateProblem: Sendable, Equatable {
    /// `X509_V_ERR_CERT_HAS_EXPIRED` (10).
    case expired
    /// `X509_V_ERR_CERT_NOT_YET_VALID` (9).
    case notYetValid
    /// The server's own certificate is self-signed and not trusted (18).
    case selfSigned
    /// The chain ends in a self-signed root that is not trusted (19).
    case selfSignedInChain
    /// No trusted CA issued the chain (2, 20, 21).
    case unknownCA
    /// The certificate is not for the host name or address asked for. libcurl 7.88 with
    /// OpenSSL checks the name itself ("no alternative certificate subject name matches …");
    /// OpenSSL's own check reports 62 (host) or 64 (IP address).
    case hostnameMismatch
    /// `X509_V_ERR_CERT_REVOKED` (23).
    case revoked
    /// Any other verification failure, in OpenSSL's words.
    case other(String)

    /// nil unless the transfer failed certificate verification (`CURLE_PEER_FAILED_VERIFICATION`).
    init?(code: CURLcode, verifyResult: Int, message: String) {
        guard code == CURLE_PEER_FAILED_VERIFICATION else { return nil }
        if message.contains("does not match target host name") || message.contains("subject name matches target host name") {
            self = .hostnameMismatch
            return
        }
        switch verifyResult {
        case 9: self = .notYetValid
        case 10: self = .expired
        case 18: self = .selfSigned
        case 19: self = .selfSignedInChain
        case 2, 20, 21: self = .unknownCA
        case 23: self = .revoked
        case 62, 64: self = .hostnameMismatch
        default:
            let prefix = "SSL certificate problem: "
            guard message.hasPrefix(prefix) else { return nil }
            self = .other(String(message.dropFirst(prefix.count)))
        }
    }
}

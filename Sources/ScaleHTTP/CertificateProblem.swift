import CCurl
import ScaleCore

/// Why the server's certificate was refused, from OpenSSL's verify result
/// (`CURLINFO_SSL_VERIFYRESULT`, an `X509_V_ERR_*` code) and libcurl's message. libcurl 7.88
/// with OpenSSL checks the host name itself ("no alternative certificate subject name matches
/// …"); OpenSSL's own check reports 62 (host) or 64 (IP address).
extension CertificateProblem {
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

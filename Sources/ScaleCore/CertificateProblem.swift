/// Why a TLS peer's certificate was refused, sorted the way an operator fixes it. One type for
/// the layer that finds out (ScaleHTTP, from OpenSSL's verify result) and the one that names
/// it in a verdict (HealthProbe): both sit on ScaleCore, and neither depends on the other.
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
    /// The certificate is not for the host name or address asked for.
    case hostnameMismatch
    /// `X509_V_ERR_CERT_REVOKED` (23).
    case revoked
    /// Anything else, in the TLS library's words.
    case other(String)

    /// `certificate expired 3.0 days ago` (`certificate expired` when the chain was not
    /// readable), `hostname mismatch`, `self-signed`, `unknown CA` …
    public func text(daysLeft: Double?) -> String {
        switch self {
        case .expired: return daysLeft.map(Self.expired) ?? "certificate expired"
        case .notYetValid: return "certificate not yet valid"
        case .selfSigned: return "self-signed"
        case .selfSignedInChain: return "self-signed certificate in chain"
        case .unknownCA: return "unknown CA"
        case .hostnameMismatch: return "hostname mismatch"
        case .revoked: return "certificate revoked"
        case .other(let words): return words
        }
    }

    /// `certificate expired 3.0 days ago`, for days left at most 0.
    public static func expired(daysLeft: Double) -> String {
        "certificate expired \(Format.decimal(abs(daysLeft), places: 1)) days ago"
    }
}

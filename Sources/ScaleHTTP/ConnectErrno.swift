import Glibc

extension HTTPFailure.Kind {
    /// The kind of a TCP connect that failed (libcurl's CURLE_COULDNT_CONNECT), by the errno
    /// of the connect (CURLINFO_OS_ERRNO). A port that answers with a reset is `refused`; no
    /// route to the host or its network — a routing table, a firewall's ICMP reject, a host
    /// that is off — is `unreachable`, which a user chases elsewhere. An errno of 0 (not
    /// known) or any other stays `refused`, libcurl's own word for it.
    public static func connectFailure(errno: Int32) -> HTTPFailure.Kind {
        switch errno {
        case EHOSTUNREACH, ENETUNREACH, ENETDOWN, EHOSTDOWN:
            return .unreachable
        case ETIMEDOUT:
            // The kernel gave up on the SYN before libcurl's own timeout did.
            return .timeout
        default:
            return .refused
        }
    }
}

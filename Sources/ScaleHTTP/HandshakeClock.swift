/// When the TCP connect of a transfer began and when its TLS handshake began, on our own
/// monotonic clock, from libcurl's socket and SSL-context callbacks.
///
/// libcurl (7.88) sets `CURLINFO_CONNECT_TIME_T` only once the whole connection is up, TLS
/// included, so a TLS handshake that hangs reports a connect mark of 0 although TCP
/// connected. The SSL context is created right after the TCP connect completes, before the
/// ClientHello is sent, so the time between the two callbacks is the TCP handshake.
final class HandshakeClock {
    private(set) var tcpStarted: Double?
    private(set) var tlsStarted: Double?

    /// The socket was created; connect() comes next. The first socket counts: the transfer's
    /// connect phase starts there.
    func socketCreated() {
        if tcpStarted == nil { tcpStarted = MonotonicClock.seconds() }
    }

    /// TCP is connected and the TLS handshake is about to start.
    func tlsStarting() {
        if tlsStarted == nil { tlsStarted = MonotonicClock.seconds() }
    }

    /// Microseconds of the TCP handshake, when a TLS handshake followed it; nil when TCP
    /// never connected (or the TLS library has no context callback). At least 1: TCP did
    /// connect, however fast.
    var tcpMicrosecondsBeforeTLS: Int64? {
        guard let tcpStarted, let tlsStarted else { return nil }
        return max(1, Int64(((tlsStarted - tcpStarted) * 1_000_000).rounded()))
    }
}

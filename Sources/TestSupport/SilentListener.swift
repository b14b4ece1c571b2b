import Glibc

/// A loopback port that completes the TCP handshake and then says nothing: the socket
/// listens but never accepts, so the kernel finishes every handshake into the backlog and no
/// byte ever comes back. A TLS client's ClientHello goes unanswered — a TLS handshake that
/// hangs, as behind a stuck load balancer or a full accept queue.
public final class SilentListener: Sendable {
    public let port: UInt16
    private let fd: Int32

    public init() throws {
        (fd, port) = try LoopbackSocket.bound()
        guard listen(fd, 64) == 0 else {
            let failure = LoopbackSocket.Failure("listen")
            close(fd)
            throw failure
        }
    }

    deinit { close(fd) }
}

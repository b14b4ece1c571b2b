import Glibc

/// A loopback port where a connection is certainly refused: a socket is bound to it but never
/// listens, so the kernel answers a SYN with RST — and, unlike a port merely closed again,
/// nothing else can take it while this object lives.
public final class RefusedPort: Sendable {
    public let port: UInt16
    private let fd: Int32

    public init() throws {
        (fd, port) = try LoopbackSocket.bound()
    }

    deinit { close(fd) }
}

import Glibc

/// Small POSIX socket helpers for loopback fixtures. Every descriptor is close-on-exec so a
/// server spawned by another fixture (nginx) does not inherit it.
enum LoopbackSocket {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ what: String) { description = "\(what): \(String(cString: strerror(errno)))" }
    }

    /// `count` distinct ports in `range` (below the ephemeral range at 32768, so the kernel never
    /// hands them out meanwhile) that nothing holds right now: we could bind each ourselves, and
    /// the port `companion` names for it (a Redis cluster's bus port) too. Servers that must be
    /// told their port up front start on these; a lost race shows as "address in use".
    static func freePorts(_ count: Int, in range: ClosedRange<UInt16> = 20_000...32_767, avoiding: [UInt16] = [],
                          companion: ((UInt16) -> UInt16)? = nil) throws -> [UInt16] {
        var generator = SystemRandomNumberGenerator()
        var ports: [UInt16] = []
        for _ in 0..<(200 * count) where ports.count < count {
            let candidate = UInt16.random(in: range, using: &generator)
            if ports.contains(candidate) || avoiding.contains(candidate) { continue }
            guard let (fd, _) = try? bound(port: candidate) else { continue }
            close(fd)
            if let companion {
                guard let (other, _) = try? bound(port: companion(candidate)) else { continue }
                close(other)
            }
            ports.append(candidate)
        }
        guard ports.count == count else {
            throw FixtureError("no \(count) free loopback port\(count == 1 ? "" : "s") found in \(range.lowerBound)-\(range.upperBound)")
        }
        return ports
    }

    static func freePort() throws -> UInt16 { try freePorts(1)[0] }

    /// A TCP socket bound to 127.0.0.1:`port` (0 lets the kernel choose). Returns the
    /// descriptor and the port actually bound, read back with `getsockname`.
    static func bound(port: UInt16 = 0, reuseAddress: Bool = false) throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket") }
        if reuseAddress {
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let failure = Failure("bind 127.0.0.1:\(port)")
            close(fd)
            throw failure
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    /// True when a TCP connection to 127.0.0.1:`port` is accepted.
    static func accepts(port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// Writes all of `bytes`; false when the peer has gone. MSG_NOSIGNAL keeps a closed peer
    /// from raising SIGPIPE, which would kill the whole test process.
    static func sendAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Bool {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let sent = array.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Waits up to `milliseconds` for `fd` to become readable.
    static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, milliseconds) > 0
    }
}

/// Seconds on the monotonic clock, for deadlines in fixtures.
public func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
}

import Glibc
public import ScaleCore

/// Where a plain stream socket connects: a TCP host and port, or a unix socket path.
public enum SocketAddress: Sendable, Equatable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case unix(path: String)

    public var description: String {
        switch self {
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case .unix(let path): return path
        }
    }
}

/// A blocking-style stream socket built on non-blocking I/O and poll(2), so every connect,
/// write and read ends by a deadline. The descriptor never leaves this type.
public final class SocketConnection {
    private var fd: Int32 = -1
    public let address: SocketAddress
    /// Seconds each operation (connect, one command's write and read) may take.
    public let timeout: Double

    public init(_ address: SocketAddress, timeout: Double) throws(ScaleError) {
        self.address = address
        self.timeout = timeout
        switch address {
        case .unix(let path): fd = try Self.connectUnix(path, timeout: timeout)
        case .tcp(let host, let port): fd = try Self.connectTCP(host, port, timeout: timeout)
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    public func close() {
        if fd >= 0 { Glibc.close(fd); fd = -1 }
    }

    static func monotonic() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    static func failure(_ what: String, _ address: SocketAddress, code: Int32) -> ScaleError {
        ScaleError(.target, "\(what): \(String(cString: strerror(code)))", at: address.description)
    }

    /// Waits until `fd` is ready for `events` or the deadline passes.
    static func wait(_ fd: Int32, _ events: Int16, deadline: Double, address: SocketAddress, doing: String) throws(ScaleError) {
        while true {
            let left = deadline - monotonic()
            guard left > 0 else { throw ScaleError(.target, "timed out \(doing)", at: address.description, fix: "check the server, or raise \(Parameter.timeout)") }
            var p = pollfd(fd: fd, events: events, revents: 0)
            let r = poll(&p, 1, Int32(min(left * 1000, 2_000_000_000)) + 1)
            if r < 0 { if errno == EINTR { continue }; throw failure(doing, address, code: errno) }
            if r > 0 { return }
        }
    }

    static func finishConnect(_ fd: Int32, deadline: Double, address: SocketAddress) throws(ScaleError) {
        try wait(fd, Int16(POLLOUT), deadline: deadline, address: address, doing: "connecting")
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
        if error != 0 { throw failure("cannot connect", address, code: error) }
    }

    static func connectUnix(_ path: String, timeout: Double) throws(ScaleError) -> Int32 {
        let address = SocketAddress.unix(path: path)
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: sa.sun_path)
        guard bytes.count < capacity else {
            throw ScaleError(.usage, "unix socket path longer than \(capacity - 1) bytes", at: path)
        }
        withUnsafeMutableBytes(of: &sa.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw failure("socket", address, code: errno) }
        let r = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EAGAIN else { Glibc.close(fd); throw failure("cannot connect", address, code: code) }
            do { try finishConnect(fd, deadline: monotonic() + timeout, address: address) } catch { Glibc.close(fd); throw error }
        }
        return fd
    }

    static func connectTCP(_ host: String, _ port: UInt16, timeout: Double) throws(ScaleError) -> Int32 {
        let address = SocketAddress.tcp(host: host, port: port)
        let deadline = monotonic() + timeout
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw ScaleError(.target, "cannot resolve host: \(String(cString: gai_strerror(status)))", at: address.description, fix: "check the host name")
        }
        defer { freeaddrinfo(list) }
        var lastError: ScaleError = failure("cannot connect", address, code: ECONNREFUSED)
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), info.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
            let code = errno
            guard code == EINPROGRESS else { Glibc.close(fd); lastError = failure("cannot connect", address, code: code); continue }
            do {
                try finishConnect(fd, deadline: deadline, address: address)
                return fd
            } catch {
                Glibc.close(fd)
                lastError = error
            }
        }
        throw lastError
    }

    /// Writes every byte by the deadline.
    public func send(_ bytes: [UInt8], deadline: Double) throws(ScaleError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            let code = errno
            if n < 0, code == EINTR { continue }
            if n < 0, code == EAGAIN || code == EWOULDBLOCK {
                try Self.wait(fd, Int16(POLLOUT), deadline: deadline, address: address, doing: "sending")
                continue
            }
            throw Self.failure("cannot send", address, code: code)
        }
    }

    /// Reads what is available (at most `max` bytes) by the deadline; empty when the peer closed.
    public func receive(max: Int, deadline: Double) throws(ScaleError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if n >= 0 { return Array(buffer[0..<n]) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try Self.wait(fd, Int16(POLLIN), deadline: deadline, address: address, doing: "waiting for a reply")
                continue
            }
            throw Self.failure("cannot read", address, code: code)
        }
    }
}

import Glibc
import ScaleCore
import Synchronization

/// A scripted HTTP/1.1 server on 127.0.0.1 at a port the kernel picks, for tests that need
/// exact control of what goes over the wire (byte-for-byte headers, slow answers, broken
/// connections) — things a real server will not do on demand.
///
/// One thread accepts; each connection gets a thread of its own and one request
/// (`Connection: close`). `stop()` never hangs: it shuts every open connection down and waits
/// at most two seconds for their threads.
public final class LoopbackHTTPServer: Sendable {
    public struct Header: Sendable, Hashable, CustomStringConvertible {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
        public var description: String { "\(name): \(value)" }
    }

    /// A request as the server received it.
    public struct Request: Sendable {
        public var method: String
        /// The request target as sent, query included.
        public var target: String
        public var headers: [Header]
        public var body: [UInt8]

        /// The target without its query.
        public var path: String { String(target.prefix { $0 != "?" }) }

        public func values(for name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }
    }

    public let port: UInt16
    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let state: ServerState
    private let acceptThread: Mutex<PosixThread?>

    /// Serves `routes` by path (query ignored); a key ending in `*` matches every path with
    /// that prefix. Unknown paths get 404.
    public convenience init(routes: [String: LoopbackBehaviour]) throws {
        try self.init { request in
            let path = request.path
            if let exact = routes[path] { return exact }
            let prefixed = routes.filter { $0.key.hasSuffix("*") && path.hasPrefix(String($0.key.dropLast())) }
            if let best = prefixed.max(by: { $0.key.count < $1.key.count }) { return best.value }
            return .text("no route for \(path)\n", status: 404)
        }
    }

    /// Serves whatever `handler` decides for each request.
    public init(handler: @escaping @Sendable (Request) -> LoopbackBehaviour) throws {
        let (fd, port) = try LoopbackSocket.bound()
        guard listen(fd, SOMAXCONN) == 0 else {
            let failure = LoopbackSocket.Failure("listen")
            close(fd)
            throw failure
        }
        self.port = port
        let state = ServerState(listener: fd, handler: handler)
        self.state = state
        guard let thread = PosixThread({ state.acceptLoop() }) else {
            close(fd)
            throw LoopbackSocket.Failure("pthread_create")
        }
        acceptThread = Mutex(thread)
    }

    deinit { stop() }

    /// Requests whose head was read completely.
    public var requestCount: Int { state.counters.withLock { $0.requests } }
    /// The most requests the server was working on at one moment: read, and not yet being
    /// answered. Never more than the client really had in flight.
    public var maxConcurrentRequests: Int { state.counters.withLock { $0.maxInFlight } }
    /// The first 1000 requests received, in arrival order.
    public var receivedRequests: [Request] { state.counters.withLock { $0.log } }

    /// Stops accepting, cuts open connections and waits (at most 2 s) for their threads.
    /// Safe to call more than once.
    public func stop() {
        guard let thread = acceptThread.withLock({ slot -> PosixThread? in
            defer { slot = nil }
            return slot
        }) else { return }
        state.stopping.store(true, ordering: .sequentiallyConsistent)
        thread.join()
        close(state.listener)
        state.shutDownConnections()
        let deadline = monotonicSeconds() + 2
        while state.openConnections > 0 && monotonicSeconds() < deadline { usleep(5_000) }
    }
}

/// Everything the server's threads share. Its lifetime is that of the longest thread, since
/// each captures it.
private final class ServerState: Sendable {
    struct Counters {
        var requests = 0
        var inFlight = 0
        var maxInFlight = 0
        var log: [LoopbackHTTPServer.Request] = []
        var connections: Set<Int32> = []
    }

    let listener: Int32
    let handler: @Sendable (LoopbackHTTPServer.Request) -> LoopbackBehaviour
    let stopping = Atomic<Bool>(false)
    let counters = Mutex(Counters())

    init(listener: Int32, handler: @escaping @Sendable (LoopbackHTTPServer.Request) -> LoopbackBehaviour) {
        self.listener = listener
        self.handler = handler
    }

    var isStopping: Bool { stopping.load(ordering: .sequentiallyConsistent) }
    var openConnections: Int { counters.withLock { $0.connections.count } }

    func acceptLoop() {
        while !isStopping {
            // A short poll instead of a blocking accept: closing a listener does not wake
            // accept() on Linux, so this is how the loop notices stop().
            guard LoopbackSocket.waitReadable(listener, milliseconds: 20) else { continue }
            let fd = GNUExtensions.acceptCloseOnExec(listener)
            guard fd >= 0 else { continue }
            counters.withLock { _ = $0.connections.insert(fd) }
            if PosixThread(detached: true, { self.serve(fd) }) == nil { finish(fd) }
        }
    }

    /// Unblocks every connection thread (reads and writes fail at once); each closes its own descriptor.
    func shutDownConnections() {
        counters.withLock { for fd in $0.connections { shutdown(fd, Int32(SHUT_RDWR)) } }
    }

    private func finish(_ fd: Int32) {
        // Removed under the lock before close, so shutDownConnections never touches a
        // descriptor number the kernel has already handed to someone else.
        counters.withLock {
            $0.connections.remove(fd)
            close(fd)
        }
    }

    private func serve(_ fd: Int32) {
        defer { finish(fd) }
        guard let request = readRequest(fd) else { return }
        counters.withLock {
            $0.requests += 1
            $0.inFlight += 1
            $0.maxInFlight = max($0.maxInFlight, $0.inFlight)
            if $0.log.count < 1000 { $0.log.append(request) }
        }
        // A request stops counting as in flight the moment its answer starts, not after the
        // last byte left: a client that read the answer may open its next connection before
        // this thread runs again, and counting both would overstate the client's concurrency.
        var answering = false
        let startAnswering = {
            if !answering {
                answering = true
                self.counters.withLock { $0.inFlight -= 1 }
            }
        }
        defer { startAnswering() }
        perform(handler(request), for: request, on: fd, startAnswering)
    }

    private func perform(_ behaviour: LoopbackBehaviour, for request: LoopbackHTTPServer.Request, on fd: Int32,
                         _ startAnswering: () -> Void) {
        if case .delayed = behaviour {} else { startAnswering() }
        switch behaviour {
        case let .respond(status, headers, body):
            var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\n"
            for header in headers { head += "\(header.name): \(header.value)\r\n" }
            let hasLength = headers.contains { $0.name.lowercased() == "content-length" }
            if !hasLength && !(100..<200).contains(status) && status != 204 && status != 304 {
                head += "Content-Length: \(body.count)\r\n"
            }
            head += "Connection: close\r\n\r\n"
            _ = LoopbackSocket.sendAll(fd, Array(head.utf8) + body)
        case let .delayed(seconds, then):
            let deadline = monotonicSeconds() + seconds
            while monotonicSeconds() < deadline {
                if isStopping { return }
                usleep(5_000)
            }
            perform(then, for: request, on: fd, startAnswering)
        case .closeWithoutResponse:
            return
        case .partialHeadersThenClose:
            _ = LoopbackSocket.sendAll(fd, "HTTP/1.1 200 OK\r\nContent-Type: te".utf8)
        case .shortBody:
            let head = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n"
            _ = LoopbackSocket.sendAll(fd, Array(head.utf8) + Array(repeating: UInt8(ascii: "x"), count: 50))
        case let .hugeHeaders(bytes):
            var block = Array("HTTP/1.1 200 OK\r\n".utf8)
            let filler = String(repeating: "a", count: 84)
            var line = 0
            var sent = 0
            while sent + block.count < bytes {
                let number = String(line)
                let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
                block += "X-Filler-\(padded): \(filler)\r\n".utf8
                line += 1
                if block.count >= 64 << 10 {
                    guard LoopbackSocket.sendAll(fd, block) else { return }
                    sent += block.count
                    block = []
                }
            }
            block += "Content-Length: 2\r\nConnection: close\r\n\r\nok".utf8
            _ = LoopbackSocket.sendAll(fd, block)
        case let .hugeBody(bytes):
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: \(bytes)\r\nConnection: close\r\n\r\n"
            guard LoopbackSocket.sendAll(fd, head.utf8) else { return }
            var offset = 0
            while offset < bytes {
                let count = min(64 << 10, bytes - offset)
                let chunk = (offset..<offset + count).map(LoopbackBehaviour.patternByte)
                guard LoopbackSocket.sendAll(fd, chunk) else { return }
                offset += count
            }
        case .redirectChain:
            let path = request.path
            let slash = path.lastIndex(of: "/") ?? path.startIndex
            let prefix = path[..<slash]
            guard let remaining = Int(path[path.index(after: slash)...]) else {
                perform(.text("not a chain step: \(path)\n", status: 404), for: request, on: fd, startAnswering)
                return
            }
            if remaining > 0 {
                perform(.respond(status: 302, headers: [.init("Location", "\(prefix)/\(remaining - 1)")]),
                        for: request, on: fd, startAnswering)
            } else {
                perform(.text("end of chain"), for: request, on: fd, startAnswering)
            }
        }
    }

    /// Reads one request head (and a `Content-Length` body). nil when the peer went away, the
    /// head exceeds 64 KiB, or nothing complete arrived within 10 seconds.
    private func readRequest(_ fd: Int32) -> LoopbackHTTPServer.Request? {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let deadline = monotonicSeconds() + 10
        let terminator = Array("\r\n\r\n".utf8)
        func receiveMore() -> Bool {
            while monotonicSeconds() < deadline && !isStopping {
                guard LoopbackSocket.waitReadable(fd, milliseconds: 20) else { continue }
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                buffer += chunk[0..<count]
                return true
            }
            return false
        }
        var headEnd: Int?
        while headEnd == nil {
            guard buffer.count <= 64 << 10, receiveMore() else { return nil }
            // Not a request line (a TLS ClientHello starts with 0x16): answer 400 and close,
            // as nginx does, instead of waiting for a blank line that never comes.
            if let first = buffer.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) {
                _ = LoopbackSocket.sendAll(fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
                return nil
            }
            headEnd = buffer.firstRange(of: terminator)?.upperBound
        }
        let lines = String(decoding: buffer[..<(headEnd! - 4)], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        let headers = lines.dropFirst().compactMap { line -> LoopbackHTTPServer.Header? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            return .init(String(line[..<colon]), String(value))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        while buffer.count - headEnd! < length {
            guard length <= 16 << 20, receiveMore() else { return nil }
        }
        return .init(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers,
                     body: Array(buffer[headEnd!..<(headEnd! + length)]))
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 404: return "Not Found"
        case 500: return "Internal Server Error"
        case 503: return "Service Unavailable"
        default: return "Status"
        }
    }
}

public import ScaleCore

/// A small Redis client speaking RESP2 over TCP or a unix socket: one command at a time, every
/// command bounded by the timeout, every reply by `RESPLimits`. Authenticates with AUTH and
/// selects the database on connect.
public final class RedisClient {
    private let connection: SocketConnection
    private var pending: [UInt8] = []
    public let limits: RESPLimits

    /// `password` (and optionally `username`, Redis 6 ACLs) come from the caller, never from a URL.
    public init(_ address: SocketAddress, timeout: Double, username: String? = nil, password: String? = nil,
                database: Int = 0, limits: RESPLimits = RESPLimits()) throws(ScaleError) {
        self.connection = try SocketConnection(address, timeout: timeout)
        self.limits = limits
        if let password {
            let reply = try call(username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            if case .error(let message) = reply {
                // The reply names no secret, but keep only its first word (WRONGPASS, ERR…).
                throw ScaleError(.target, "authentication failed (\(message.split(separator: " ").first ?? "ERR"))",
                                 at: address.description, fix: "check REDISCLI_AUTH (and the user name in the URL)")
            }
        }
        if database != 0 {
            let reply = try call(["SELECT", String(database)])
            if case .error(let message) = reply {
                throw ScaleError(.input, "cannot select database \(database): \(message)", at: address.description)
            }
        }
    }

    public func close() { connection.close() }

    /// Sends one command and returns its reply; error replies are returned, not thrown
    /// (WRONGTYPE is an answer). Transport failures and protocol violations throw.
    public func call(_ arguments: [String]) throws(ScaleError) -> RESPValue {
        let deadline = SocketConnection.monotonic() + connection.timeout
        try connection.send(RESPParser.encode(arguments), deadline: deadline)
        var scanner = RESPFrameScanner(limits: limits)
        while true {
            do {
                // Parsed once, when the scanner has seen all of it.
                if try scanner.end(of: pending) != nil, let (value, used) = try RESPParser.parse(pending, limits: limits) {
                    pending.removeFirst(used)
                    return value
                }
            } catch {
                connection.close()
                switch error {
                case .malformed(let what):
                    throw ScaleError(.target, "not a Redis reply (\(what))", at: connection.address.description, fix: "check that the port is Redis")
                case .tooLarge(let what):
                    throw ScaleError(.target, "reply too large: \(what)", at: connection.address.description)
                }
            }
            guard pending.count <= limits.maxReplyBytes else {
                connection.close()
                throw ScaleError(.target, "reply larger than \(limits.maxReplyBytes) bytes", at: connection.address.description)
            }
            let chunk = try connection.receive(max: 1 << 16, deadline: deadline)
            guard !chunk.isEmpty else {
                throw ScaleError(.target, "the server closed the connection", at: connection.address.description)
            }
            pending += chunk
        }
    }
}

import Testing
import Glibc
import ScaleCore
import ScaleNet
import TestSupport

/// The client against a real Debian redis-server, fed and checked with redis-cli.
@Suite(.serialized) struct RedisClientTests {
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func talksOverTCPAndTheUnixSocket() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        #expect(redis.cli(["RPUSH", "jobs", "a", "b", "c"]).output == "3\n")
        for address in [SocketAddress.tcp(host: "127.0.0.1", port: redis.port), .unix(path: redis.socketPath)] {
            let client = try RedisClient(address, timeout: 2)
            #expect(try client.call(["PING"]) == .simple("PONG"))
            #expect(try client.call(["LLEN", "jobs"]) == .integer(3))
            #expect(try client.call(["LINDEX", "jobs", "-1"]) == .bulk(Array("c".utf8)))
            #expect(try client.call(["LLEN", "missing"]) == .integer(0))
            #expect(try client.call(["GET", "missing"]) == .bulk(nil))
            // WRONGTYPE is an answer, not a transport failure.
            _ = redis.cli(["XADD", "s", "*", "f", "v"])
            guard case .error(let message) = try client.call(["LLEN", "s"]) else { Issue.record("no error reply"); return }
            #expect(message.hasPrefix("WRONGTYPE"))
        }
    }

    /// Replies of many 64 KiB reads: each is read once and parsed once (re-parsing from the
    /// start after every read took tens of seconds). The contents come from how redis-cli
    /// built them: SETRANGE pads with zero bytes, the script pushes 1…200000 in order.
    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func largeRepliesArriveWhole() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        let size = 16 << 20
        #expect(redis.cli(["SETRANGE", "big", String(size - 4), "tail"]).output == "\(size)\n")
        #expect(redis.cli(["SETRANGE", "big", "0", "head"]).output == "\(size)\n")
        #expect(redis.cli(["EVAL", "for i = 1, 200000 do redis.call('RPUSH', KEYS[1], i) end", "1", "list"]).status == 0)
        #expect(redis.cli(["LLEN", "list"]).output == "200000\n")

        let client = try RedisClient(.tcp(host: "127.0.0.1", port: redis.port), timeout: 60)
        guard case .bulk(let bytes?) = try client.call(["GET", "big"]) else { Issue.record("no bulk reply"); return }
        #expect(bytes.count == size)
        #expect(bytes.prefix(4).elementsEqual("head".utf8))
        #expect(bytes.suffix(4).elementsEqual("tail".utf8))
        #expect(!bytes[4..<(size - 4)].contains { $0 != 0 })

        let items = try #require(try client.call(["LRANGE", "list", "0", "-1"]).items)
        #expect(items.count == 200_000)
        #expect(items.enumerated().allSatisfy { $0.element == .bulk(Array(String($0.offset + 1).utf8)) })
        // The connection is still in step: the next reply is the next command's.
        #expect(try client.call(["PING"]) == .simple("PONG"))
    }

    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func selectsTheDatabase() throws {
        let redis = try RedisServerFixture()
        defer { redis.stop() }
        redis.cli(["-n", "3", "RPUSH", "q", "x", "y"])
        let client = try RedisClient(.unix(path: redis.socketPath), timeout: 2, database: 3)
        #expect(try client.call(["LLEN", "q"]) == .integer(2))
        #expect(throws: ScaleError.self) { try RedisClient(.unix(path: redis.socketPath), timeout: 2, database: 99) }
    }

    @Test(.requires(RedisServerFixture.executable, package: "redis-server"))
    func authenticatesAndNeverEchoesThePassword() throws {
        let redis = try RedisServerFixture(password: "s3cret-pw")
        defer { redis.stop() }
        let client = try RedisClient(.tcp(host: "127.0.0.1", port: redis.port), timeout: 2, password: "s3cret-pw")
        #expect(try client.call(["PING"]) == .simple("PONG"))
        do {
            _ = try RedisClient(.tcp(host: "127.0.0.1", port: redis.port), timeout: 2, password: "wrong-pw")
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.description == "127.0.0.1:\(redis.port): authentication failed (WRONGPASS); check REDISCLI_AUTH (and the user name in the URL)")
            #expect(!error.description.contains("wrong-pw"))
        }
        // Without AUTH every command is refused with NOAUTH.
        let anonymous = try RedisClient(.unix(path: redis.socketPath), timeout: 2)
        guard case .error(let message) = try anonymous.call(["LLEN", "q"]) else { Issue.record("no NOAUTH"); return }
        #expect(message.hasPrefix("NOAUTH"))
    }

    @Test func refusedConnectionIsATargetFailure() throws {
        let refused = try RefusedPort()
        do {
            _ = try RedisClient(.tcp(host: "127.0.0.1", port: refused.port), timeout: 2)
            Issue.record("connected to a refused port")
        } catch {
            #expect(error == ScaleError(.target, "cannot connect: Connection refused", at: "127.0.0.1:\(refused.port)"))
        }
        #expect(throws: ScaleError(.target, "cannot connect: No such file or directory", at: "/nonexistent/redis.sock")) {
            try RedisClient(.unix(path: "/nonexistent/redis.sock"), timeout: 2)
        }
    }

    /// An HTTP server answers a RESP command with `HTTP/1.1 400`: refused as not Redis.
    @Test func anHTTPServerIsNotRedis() throws {
        let server = try LoopbackHTTPServer { _ in .text("hello") }
        defer { server.stop() }
        let client = try RedisClient(.tcp(host: "127.0.0.1", port: server.port), timeout: 2)
        #expect(throws: ScaleError(.target, "not a Redis reply (unknown reply type byte 72)", at: "127.0.0.1:\(server.port)", fix: "check that the port is Redis")) {
            try client.call(["PING"])
        }
    }

    /// A socket that listens but never accepts completes the handshake and stays silent: the
    /// command ends at the timeout, not never.
    @Test func silentServerTimesOut() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let client = try RedisClient(.tcp(host: "127.0.0.1", port: port), timeout: 0.3)
        #expect(throws: ScaleError(.target, "timed out waiting for a reply", at: "127.0.0.1:\(port)", fix: "check the server, or raise \(Parameter("timeout"))")) {
            try client.call(["PING"])
        }
    }
}

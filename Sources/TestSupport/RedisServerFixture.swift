import Glibc
import Synchronization

/// A real Debian redis-server on 127.0.0.1 and a unix socket, in a directory of its own, with
/// persistence off. Follows docs/test-fixtures.md: a free port below 32768, readiness polled
/// against a deadline, and `stop()` ending exactly the PID it started. With `password`, clients
/// must AUTH (requirepass). `cli(…)` runs Debian's redis-cli against it, so tests feed data with
/// the reference client rather than the code under test.
public final class RedisServerFixture: Sendable {
    public static let executable = "/usr/bin/redis-server"
    public static let cliExecutable = "/usr/bin/redis-cli"

    public let port: UInt16
    public let directory: String
    public var socketPath: String { "\(directory)/redis.sock" }
    public let password: String?

    private let process: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    public init(password: String? = nil) throws {
        try ServerRequirement.check(Self.executable, package: "redis-server")
        try ServerRequirement.check(Self.cliExecutable, package: "redis-tools")
        let temporary = try TemporaryDirectory(prefix: "scalectl-redis")
        var lastError = ""
        for _ in 0..<5 {
            let port = try LoopbackSocket.freePort()
            var arguments = ["--bind", "127.0.0.1", "--port", String(port), "--unixsocket", "\(temporary.path)/redis.sock",
                             "--unixsocketperm", "700", "--dir", temporary.path, "--save", "", "--appendonly", "no",
                             "--daemonize", "no", "--logfile", "\(temporary.path)/redis.log"]
            if let password { arguments += ["--requirepass", password] }
            let process = try ChildProcess(Self.executable, arguments, outputPath: "\(temporary.path)/stdout.log")
            if process.waitUntil(within: 5, { access("\(temporary.path)/redis.sock", F_OK) == 0 && LoopbackSocket.accepts(port: port) }) {
                self.process = process
                self.port = port
                self.directory = temporary.path
                self.temporary = temporary
                self.password = password
                return
            }
            process.terminate(grace: 2)
            lastError = (readTextFile("\(temporary.path)/redis.log") ?? "") + (readTextFile("\(temporary.path)/stdout.log") ?? "")
            if !lastError.contains("Address already in use") { break }
        }
        temporary.remove()
        throw FixtureError("redis-server did not start within 5 s: \(lastError)")
    }

    deinit { stop() }

    /// Stops redis-server (SIGTERM, SIGKILL after 5 s) and removes the directory. Idempotent.
    public func stop() {
        guard stopped.claimFirst() else { return }
        process.terminate(grace: 5)
        temporary.remove()
    }

    /// Runs `redis-cli -s SOCKET ARGS…` (the password through REDISCLI_AUTH, as users pass it).
    @discardableResult
    public func cli(_ arguments: [String]) -> ProcessResult {
        var environment = ["PATH": "/usr/bin:/bin", "LC_ALL": "C"]
        if let password { environment["REDISCLI_AUTH"] = password }
        return Subprocess.run([Self.cliExecutable, "-s", socketPath] + arguments, environment: environment)
    }
}

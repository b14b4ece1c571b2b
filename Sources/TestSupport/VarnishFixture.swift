import Glibc
import Synchronization

/// A real Debian varnish on 127.0.0.1 in front of an origin (an `NginxFixture`), in a
/// directory of its own: hits carry `Age` and two ids in `X-Varnish`.
///
/// Follows docs/test-fixtures.md: `varnishd -F -n DIR -a 127.0.0.1:PORT -b ORIGIN -s malloc,32m`,
/// a free port below 32768, readiness polled against a deadline, and `stop()` ending exactly
/// the PID it started. Self-contained (its own port picking) so it merges with other fixtures.
public final class VarnishFixture: Sendable {
    public static let executable = "/usr/sbin/varnishd"

    public let port: UInt16
    public let directory: String
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private let process: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    /// Starts varnish with the builtin VCL in front of `127.0.0.1:originPort`.
    public init(originPort: UInt16) throws {
        try ServerRequirement.check(Self.executable, package: "varnish")
        let temporary = try TemporaryDirectory(prefix: "scalectl-varnish")
        var started: (ChildProcess, UInt16)?
        var lastError = ""
        for _ in 0..<5 {
            let port = try LoopbackSocket.freePort()
            let process = try ChildProcess(Self.executable, [
                "-F", "-n", "\(temporary.path)/work", "-a", "127.0.0.1:\(port)", "-b", "127.0.0.1:\(originPort)",
                "-s", "malloc,32m", "-T", "none",
            ], outputPath: "\(temporary.path)/varnishd.log")
            if process.waitUntil(within: 15, every: 0.02, { LoopbackSocket.accepts(port: port) }) {
                started = (process, port)
                break
            }
            process.terminate(grace: 5)
            lastError = readTextFile("\(temporary.path)/varnishd.log") ?? ""
            if !lastError.contains("Address already in use") && !lastError.contains("Could not get socket") { break }
        }
        guard let (process, port) = started else {
            temporary.remove()
            throw FixtureError("varnishd did not start on loopback within 15 s: \(lastError)")
        }
        self.process = process
        self.port = port
        self.directory = temporary.path
        self.temporary = temporary
    }

    deinit { stop() }

    /// Stops varnishd (SIGTERM, SIGKILL after 5 s) and removes the directory. Idempotent.
    public func stop() {
        guard stopped.claimFirst() else { return }
        process.terminate(grace: 5)
        temporary.remove()
    }

    public var log: String { readTextFile("\(directory)/varnishd.log") ?? "" }
}

import Glibc
import Synchronization

/// moto_server (PyPI `moto[server]`), an SQS-compatible server that checks SigV4 signatures'
/// form, on 127.0.0.1 with a port below 32768. `stop()` ends exactly the PID it started.
public final class MotoFixture: Sendable {
    /// Where pip puts the script (system Python as root, then a pyenv install), else PATH.
    public static let executable: String = {
        for candidate in ["/usr/local/bin/moto_server", "/usr/bin/moto_server"] where access(candidate, X_OK) == 0 { return candidate }
        if let home = getenv("HOME").map({ String(cString: $0) }),
           let versions = opendir("\(home)/.pyenv/versions") {
            defer { closedir(versions) }
            while let entry = readdir(versions) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                let path = "\(home)/.pyenv/versions/\(name)/bin/moto_server"
                if !name.hasPrefix("."), access(path, X_OK) == 0 { return path }
            }
        }
        return Subprocess.which("moto_server") ?? "/usr/local/bin/moto_server"
    }()

    public let port: UInt16
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let process: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    public init() throws {
        try ServerRequirement.check(Self.executable, package: "moto[server] from PyPI (pip install 'moto[server]')")
        let temporary = try TemporaryDirectory(prefix: "scalectl-moto")
        let port = try LoopbackSocket.freePort()
        let process = try ChildProcess(Self.executable, ["-H", "127.0.0.1", "-p", String(port)], outputPath: "\(temporary.path)/moto.log",
                                       environment: ["HOME=\(temporary.path)"])
        guard process.waitUntil(within: 15, every: 0.05, { LoopbackSocket.accepts(port: port) }) else {
            let log = readTextFile("\(temporary.path)/moto.log") ?? ""
            process.terminate(grace: 2)
            temporary.remove()
            throw FixtureError("moto_server did not listen on 127.0.0.1:\(port) within 15 s: \(log)")
        }
        self.port = port
        self.process = process
        self.temporary = temporary
    }

    deinit { stop() }

    public func stop() {
        guard stopped.claimFirst() else { return }
        process.terminate(grace: 5)
        temporary.remove()
    }

    /// An SQS call in the JSON protocol, signed by the curl command line (`--aws-sigv4`) — an
    /// independent client to feed queues with.
    @discardableResult
    public func sqs(_ action: String, _ body: String, region: String = "us-east-1") -> ProcessResult {
        Subprocess.run(["curl", "-sS", "--aws-sigv4", "aws:amz:\(region):sqs", "-u", "testing:testing",
                        "-H", "Content-Type: application/x-amz-json-1.0", "-H", "X-Amz-Target: AmazonSQS.\(action)",
                        "-d", body, endpoint + "/"])
    }
}

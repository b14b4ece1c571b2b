import Glibc
import Synchronization

/// Real Debian redis-server instances on 127.0.0.1, optionally in cluster mode, in a directory
/// of their own, for tests that compare scalectl with what Redis and redis-cli really do.
///
/// Follows docs/test-fixtures.md: ports below 32768 checked free (a cluster node also needs
/// its bus port, port + 10000, so ports come from 20000–22767), readiness polled against a
/// deadline, every file under the fixture's directory, and `stop()` ending exactly the PIDs it
/// started.
public final class RedisFixture: Sendable {
    public static let serverExecutable = "/usr/bin/redis-server"
    public static let cliExecutable = "/usr/bin/redis-cli"

    /// One port per instance, in start order.
    public let ports: [UInt16]
    public let directory: String

    private let processes: [ChildProcess]
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    /// Starts `instances` servers; with `cluster`, each runs with `--cluster-enabled yes` and its
    /// own `nodes-PORT.conf` (no cluster is formed yet: see `createCluster`).
    public init(instances: Int = 1, cluster: Bool = false) throws {
        try ServerRequirement.check(Self.serverExecutable, package: "redis-server")
        try ServerRequirement.check(Self.cliExecutable, package: "redis-tools")
        let temporary = try TemporaryDirectory(prefix: "scalectl-redis")
        var started: [(ChildProcess, UInt16)] = []
        do {
            for _ in 0..<instances {
                var lastError = ""
                var launched: (ChildProcess, UInt16)?
                // Another process may take the port between our check and redis's bind: try again.
                for _ in 0..<5 {
                    // In cluster mode the bus port (+10000) must be free too, and below 32768.
                    let port = try LoopbackSocket.freePorts(1, in: 20_000...22_767, avoiding: started.map(\.1),
                                                            companion: cluster ? { $0 + 10_000 } : nil)[0]
                    switch try Self.launch(in: temporary.path, port: port, cluster: cluster) {
                    case .ready(let process): launched = (process, port)
                    case .portTaken(let log): lastError = log; continue
                    }
                    break
                }
                guard let launched else { throw FixtureError("redis-server could not bind a free port: \(lastError)") }
                started.append(launched)
            }
        } catch {
            for (process, _) in started { process.terminate(grace: 2) }
            temporary.remove()
            throw error
        }
        processes = started.map(\.0)
        ports = started.map(\.1)
        directory = temporary.path
        self.temporary = temporary
    }

    deinit { stop() }

    /// `127.0.0.1:PORT` of instance `index`.
    public func address(_ index: Int) -> String { "127.0.0.1:\(ports[index])" }

    /// Stops every server (SIGTERM, SIGKILL after 5 s) and removes the directory. Idempotent.
    public func stop() {
        guard stopped.claimFirst() else { return }
        for process in processes { process.terminate(grace: 5) }
        temporary.remove()
    }

    /// Runs redis-cli with `arguments`; returns its output (stdout and stderr together) when it
    /// exits 0 within `timeout` seconds, throws with the output otherwise. Colour codes, which
    /// redis-cli's cluster manager prints even into files, are removed.
    public func cli(_ arguments: [String], timeout: Double = 30) throws -> String {
        let path = "\(directory)/cli-\(UInt32.random(in: 0...UInt32.max)).out"
        defer { unlink(path) }
        try ChildProcess.run(Self.cliExecutable, arguments, outputPath: path, timeout: timeout)
        return Self.withoutColour(readTextFile(path) ?? "")
    }

    /// `redis-cli --cluster create` over the instances at `indices` as masters, no replicas.
    public func createCluster(masters indices: [Int]) throws {
        _ = try cli(["--cluster", "create"] + indices.map(address) + ["--cluster-replicas", "0", "--cluster-yes"], timeout: 60)
    }

    /// `redis-cli --cluster add-node` of instance `index` to the cluster instance `existing` is in.
    public func addNode(_ index: Int, to existing: Int) throws {
        _ = try cli(["--cluster", "add-node", address(index), address(existing)], timeout: 60)
    }

    /// Polls until every instance in the cluster knows all `nodes` nodes (none still in
    /// handshake, every link connected) and `redis-cli --cluster check` from instance `index`
    /// finds the slot configuration agreed and all slots covered; throws after `seconds`.
    /// (A node just added is known to some nodes before others, and redis-cli refuses to move
    /// slots to a node its source does not know.)
    public func waitForAgreement(from index: Int, nodes: Int, seconds: Double = 20) throws {
        let deadline = monotonicSeconds() + seconds
        var last = ""
        while monotonicSeconds() < deadline {
            var everyoneKnowsEveryone = true
            for port in ports {
                guard let table = try? cli(["-h", "127.0.0.1", "-p", String(port), "cluster", "nodes"], timeout: 10) else {
                    everyoneKnowsEveryone = false
                    break
                }
                let lines = table.split(separator: "\n")
                if lines.count != nodes || lines.contains(where: { $0.contains("handshake") || $0.contains("noaddr") || !$0.contains(" connected") }) {
                    everyoneKnowsEveryone = false
                    last = table
                    break
                }
            }
            if everyoneKnowsEveryone, let output = try? cli(["--cluster", "check", address(index)], timeout: 10) {
                last = output
                if output.contains("[OK] All nodes agree about slots configuration.") && output.contains("[OK] All 16384 slots covered.") {
                    return
                }
            }
            usleep(100_000)
        }
        throw FixtureError("the Redis cluster did not agree on its configuration within \(seconds) s: \(last)")
    }

    static func withoutColour(_ text: String) -> String {
        var out = ""
        var scalars = text.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\u{1B}" else { out.unicodeScalars.append(scalar); continue }
            // ESC [ … final letter
            while let next = scalars.next(), !(next.properties.isAlphabetic) {}
        }
        return out
    }

    private enum Launch {
        case ready(ChildProcess)
        case portTaken(String)
    }

    private static func launch(in directory: String, port: UInt16, cluster: Bool) throws -> Launch {
        var arguments = ["--port", String(port), "--bind", "127.0.0.1", "--dir", directory, "--save", "",
                         "--appendonly", "no", "--daemonize", "no", "--logfile", "\(directory)/redis-\(port).log"]
        if cluster {
            arguments += ["--cluster-enabled", "yes", "--cluster-config-file", "\(directory)/nodes-\(port).conf"]
        }
        let process = try ChildProcess(serverExecutable, arguments, outputPath: "\(directory)/stdout-\(port).log")
        if process.waitUntil(within: 5, { LoopbackSocket.accepts(port: port) }) { return .ready(process) }
        if let code = process.poll() {
            let log = (readTextFile("\(directory)/redis-\(port).log") ?? "") + (readTextFile("\(directory)/stdout-\(port).log") ?? "")
            if log.contains("Address already in use") { return .portTaken(log) }
            throw FixtureError("redis-server exited with status \(code) during start: \(log)")
        }
        process.terminate(grace: 2)
        throw FixtureError("redis-server did not accept connections on 127.0.0.1:\(port) within 5 s: \(readTextFile("\(directory)/redis-\(port).log") ?? "")")
    }
}

import Glibc
import Synchronization

/// A real Debian Varnish in front of an origin on 127.0.0.1, with `varnishncsa` writing its
/// access log, for tests that compare a log analysis with Varnish's own counters
/// (`varnishstat`). Follows docs/test-fixtures.md and reuses NginxFixture's helpers: a free
/// port below 32768, everything under the fixture's directory (`-n`), readiness polled against
/// a deadline, and `stop()` ending exactly the PIDs it started.
///
/// varnishncsa attaches to a running varnishd a moment after it starts; the fixture sends
/// requests for `readinessPath` until one shows in the log, so no later request can be missed.
/// Those requests are left out of `accessLog()` and counted before `baseline` is taken.
public final class VarnishLogFixture: Sendable {
    public static let executable = "/usr/sbin/varnishd"
    public static let ncsaExecutable = "/usr/bin/varnishncsa"
    public static let statExecutable = "/usr/bin/varnishstat"
    /// The log line: combined, then Varnish's hit/miss and its handling of the request.
    public static let logFormat = "%h %l %u %t \"%r\" %s %b \"%{Referer}i\" \"%{User-agent}i\" %{Varnish:hitmiss}x %{Varnish:handling}x"
    public static let readinessPath = "/__scalectl_ready"
    /// The counters `counters()` reads.
    public static let counterNames = ["MAIN.cache_hit", "MAIN.cache_miss", "MAIN.cache_hitmiss", "MAIN.cache_hitpass", "MAIN.s_pass", "MAIN.s_pipe", "MAIN.s_synth"]

    public let port: UInt16
    public let directory: String
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var accessLogPath: String { "\(directory)/access.log" }
    /// The counters once the log was ready: subtract them to count only the test's requests.
    public let baseline: [String: UInt64]

    private let varnishd: ChildProcess
    private let ncsa: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    public init(backendPort: UInt16) throws {
        try ServerRequirement.check(Self.executable, package: "varnish")
        try ServerRequirement.check(Self.ncsaExecutable, package: "varnish")
        let temporary = try TemporaryDirectory(prefix: "scalectl-varnish")
        var varnishd: ChildProcess?
        var ncsa: ChildProcess?
        do {
            var lastError = ""
            var chosen: UInt16 = 0
            for _ in 0..<5 {
                let port = try LoopbackSocket.freePort()
                let process = try ChildProcess(Self.executable, [
                    "-F", "-n", temporary.path, "-a", "127.0.0.1:\(port)", "-b", "127.0.0.1:\(backendPort)",
                    "-s", "malloc,32m",
                ], outputPath: "\(temporary.path)/varnishd.log")
                if try Self.waitReady(process, port: port, directory: temporary.path) {
                    varnishd = process
                    chosen = port
                    break
                }
                lastError = readTextFile("\(temporary.path)/varnishd.log") ?? ""
            }
            guard let started = varnishd else { throw FixtureError("varnishd could not bind a free port: \(lastError)") }
            ncsa = try ChildProcess(Self.ncsaExecutable, [
                "-n", temporary.path, "-w", "\(temporary.path)/access.log", "-F", Self.logFormat,
            ], outputPath: "\(temporary.path)/varnishncsa.log")
            let deadline = monotonicSeconds() + 10
            while !(readTextFile("\(temporary.path)/access.log") ?? "").contains(Self.readinessPath) {
                if let code = ncsa!.poll() {
                    throw FixtureError("varnishncsa exited with status \(code): \(readTextFile("\(temporary.path)/varnishncsa.log") ?? "")")
                }
                guard monotonicSeconds() < deadline else { throw FixtureError("varnishncsa wrote no log line within 10 s") }
                Self.get(Self.readinessPath, port: chosen)
                usleep(50_000)
            }
            self.varnishd = started
            self.ncsa = ncsa!
            port = chosen
            directory = temporary.path
            self.temporary = temporary
            baseline = try Self.readCounters(temporary.path)
        } catch {
            ncsa?.terminate(grace: 2)
            varnishd?.terminate(grace: 5)
            temporary.remove()
            throw error
        }
    }

    deinit { stop() }

    /// Stops varnishncsa and varnishd (SIGTERM, SIGKILL after 5 s) and removes the directory. Idempotent.
    public func stop() {
        guard stopped.claimFirst() else { return }
        ncsa.terminate(grace: 2)
        varnishd.terminate(grace: 5)
        temporary.remove()
    }

    /// Varnish's counters now, less `baseline`.
    /// The counters since the fixture started. Varnish's workers add their counts to the shared
    /// ones in batches, a moment after a request ends: with `requests`, waits (up to 5 s) until
    /// cache_hit + cache_miss + s_pass reach that many requests the client sent.
    public func counters(requests: Int? = nil) throws -> [String: UInt64] {
        let deadline = monotonicSeconds() + 5
        while true {
            let now = try Self.readCounters(directory)
            let counted = now.reduce(into: [String: UInt64]()) { $0[$1.key] = $1.value - (baseline[$1.key] ?? 0) }
            let handled = ["MAIN.cache_hit", "MAIN.cache_miss", "MAIN.s_pass"].reduce(UInt64(0)) { $0 + (counted[$1] ?? 0) }
            if requests.map({ handled >= UInt64($0) }) ?? true || monotonicSeconds() > deadline { return counted }
            usleep(100_000)
        }
    }

    /// The access log without the readiness requests, once it has at least `lines` lines
    /// (varnishncsa writes a transaction after it ends); throws after 10 s.
    public func accessLog(lines: Int) throws -> [UInt8] {
        let deadline = monotonicSeconds() + 10
        while true {
            let text = readTextFile(accessLogPath) ?? ""
            let kept = text.split(separator: "\n").filter { !$0.contains(Self.readinessPath) }
            if kept.count >= lines { return Array((kept.joined(separator: "\n") + "\n").utf8) }
            guard monotonicSeconds() < deadline else {
                throw FixtureError("varnishncsa wrote \(kept.count) of \(lines) lines within 10 s")
            }
            usleep(20_000)
        }
    }

    private static func waitReady(_ process: ChildProcess, port: UInt16, directory: String) throws -> Bool {
        // varnishd compiles its VCL with the C compiler before it listens: about a second.
        if process.waitUntil(within: 20, every: 0.02, { LoopbackSocket.accepts(port: port) }) { return true }
        if process.poll() != nil {
            let log = readTextFile("\(directory)/varnishd.log") ?? ""
            if log.contains("Address already in use") || log.contains("Could not get socket") { return false }
            throw FixtureError("varnishd exited during start: \(log)")
        }
        process.terminate(grace: 2)
        throw FixtureError("varnishd did not accept connections on 127.0.0.1:\(port) within 20 s: \(readTextFile("\(directory)/varnishd.log") ?? "")")
    }

    private static func readCounters(_ directory: String) throws -> [String: UInt64] {
        let output = "\(directory)/varnishstat.out"
        unlink(output)
        try ChildProcess.run(statExecutable, ["-n", directory, "-1"] + counterNames.flatMap { ["-f", $0] },
                             outputPath: output, timeout: 10)
        var counters: [String: UInt64] = [:]
        for line in (readTextFile(output) ?? "").split(separator: "\n") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.count >= 2, let value = UInt64(words[1]) { counters[String(words[0])] = value }
        }
        return counters
    }

    /// A GET whose answer is read and dropped (the readiness probe).
    private static func get(_ path: String, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected, LoopbackSocket.sendAll(fd, Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)) else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = monotonicSeconds() + 2
        while monotonicSeconds() < deadline, LoopbackSocket.waitReadable(fd, milliseconds: 200) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
        }
    }
}

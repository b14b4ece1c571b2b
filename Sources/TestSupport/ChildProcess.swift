import Glibc
import Synchronization

/// A process started with `posix_spawn` (no Foundation needed). It is reaped exactly once, so
/// a later `kill` can never hit an unrelated process that reused the PID.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `path` with `arguments`, stdout and stderr appended to `outputPath`, a minimal
    /// environment, and no inherited descriptors beyond 0–2.
    /// `environment` (NAME=value) is added to the minimal one.
    init(_ path: String, _ arguments: [String], outputPath: String, environment extra: [String] = []) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = GNUExtensions.addCloseFrom(&actions, 3)

        let words: [String] = [path] + arguments
        let environment: [String] = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C"] + extra
        let argv = words.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // A child inherits the signal mask and ignored signals: the test runner's threads block
        // SIGTERM, so without this a server would never see the SIGTERM of `terminate` and
        // would sit out the grace period until SIGKILL. Start it with an empty mask and the
        // default dispositions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGPIPE, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid = pid_t()
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw FixtureError("cannot start \(path): \(String(cString: strerror(status)))")
        }
        self.pid = pid
    }

    /// The exit code (128 + signal when killed) once the process has ended; nil while it runs.
    func poll() -> Int32? {
        exitStatus.withLock { known in
            if let known { return known }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return nil }
            known = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return known
        }
    }

    /// Waits up to `seconds` for the process to end.
    func wait(seconds: Double) -> Int32? {
        let deadline = monotonicSeconds() + seconds
        while true {
            if let code = poll() { return code }
            if monotonicSeconds() >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Polls `ready` every `interval` seconds until it holds while the process still runs
    /// (true: the server is up, and it is ours, not a squatter on its port), or until the
    /// process exits or `seconds` pass (false; `poll()` tells which).
    func waitUntil(within seconds: Double, every interval: Double = 0.01, _ ready: () -> Bool) -> Bool {
        let deadline = monotonicSeconds() + seconds
        while monotonicSeconds() < deadline {
            if poll() != nil { return false }
            if ready() && poll() == nil { return true }
            usleep(useconds_t(interval * 1_000_000))
        }
        return false
    }

    /// SIGTERM, then SIGKILL if it has not ended within `grace` seconds. Only ever signals
    /// this PID, and only while it is unreaped (so still ours).
    func terminate(grace: Double) {
        guard poll() == nil else { return }
        kill(pid, SIGTERM)
        if wait(seconds: grace) != nil { return }
        kill(pid, SIGKILL)
        _ = wait(seconds: 5)
    }

    /// Runs a command to completion; throws with its output when it fails or overruns.
    static func run(_ path: String, _ arguments: [String], outputPath: String, timeout: Double,
                    environment: [String] = []) throws {
        let child = try ChildProcess(path, arguments, outputPath: outputPath, environment: environment)
        guard let code = child.wait(seconds: timeout) else {
            child.terminate(grace: 1)
            throw FixtureError("\(path) did not finish within \(timeout) s")
        }
        guard code == 0 else {
            throw FixtureError("\(path) \(arguments.joined(separator: " ")) exited \(code): \(readTextFile(outputPath) ?? "")")
        }
    }
}


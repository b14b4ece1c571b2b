import Glibc

/// Runs a program to completion with the given standard input and captures its output: for
/// checking scalectl's output with independent tools (python3's json and csv modules,
/// promtool, groff) and for running the built binary end to end.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var output: String
    public var errors: String
}

public enum Subprocess {
    /// Looks `name` up on PATH; nil when it is not installed.
    public static func which(_ name: String) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Runs `arguments[0]` (looked up on PATH) with stdin fed from `input`; stdout and stderr go
    /// to temp files, which avoids pipe deadlocks whatever the sizes.
    public static func run(_ arguments: [String], input: String = "", environment: [String: String]? = nil) -> ProcessResult {
        start(arguments, input: input, environment: environment).wait()
    }

    /// Starts a process as `run` does but returns at once, so a test can signal it (Ctrl-C)
    /// while it runs.
    public static func start(_ arguments: [String], input: String = "", environment: [String: String]? = nil) -> RunningProcess {
        guard let program = which(arguments[0]) else {
            return RunningProcess(failure: "\(arguments[0]): not found")
        }
        guard let dir = try? TemporaryDirectory(prefix: "scalectl-run"),
              (try? dir.write("in", Array(input.utf8))) != nil else {
            return RunningProcess(failure: "cannot make a temporary directory")
        }
        let inPath = dir.path + "/in", outPath = dir.path + "/out", errPath = dir.path + "/err"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        // The test runner's threads block most signals, and a child inherits the mask: start it
        // with none blocked and default actions, as a shell would, or Ctrl-C never reaches it.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE, SIGQUIT, SIGHUP] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envStrings: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { envStrings?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned: Int32
        if envStrings != nil {
            spawned = posix_spawn(&pid, program, &actions, &attributes, argv, &envStrings!)
        } else {
            spawned = posix_spawn(&pid, program, &actions, &attributes, argv, environ)
        }
        guard spawned == 0 else {
            dir.remove()
            return RunningProcess(failure: "spawn \(program): \(String(cString: strerror(spawned)))")
        }
        return RunningProcess(pid: pid, directory: dir)
    }
}

/// A process started by `Subprocess.start`, reaped exactly once by `wait`.
public final class RunningProcess {
    private let pid: pid_t?
    private let directory: TemporaryDirectory?
    private let failure: String?
    private var result: ProcessResult?

    init(pid: pid_t, directory: TemporaryDirectory) {
        self.pid = pid
        self.directory = directory
        failure = nil
    }

    init(failure: String) {
        pid = nil
        directory = nil
        self.failure = failure
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does; nothing once the process has been reaped.
    public func interrupt() { send(SIGINT) }

    /// Sends `signal` (SIGTERM, as systemd or `timeout` stop a service); nothing once the
    /// process has been reaped.
    public func send(_ signal: Int32) {
        guard let pid, result == nil else { return }
        kill(pid, signal)
    }

    /// Waits for the process to end and returns what it printed. After `timeout` seconds it
    /// is killed (SIGKILL, status 137), so a test that goes wrong cannot hang the suite.
    public func wait(timeout: Double = 60) -> ProcessResult {
        if let result { return result }
        guard let pid, let directory else {
            return ProcessResult(status: 127, output: "", errors: failure ?? "not started")
        }
        var status: Int32 = 0
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let deadline = Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 + timeout
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid || (reaped < 0 && errno != EINTR) { break }
            clock_gettime(CLOCK_MONOTONIC, &now)
            if Double(now.tv_sec) + Double(now.tv_nsec) / 1e9 > deadline {
                kill(pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                break
            }
            usleep(2_000)
        }
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let finished = ProcessResult(status: exit, output: readTextFile(directory.path + "/out") ?? "",
                                     errors: readTextFile(directory.path + "/err") ?? "")
        directory.remove()
        result = finished
        return finished
    }

    /// A process nobody waited for is killed, so a failed test cannot leave it running.
    deinit {
        if let pid, result == nil { kill(pid, SIGKILL) }
        _ = wait()
    }
}

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
        guard let program = which(arguments[0]) else {
            return ProcessResult(status: 127, output: "", errors: "\(arguments[0]): not found")
        }
        guard let dir = try? TemporaryDirectory(prefix: "scalectl-run"),
              (try? dir.write("in", Array(input.utf8))) != nil else {
            return ProcessResult(status: 127, output: "", errors: "cannot make a temporary directory")
        }
        defer { dir.remove() }
        let inPath = dir.path + "/in", outPath = dir.path + "/out", errPath = dir.path + "/err"

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, inPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var envStrings: [UnsafeMutablePointer<CChar>?]? = environment.map { env in
            env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        }
        defer { envStrings?.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned: Int32
        if envStrings != nil {
            spawned = posix_spawn(&pid, program, &actions, nil, argv, &envStrings!)
        } else {
            spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        }
        guard spawned == 0 else {
            return ProcessResult(status: 127, output: "", errors: "spawn \(program): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return ProcessResult(status: exit, output: readTextFile(outPath) ?? "", errors: readTextFile(errPath) ?? "")
    }
}


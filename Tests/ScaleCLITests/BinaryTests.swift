import Testing
import ScaleCLI
import TestSupport
import Glibc

/// A few end-to-end runs of the built binary: what the in-process tests cannot see (the real
/// console, argv, the process exit status).
@Suite struct BinaryTests {
    static let binary: String? = {
        if let path = getenv("SCALECTL_BIN") { return String(cString: path) }
        let built = RepositoryRoot.file(".build/debug/scalectl")
        return Subprocess.which(built)
    }()

    @Test(.enabled(if: binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func versionAndUsageExitStatuses() throws {
        let bin = try #require(Self.binary, "no scalectl binary at .build/debug/scalectl")
        let version = Subprocess.run([bin, "--version"])
        #expect(version.status == 0)
        #expect(version.output == "scalectl \(ScaleCLI.version)\n")

        let unknown = Subprocess.run([bin, "frobnicate"])
        #expect(unknown.status == 64)
        #expect(unknown.output == "")
        #expect(unknown.errors.hasPrefix("scalectl: error: unknown command 'frobnicate'"))

        let typo = Subprocess.run([bin, "--formt", "json"])
        #expect(typo.status == 64)
        #expect(typo.errors.contains("did you mean '--format'?"))
    }

    /// In a pipe the output is the same bytes as in-process, with no colour, even with a TERM.
    @Test(.enabled(if: binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func pipeOutputIsUndecorated() throws {
        let bin = try #require(Self.binary, "no scalectl binary at .build/debug/scalectl")
        let help = Subprocess.run([bin, "--help"], environment: ["TERM": "xterm-256color", "PATH": "/usr/bin:/bin"])
        #expect(help.status == 0)
        #expect(help.output == run(["--help"]).out)
        #expect(!help.output.contains("\u{1B}["))
    }

    /// `scalectl … | head -n 1`: the reader goes away after one line; scalectl must stop quietly
    /// (no "Broken pipe" on stderr, no crash from SIGPIPE) with its computed status, as ripgrep does.
    @Test(.enabled(if: binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func brokenPipeEndsOutputQuietly() throws {
        let bin = try #require(Self.binary, "no scalectl binary at .build/debug/scalectl")
        let dir = try TemporaryDirectory(prefix: "scalectl-pipe")
        defer { dir.remove() }
        // 200,000 keys give megabytes of output, far beyond a pipe's 64 KiB buffer.
        try dir.write("keys", Array((0..<200_000).map { "user:\($0)\n" }.joined().utf8))
        let script = """
            set -o pipefail
            '\(bin)' ring lookup --nodes a:11211,b:11211,c:11211 --keys-file '\(dir.path)/keys' 2>'\(dir.path)/err' | head -n 1
            echo "status=${PIPESTATUS[0]}"
            """
        let result = Subprocess.run(["bash", "-c", script])
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(result.output)\(result.errors)")
        #expect(lines.first?.hasPrefix("user:0\t") == true)
        #expect(lines.last == "status=0")
        #expect(readTextFile(dir.path + "/err") == "")
    }
}

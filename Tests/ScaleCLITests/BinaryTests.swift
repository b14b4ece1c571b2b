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
}

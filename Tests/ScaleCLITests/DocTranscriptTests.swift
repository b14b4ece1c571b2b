import Glibc
import Testing
import TestSupport

/// The docs test themselves, as jq runs its manual: every transcript in a ```console block of
/// README.md and docs/*.md — a `$ command` line and the output under it — is run through bash
/// with the built `scalectl` first on PATH, in a scratch directory holding the repository's
/// demo/ files, and its stdout and stderr must be exactly what the doc shows. Blocks that need
/// a server or a file the repository does not have are ```text (one real run, shown as such).
///
/// `make generate` runs this suite with SCALECTL_REGENERATE_DOCS=1, which rewrites the outputs
/// in the docs from the binary instead of comparing: outputs are regenerated, never pasted.
@Suite struct DocTranscriptTests {
    struct Transcript: Sendable, CustomStringConvertible {
        var file: String
        /// 1-based line of the `$ ` line.
        var line: Int
        var command: String
        var expected: [String]
        var description: String { "\(file):\(line): $ \(command)" }
    }

    static let documents: [String] = {
        var files = ["README.md"]
        if let dir = opendir(RepositoryRoot.file("docs")) {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasSuffix(".md") { files.append("docs/" + name) }
            }
        }
        return files.sorted()
    }()

    /// The transcripts of one document, in order.
    static func transcripts(in file: String) -> [Transcript] {
        let lines = (readTextFile(RepositoryRoot.file(file)) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out: [Transcript] = []
        var inConsole = false
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                // Only ```console opens a block that runs; any fence closes it.
                inConsole = !inConsole && line == "```console"
                continue
            }
            guard inConsole else { continue }
            if line.hasPrefix("$ ") {
                out.append(Transcript(file: file, line: i + 1, command: String(line.dropFirst(2)), expected: []))
            } else if !out.isEmpty {
                out[out.count - 1].expected.append(line)
            }
        }
        return out
    }

    static let all: [Transcript] = documents.flatMap(transcripts(in:))

    static var regenerating: Bool { getenv("SCALECTL_REGENERATE_DOCS") != nil }

    /// Runs a transcript's command the way a reader would, from a directory holding demo/.
    static func run(_ command: String) throws -> String {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let dir = try TemporaryDirectory(prefix: "scalectl-doc")
        defer { dir.remove() }
        let binDir = String(bin[..<bin.lastIndex(of: "/")!])
        symlink(RepositoryRoot.file("demo"), dir.path + "/demo")
        let script = "cd '\(dir.path)' && export PATH='\(binDir)':/usr/bin:/bin && { \(command)\n} 2>&1"
        return Subprocess.run(["bash", "-c", script], environment: ["PATH": "/usr/bin:/bin", "LC_ALL": "C.UTF-8"]).output
    }

    @Test(.enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func everyTranscriptIsAtLeastOne() {
        // A docs change that turned every block into text would make the next test vacuous.
        #expect(Self.all.count >= 20, "\(Self.all.count) transcripts")
    }

    @Test(.enabled(if: !regenerating && (BinaryTests.binary != nil || ServerRequirement.isCI), "build the binary first (swift build)"),
          arguments: all)
    func transcriptRunsAsDocumented(_ transcript: Transcript) throws {
        var expected = transcript.expected
        while expected.last == "" { expected.removeLast() }
        var actual = try Self.run(transcript.command).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while actual.last == "" { actual.removeLast() }
        #expect(actual == expected, "\(transcript): out of date? run 'make generate' (or fix the doc)")
    }

    /// With SCALECTL_REGENERATE_DOCS=1: writes every transcript's real output into its doc.
    @Test(.enabled(if: regenerating, "set SCALECTL_REGENERATE_DOCS=1 to rewrite the docs' outputs"))
    func regenerateTranscripts() throws {
        for file in Self.documents {
            let transcripts = Self.transcripts(in: file)
            guard !transcripts.isEmpty else { continue }
            var lines = (readTextFile(RepositoryRoot.file(file)) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // From the last to the first, so earlier line numbers stay right.
            for t in transcripts.reversed() {
                var actual = try Self.run(t.command).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                while actual.last == "" { actual.removeLast() }
                var oldCount = t.expected.count
                while oldCount > 0, t.expected[oldCount - 1] == "" { oldCount -= 1 }
                lines.replaceSubrange(t.line..<(t.line + oldCount), with: actual)
            }
            try writeTextFile(RepositoryRoot.file(file), lines.joined(separator: "\n"))
        }
    }
}

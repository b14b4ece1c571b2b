import Testing
@testable import ScaleCLI
import TestSupport

/// The man page and completions are rendered from the command table and committed; like
/// swift-format's GeneratedFilesValidityTests, this fails when they drift.
@Suite struct GeneratedFilesTests {
    @Test(arguments: GeneratedFile.allCases)
    func committedFileIsUpToDate(file: GeneratedFile) {
        let committed = readTextFile(RepositoryRoot.file(file.path))
        #expect(committed == file.render(), "out of date: run `make generate` to rewrite \(file.path)")
    }

    @Test(.requires("/usr/bin/groff", package: "groff"))
    func manPageIsCleanForGroff() {
        let result = Subprocess.run(["groff", "-man", "-ww", "-z"], input: GeneratedFile.man.render())
        #expect(result.status == 0)
        #expect(result.errors == "", "groff warnings: \(result.errors)")
    }

    /// Bash completion of `scalectl <TAB>` offers the commands: the generated function is
    /// loaded into a real bash and called as readline would.
    @Test func bashCompletesCommandsAndOptionValues() {
        let script = GeneratedFile.bash.render() + """
            COMP_WORDS=(scalectl ''); COMP_CWORD=1; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl --col); COMP_CWORD=1; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl --color a); COMP_CWORD=2; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl help --h); COMP_CWORD=2; _scalectl; echo "${COMPREPLY[*]}"
            """
        let result = Subprocess.run(["bash", "-c", script])
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let commands = CommandTable.visibleCommands.map(\.name).joined(separator: " ")
        #expect(lines.count >= 4, "\(result.errors)")
        guard lines.count >= 4 else { return }
        #expect(lines[0] == commands)
        #expect(lines[1] == "--color")
        #expect(lines[2] == "auto always")
        #expect(lines[3] == "--help")
    }

    @Test(.requires("/usr/bin/zsh", package: "zsh"))
    func zshScriptParses() {
        let result = Subprocess.run(["zsh", "-n", "-c", GeneratedFile.zsh.render()])
        #expect(result.status == 0, "\(result.errors)")
    }

    @Test(.requires("/usr/bin/fish", package: "fish"))
    func fishScriptParses() {
        let result = Subprocess.run(["fish", "--no-execute", "-c", GeneratedFile.fish.render()])
        #expect(result.status == 0, "\(result.errors)")
    }
}

@Suite struct ManPageEscapeTests {
    /// groff -ww warns on raw UTF-8; help text may use dashes, ellipses and accents freely.
    @Test func nonASCIIBecomesGroffSpecialCharacters() {
        #expect(ManPage.escape("a — b … ü") == "a \\[u2014] b \\[u2026] \\[u00FC]")
        #expect(ManPage.escape(".start\n'quote") == "\\&.start\n\\&'quote")
        #expect(ManPage.escape("--x \\y") == "\\-\\-x \\ey")
    }

    @Test(.requires("/usr/bin/groff", package: "groff"))
    func groffRendersTheEscapesWithoutWarnings() {
        let page = ".TH T 1\n.SH NAME\n" + ManPage.escape("déjà vu — 東京 …") + "\n"
        let result = Subprocess.run(["groff", "-man", "-ww", "-Tutf8"], input: page)
        #expect(result.errors == "")
        #expect(result.output.contains("déjà vu — 東京 …"))
    }
}

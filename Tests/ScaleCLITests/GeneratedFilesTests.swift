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

    /// `scalectl help <TAB>` offers the commands and `scalectl help cdn <TAB>` its sub-commands,
    /// never options or files, though the words walked (`cdn merge`) are a command that takes files.
    @Test func bashCompletesHelpTopics() {
        let script = GeneratedFile.bash.render() + """
            COMP_WORDS=(scalectl help ''); COMP_CWORD=2; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl help pr); COMP_CWORD=2; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl help cdn ''); COMP_CWORD=3; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl help cdn merge ''); COMP_CWORD=4; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl help cdn --col); COMP_CWORD=3; _scalectl; echo "${COMPREPLY[*]}"
            """
        let lines = bashLines(script, count: 5)
        guard lines.count >= 5 else { return }
        let cdn = CommandTable.spec(at: ["scalectl", "cdn"])?.visibleSubcommands.map(\.name) ?? []
        #expect(cdn.count > 1)
        #expect(lines[0] == CommandTable.visibleCommands.map(\.name).joined(separator: " "))
        #expect(lines[1] == "probe")
        #expect(lines[2] == cdn.joined(separator: " "))
        #expect(lines[3] == "")
        #expect(lines[4] == "--color", "options after help are the help command's own")
    }

    /// `--opt=<TAB>` completes like `--opt <TAB>`: whether readline split the word at '='
    /// (the default COMP_WORDBREAKS: --opt, =, VALUE) or not (one word, the reply keeps --opt=).
    @Test func bashCompletesValuesAfterEquals() {
        let script = GeneratedFile.bash.render() + """
            cd "$(mktemp -d)" && touch nodes.txt
            COMP_WORDS=(scalectl --format = j); COMP_CWORD=3; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl ring plan --algorithm =); COMP_CWORD=4; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl --format=nd); COMP_CWORD=1; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl ring plan --nodes-file = nod); COMP_CWORD=5; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl ring plan --nodes-file=nod); COMP_CWORD=3; _scalectl; echo "${COMPREPLY[*]}"
            COMP_WORDS=(scalectl --help = ''); COMP_CWORD=3; _scalectl; echo "${COMPREPLY[*]}"
            rm nodes.txt && rmdir "$PWD"
            """
        let lines = bashLines(script, count: 6)
        guard lines.count >= 6 else { return }
        let algorithms = RingCommand.AlgorithmOption.algorithm.allowed
        #expect(algorithms.count > 1)
        #expect(lines[0] == "json")
        #expect(lines[1] == algorithms.joined(separator: " "))
        #expect(lines[2] == "--format=ndjson")
        #expect(lines[3] == "nodes.txt")
        #expect(lines[4] == "--nodes-file=nodes.txt")
        #expect(lines[5] == "", "a flag takes no value")
    }

    /// fish offers the commands after `help`, and a command's sub-commands after `help COMMAND`
    /// (its own completions apply, as fish has seen the command's name).
    @Test(.requires("/usr/bin/fish", package: "fish"))
    func fishCompletesHelpTopics() {
        let script = GeneratedFile.fish.render() + """
            complete -C 'scalectl help '; echo ---; complete -C 'scalectl help cdn '
            """
        let result = Subprocess.run(["fish", "--no-config", "-c", script])
        let parts = result.output.split(separator: "\n").split(separator: "---")
        #expect(parts.count == 2, "\(result.errors)")
        guard parts.count == 2 else { return }
        func names(_ lines: ArraySlice<Substring>) -> Set<String> {
            Set(lines.map { String($0.prefix { $0 != "\t" }) })
        }
        let cdn = CommandTable.spec(at: ["scalectl", "cdn"])?.visibleSubcommands.map(\.name) ?? []
        #expect(names(parts[0]) == Set(CommandTable.visibleCommands.map(\.name)))
        #expect(names(parts[1]) == Set(cdn))
    }

    /// Runs the script in bash and returns its output lines, expecting at least `count`.
    private func bashLines(_ script: String, count: Int) -> [String] {
        let result = Subprocess.run(["bash", "-c", script])
        let lines = result.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count >= count, "\(result.errors)")
        return lines
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

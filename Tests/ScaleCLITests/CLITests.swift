import Testing
import ScaleCore
import ScaleCLI
import TestSupport

/// Runs scalectl in-process with `stdin` on standard input and returns (stdout, stderr, exit status).
func run(_ arguments: [String], stdin: String = "", environment: [String: String] = [:],
         terminal: Bool = false) -> (out: String, err: String, status: ExitCode) {
    let console = CapturingConsole(isTerminal: terminal, width: terminal ? 100 : nil, environment: environment,
                                   standardInput: Array(stdin.utf8))
    let status = ScaleCLI.run(arguments: arguments, console: console)
    return (console.output, console.errors, status)
}

@Suite struct CLITests {
    @Test func version() {
        let result = run(["--version"])
        #expect(result == ("scalectl \(ScaleCLI.version)\n", "", .ok))
    }

    @Test func unknownCommandExits64WithAHint() {
        let result = run(["frobnicate"])
        #expect(result.out == "")
        #expect(result.err == "scalectl: error: unknown command 'frobnicate'; run 'scalectl --help' to see the commands\n")
        #expect(result.status == .usage)
    }

    @Test func mistypedFormatOptionSuggestsTheRightOne() {
        let result = run(["--formt", "json"])
        #expect(result.err == "scalectl: error: --formt: unknown option; did you mean '--format'? run 'scalectl --help' to see the options\n")
        #expect(result.status == .usage)
    }

    @Test func helpListsEveryVisibleCommandAndTheExitCodes() {
        let result = run(["--help"])
        #expect(result.status == .ok)
        for command in CommandTable.visibleCommands {
            #expect(result.out.contains("\n  \(command.name) "), "help lists \(command.name)")
        }
        #expect(!result.out.contains("generate"), "hidden commands stay hidden")
        for entry in ExitCode.documented {
            #expect(result.out.contains("  \(entry.code.rawValue) "))
        }
    }

    @Test func helpCommandAndHelpFlagAgree() {
        for spec in CommandTable.root.walk().dropFirst() {
            let words = Array(spec.path.dropFirst())
            let viaFlag = run(words + ["--help"])
            let viaHelp = run(["help"] + words)
            #expect(viaFlag.status == .ok)
            #expect(viaFlag.out == viaHelp.out, "help for \(words)")
        }
    }

    @Test func helpForAnUnknownCommandSuggests() {
        let result = run(["help", "hlp"])
        #expect(result.err == "scalectl: error: no command 'hlp'; did you mean 'help'? run 'scalectl --help' to see the commands\n")
        #expect(result.status == .usage)
    }

    @Test func colourFollowsTerminalFlagAndNoColor() {
        #expect(!run(["--help"]).out.contains("\u{1B}["))
        #expect(run(["--help"], terminal: true).out.contains("\u{1B}[1m"))
        #expect(!run(["--help"], environment: ["NO_COLOR": "1"], terminal: true).out.contains("\u{1B}["))
        #expect(run(["--help", "--color", "always"], environment: ["NO_COLOR": "1"]).out.contains("\u{1B}["))
        #expect(!run(["--help", "--color=never"], terminal: true).out.contains("\u{1B}["))
    }

    @Test func generateRefusesUnknownTargets() {
        let result = run(["generate", "pdf"])
        #expect(result.err == "scalectl: error: cannot generate 'pdf'; use one of: man, bash, zsh, fish\n")
        #expect(result.status == .usage)
    }
}

/// Like jq's manual: every example in the command table runs, with the exit status and (where
/// the table gives it) the exact output it documents.
@Suite struct ExampleTests {
    static let examples: [(path: String, example: Example)] = CommandTable.root.walk().flatMap { entry in
        entry.spec.examples.map { (entry.path.joined(separator: " "), $0) }
    }

    @Test(arguments: examples.indices)
    func exampleRunsAsDocumented(index: Int) {
        let (path, example) = Self.examples[index]
        let result = run(example.arguments)
        #expect(result.status == example.exit, "\(path): \(example.commandLine)\n\(result.err)")
        if let output = example.output {
            #expect(result.out == output, "\(path): \(example.commandLine)")
            // A documented successful example shows all it prints: nothing may hide on stderr but
            // the notes a csv, prometheus or sarif document has no place for.
            let formats = zip(example.arguments, example.arguments.dropFirst()).filter { $0.0 == "-o" }.map(\.1)
            let noteless = formats.contains { ["csv", "prometheus", "sarif"].contains($0) }
            let hidden = result.err.split(separator: "\n").filter { !(noteless && $0.hasPrefix("scalectl: note: ")) }
            #expect(example.exit != .ok || hidden.isEmpty, "\(path): \(example.commandLine) wrote to stderr")
        }
    }
}

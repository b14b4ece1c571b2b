import Testing
import ScaleCore
@testable import ScaleCLI

/// The test table's probe options, read by the tests as commands read theirs.
enum TestOption {
    static let timeout = OptionSpec("timeout", short: "t", value: "DURATION", default: "5s", help: "timeout")
    static let header = OptionSpec("header", short: "H", value: "HEADER", repeatable: true, help: "header")
    static let insecure = OptionSpec("insecure", short: "k", help: "no TLS verification")
    static let verbose = OptionSpec("verbose", short: "v", help: "more")
    static let follow = OptionSpec("follow", negatable: true, help: "follow redirects")
}

/// A table made for the parser tests, so they do not change when real commands do.
let testRoot = CommandSpec(
    "scalectl", summary: "test",
    subcommands: [
        CommandSpec("probe", summary: "probe",
                    arguments: [ArgumentSpec("URL", help: "a URL", repeatable: true)],
                    options: [TestOption.timeout, TestOption.header, TestOption.insecure, TestOption.verbose, TestOption.follow],
                    formats: [.table, .json],
                    handler: { _, _ throws(ScaleError) in .ok }),
        CommandSpec("ring", summary: "ring", subcommands: [
            CommandSpec("owner", summary: "owner", arguments: [ArgumentSpec("KEY", help: "key")],
                        handler: { _, _ throws(ScaleError) in .ok }),
        ]),
    ],
    formats: OutputFormat.allCases
)

@Suite struct ArgumentParserTests {
    let parser = ArgumentParser(root: testRoot)

    @Test func longShortInlineAndBundled() throws {
        let inv = try parser.parse(["probe", "--timeout", "2s", "-H", "A: 1", "--header=B: 2", "-kv", "-ojson", "http://x/"])
        #expect(inv.path == ["scalectl", "probe"])
        #expect(inv.value(TestOption.timeout) == "2s")
        #expect(inv.all(TestOption.header) == ["A: 1", "B: 2"])
        #expect(inv.flag(TestOption.insecure) && inv.flag(TestOption.verbose))
        #expect(inv.format == .json)
        #expect(inv.positionals == ["http://x/"])
        #expect(try inv.duration(TestOption.timeout) == 2)
    }

    @Test func defaultsApplyAndOptionsMayFollowArguments() throws {
        let inv = try parser.parse(["probe", "http://a/", "-t1m", "http://b/"])
        #expect(inv.positionals == ["http://a/", "http://b/"])
        #expect(try inv.duration(TestOption.timeout) == 60)
        #expect(try parser.parse(["probe", "u"]).value(TestOption.timeout) == "5s")
        #expect(try parser.parse(["probe", "u"]).format == .table)
    }

    @Test func doubleDashEndsOptionsAndNegationTurnsOff() throws {
        let inv = try parser.parse(["probe", "--follow", "--no-follow", "--", "-k"])
        #expect(inv.has(TestOption.follow) && !inv.flag(TestOption.follow))
        #expect(inv.positionals == ["-k"])
    }

    @Test func nestedSubcommands() throws {
        let inv = try parser.parse(["ring", "owner", "user:42"])
        #expect(inv.path == ["scalectl", "ring", "owner"])
        #expect(inv.positionals == ["user:42"])
    }

    @Test(arguments: [
        (["frobnicate"], "unknown command 'frobnicate'; run 'scalectl --help' to see the commands"),
        (["prbe"], "unknown command 'prbe'; did you mean 'probe'? run 'scalectl --help' to see the commands"),
        (["probe", "--timout", "1s", "u"], "--timout: unknown option; did you mean '--timeout'? run 'scalectl probe --help' to see the options"),
        (["probe", "-o", "xml", "u"], "--format: 'xml' is not a valid FORMAT; use one of: table, json"),
        (["probe", "-o", "jsno", "u"], "--format: 'jsno' is not a valid FORMAT; did you mean 'json'? use one of: table, json"),
        (["probe", "u", "--timeout"], "--timeout: needs a value; write --timeout DURATION"),
        (["probe", "--insecure=yes", "u"], "--insecure=yes: --insecure does not take a value; write --insecure on its own"),
        (["probe"], "missing URL (a URL); run 'scalectl probe --help' for usage"),
        (["ring", "owner", "a", "b"], "unexpected argument 'b'; run 'scalectl ring owner --help' for usage"),
        (["--format", "prometheus", "probe", "u"], "--format: 'scalectl probe' does not support 'prometheus'; use one of: table, json"),
        (["--no-insecure", "probe", "u"], "--no-insecure: unknown option; run 'scalectl --help' to see the options"),
    ])
    func usageErrorsSayWhatWhereAndHowToFix(arguments: [String], message: String) {
        #expect {
            try parser.parse(arguments)
        } throws: { error in
            guard let error = error as? ScaleError else { return false }
            #expect(error.description == message)
            return error.kind == .usage
        }
    }

    @Test func typedAccessorsNameTheFlag() throws {
        let inv = try parser.parse(["probe", "--timeout", "5", "u"])
        #expect {
            try inv.duration(TestOption.timeout)
        } throws: { error in
            (error as? ScaleError)?.description.hasPrefix("--timeout: '5' has no unit") ?? false
        }
    }

    #if DEBUG
    /// Reading an option the command does not declare is a bug in the command, not an option
    /// left out: a debug build stops there instead of reading it as never given.
    @Test func readingAnUndeclaredOptionStops() async throws {
        // The parse succeeds here, so in the child process only the read can stop it.
        _ = try parser.parse(["ring", "owner", "k"])
        await #expect(processExitsWith: .failure) {
            let inv = try ArgumentParser(root: testRoot).parse(["ring", "owner", "k"])
            _ = inv.value(TestOption.timeout)
        }
    }
    #endif

    @Test func helpSkipsArgumentChecks() throws {
        let inv = try parser.parse(["probe", "--help"])
        #expect(inv.flag(CommandSpec.SharedOption.help))
    }

    /// -h asks for the one-screen summary, --help for everything; with both, --help wins
    /// whichever comes last, as more help never hides anything asked for.
    @Test(arguments: [
        (["probe", "-h"], true), (["probe", "--help"], false), (["probe", "-h", "--help"], false),
        (["probe", "--help", "-h"], false), (["probe", "-kh"], true), (["probe", "u"], false),
    ])
    func shortHelpIsOnlyForHAlone(words: [String], brief: Bool) throws {
        let inv = try parser.parse(words)
        #expect(inv.briefHelp == brief)
    }

    @Test(arguments: [("format", "formt", 1), ("probe", "prbe", 1), ("kitten", "sitting", 3), ("", "abc", 3)])
    func editDistance(a: String, b: String, distance: Int) {
        #expect(EditDistance.distance(a, b) == distance)
    }
}

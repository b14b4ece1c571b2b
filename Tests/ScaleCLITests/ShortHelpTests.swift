import Testing
import ScaleCore
@testable import ScaleCLI

/// `-h` is the one-screen summary, `--help` and `scalectl help COMMAND` the full help, as in
/// ripgrep. Checked for the root and every command and sub-command of the real table.
@Suite struct ShortHelpTests {
    static let paths = CommandTable.root.walk().filter { !$0.spec.hidden }.map(\.path)

    @Test(arguments: paths)
    func shortHelpListsEveryOptionWithoutDiscussionOrExamples(path: [String]) throws {
        let spec = try #require(CommandTable.spec(at: path))
        let words = Array(path.dropFirst())
        let short = run(words + ["-h"])
        let long = run(words + ["--help"])
        #expect(short.status == .ok)
        #expect(short.err == "")
        #expect(short.out.hasPrefix("\(path.joined(separator: " ")) — \(spec.summary)\n\nUsage: "))
        #expect(!short.out.contains("Examples:"))
        #expect(!short.out.contains("Exit status:"))
        for option in spec.allOptions where !option.hidden {
            #expect(short.out.contains("  \(option.synopsis)"), "-h lists \(option.synopsis)")
        }
        if let paragraph = spec.discussion.split(separator: "\n\n").first {
            let firstWords = paragraph.split(separator: " ").prefix(4).joined(separator: " ")
            #expect(!short.out.contains(firstWords), "-h leaves the discussion out")
        }
        #expect(short.out.hasSuffix("Run '\(path.joined(separator: " ")) --help' for the full help with examples.\n"))
        #expect(short.out.count < long.out.count, "-h is shorter than --help")
    }

    /// The full help is unchanged by the short one: `help COMMAND` and `-h --help` stay long.
    @Test func helpCommandAndBothFlagsGiveTheFullHelp() {
        let long = run(["cdn", "--help"]).out
        #expect(run(["help", "cdn"]).out == long)
        #expect(run(["cdn", "-h", "--help"]).out == long)
        #expect(run(["cdn", "--help", "-h"]).out == long)
        #expect(long != run(["cdn", "-h"]).out)
        #expect(long.contains("Run 'scalectl cdn --help'") == false)
    }

    /// A brief in the table replaces a long option help in -h only.
    @Test func briefReplacesTheLongOptionHelp() {
        let short = run(["ring", "plan", "-h"]).out
        let long = run(["ring", "plan", "--help"]).out
        // --vnodes: its brief in -h, its whole help in --help.
        #expect(short.contains("ring points per server"))
        #expect(!short.contains("points per server at mean weight"))
        #expect(long.contains("points per server at mean weight"))
    }
}

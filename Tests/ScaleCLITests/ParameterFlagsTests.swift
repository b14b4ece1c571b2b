import Foundation
import Testing
import TestSupport
import ScaleCore
@testable import ScaleCLI

/// Libraries name the inputs their errors are about (`Parameter("slo")`); the CLI shows each as
/// the option of the same name. A parameter no option sets would read as a bare word.
@Suite struct ParameterFlagsTests {
    @Test("every parameter a library declares is the long name of an option")
    func everyParameterIsAnOption() throws {
        let sources = RepositoryRoot.file("Sources")
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter { $0.hasSuffix("Parameters.swift") } ?? []
        #expect(files.count >= 8)
        var names: [String] = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: #"Parameter\("([a-z-]+)"\)"#)
            for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                names.append(String(text[Range(match.range(at: 1), in: text)!]))
            }
        }
        #expect(names.count >= 30)
        for name in names {
            #expect(ParameterFlags.optionNames.contains(name), "Parameter(\"\(name)\") is no option's name")
        }
    }

    @Test("a library error reaches the user with its parameters as flags")
    func throughTheCLI() {
        let result = run(["availability", "budget", "--downtime", "8d", "--window", "week"])
        #expect(result.status == .usage)
        #expect(result.err == "scalectl: error: --downtime: 8d of downtime is more than the week window (7d); give a longer --window or a shorter --downtime\n")
    }
}

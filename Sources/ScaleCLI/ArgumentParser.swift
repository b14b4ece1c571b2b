public import ScaleCore

/// Parses argv against the command table: `--opt value`, `--opt=value`, `-o json`, `-ojson`,
/// bundled short flags (`-hq`), `--` to end options, `--no-x` for negatable flags. Options may
/// come before or after positional arguments, as in most GNU tools.
public struct ArgumentParser {
    public var root: CommandSpec
    public init(root: CommandSpec) { self.root = root }

    public func parse(_ arguments: [String]) throws(ScaleError) -> Invocation {
        var spec = root
        var path = [root.name]
        var values: [String: [String]] = [:]
        var flags: [String: Bool] = [:]
        var positionals: [String] = []
        var index = 0
        var optionsEnded = false
        // -h asks for the summary, --help for everything; when both are given, --help wins:
        // more help is never the wrong answer.
        var shortHelp = false, longHelp = false

        while index < arguments.count {
            let word = arguments[index]
            index += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") {
                // Words before the first positional select sub-commands.
                if !optionsEnded, positionals.isEmpty, !spec.subcommands.isEmpty {
                    guard let sub = spec.subcommands.first(where: { $0.name == word }) else {
                        // A command that runs itself and takes arguments (`backlog SOURCE…`)
                        // reads a word that names no sub-command as its first argument.
                        if spec.handler != nil, !spec.arguments.isEmpty {
                            positionals.append(word)
                            continue
                        }
                        throw unknownCommand(word, in: spec, path: path)
                    }
                    spec = sub
                    path.append(sub.name)
                    continue
                }
                positionals.append(word)
                continue
            }
            if word == "--" { optionsEnded = true; continue }

            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name: String, inline: String?
                if let eq = body.firstIndex(of: "=") {
                    name = String(body[..<eq]); inline = String(body[body.index(after: eq)...])
                } else {
                    name = String(body); inline = nil
                }
                if let option = spec.allOptions.first(where: { $0.long == name }) {
                    if option.takesValue {
                        let value: String
                        if let inline { value = inline } else {
                            guard index < arguments.count else { throw missingValue(option) }
                            value = arguments[index]; index += 1
                        }
                        try record(value, for: option, into: &values)
                    } else {
                        guard inline == nil else {
                            throw .usage("--\(name) does not take a value", at: "--\(name)=\(inline ?? "")",
                                         fix: "write --\(name) on its own")
                        }
                        flags[name] = true
                        if name == CommandSpec.SharedOption.help.long { longHelp = true }
                    }
                } else if name.hasPrefix("no-"),
                          let option = spec.allOptions.first(where: { $0.long == String(name.dropFirst(3)) && $0.negatable }) {
                    guard inline == nil else { throw .usage("--\(name) does not take a value", at: word) }
                    flags[option.long] = false
                } else {
                    throw unknownOption("--\(name)", in: spec, path: path)
                }
                continue
            }

            // Short options: -o json, -ojson, -hq (bundled flags).
            var rest = Substring(word.dropFirst())
            while let letter = rest.first {
                rest = rest.dropFirst()
                guard let option = spec.allOptions.first(where: { $0.short == letter }) else {
                    throw unknownOption("-\(letter)", in: spec, path: path)
                }
                if option.takesValue {
                    let value: String
                    if !rest.isEmpty { value = String(rest); rest = "" } else {
                        guard index < arguments.count else { throw missingValue(option) }
                        value = arguments[index]; index += 1
                    }
                    try record(value, for: option, into: &values)
                } else {
                    flags[option.long] = true
                    if option.long == CommandSpec.SharedOption.help.long { shortHelp = true }
                }
            }
        }

        var invocation = Invocation(path: path, spec: spec, values: values, flags: flags, positionals: positionals)
        invocation.briefHelp = shortHelp && !longHelp
        if invocation.flag(CommandSpec.SharedOption.help) { return invocation }
        try checkCarriedOptions(values: values, flags: flags, spec: spec, path: path)
        try checkPositionals(invocation)
        return invocation
    }

    private func record(_ value: String, for option: OptionSpec, into values: inout [String: [String]]) throws(ScaleError) {
        if !option.allowed.isEmpty, !option.allowed.contains(value) {
            var fix = "use one of: " + option.allowed.joined(separator: ", ")
            if let near = EditDistance.suggestion(for: value, among: option.allowed) {
                fix = "did you mean '\(near)'? " + fix
            }
            throw .usage("'\(value)' is not a valid \(option.valueName ?? "value")", at: "--\(option.long)", fix: fix)
        }
        if option.repeatable {
            values[option.long, default: []].append(value)
        } else if let earlier = values[option.long]?.first, earlier != value {
            // Which one was meant? Keeping the last would silently drop a check (two
            // --expect-json, the first failing, gave UP): refuse instead.
            throw .usage("is given twice ('\(earlier)' and '\(value)'); it takes one value", at: "--\(option.long)",
                         fix: "keep the one you mean")
        } else {
            values[option.long] = [value]
        }
    }

    private func missingValue(_ option: OptionSpec) -> ScaleError {
        var fix = "write --\(option.long) \(option.valueName ?? "VALUE")"
        if !option.allowed.isEmpty { fix += " with one of: " + option.allowed.joined(separator: ", ") }
        return .usage("needs a value", at: "--\(option.long)", fix: fix)
    }

    private func unknownOption(_ word: String, in spec: CommandSpec, path: [String]) -> ScaleError {
        let candidates = spec.allOptions.filter { !$0.hidden }.map { "--" + $0.long }
        var fix = "run '\(path.joined(separator: " ")) --help' to see the options"
        if let near = EditDistance.suggestion(for: word, among: candidates) {
            fix = "did you mean '\(near)'? " + fix
        }
        return .usage("unknown option", at: word, fix: fix)
    }

    private func unknownCommand(_ word: String, in spec: CommandSpec, path: [String]) -> ScaleError {
        let candidates = spec.visibleSubcommands.map(\.name)
        var fix = "run '\(path.joined(separator: " ")) --help' to see the commands"
        if let near = EditDistance.suggestion(for: word, among: candidates) {
            fix = "did you mean '\(near)'? " + fix
        }
        return .usage("unknown command '\(word)'", fix: fix)
    }

    /// Options given before a sub-command were parsed against its parent; the command that runs
    /// must accept them too, with the same values (`scalectl -o csv help` is refused).
    private func checkCarriedOptions(values: [String: [String]], flags: [String: Bool], spec: CommandSpec,
                                     path: [String]) throws(ScaleError) {
        let name = path.joined(separator: " ")
        for long in Array(values.keys) + Array(flags.keys) {
            guard let option = spec.allOptions.first(where: { $0.long == long }) else {
                throw .usage("'\(name)' does not take --\(long)", at: "--\(long)",
                             fix: "run '\(name) --help' to see its options")
            }
            for value in values[long] ?? [] where !option.allowed.isEmpty && !option.allowed.contains(value) {
                throw .usage("'\(name)' does not support '\(value)'", at: "--\(long)",
                             fix: "use one of: " + option.allowed.joined(separator: ", "))
            }
        }
    }

    private func checkPositionals(_ invocation: Invocation) throws(ScaleError) {
        let spec = invocation.spec
        let given = invocation.positionals
        let required = spec.arguments.filter { !$0.optional }
        let usage = "run '\(invocation.path.joined(separator: " ")) --help' for usage"
        if given.count < required.count {
            let missing = required[given.count]
            throw .usage("missing \(missing.name) (\(missing.help))", fix: usage)
        }
        let unbounded = spec.arguments.last?.repeatable ?? false
        if !unbounded, given.count > spec.arguments.count {
            let extra = given[spec.arguments.count]
            throw .usage("unexpected argument '\(extra)'", fix: usage)
        }
    }
}

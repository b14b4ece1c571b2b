import ScaleCore

/// `--help` text, rendered from the command table.
enum HelpText {
    static func command(_ spec: CommandSpec, path: [String], color: Bool) -> String {
        let style = TextStyle(enabled: color)
        var out = header(spec, path: path, style: style)
        if !spec.discussion.isEmpty {
            // A blank line in the discussion separates paragraphs; each is wrapped on its own,
            // except a preformatted one (every line indented by two spaces: a table), kept as is.
            let paragraphs = spec.discussion.split(separator: "\n\n").map { paragraph in
                isPreformatted(paragraph) ? String(paragraph) : wrap(String(paragraph), width: 80, indent: "")
            }
            out += "\n" + paragraphs.joined(separator: "\n\n") + "\n"
        }
        out += listings(spec, style: style, argumentHelp: \.help, optionHelp: optionHelp)
        if !spec.examples.isEmpty {
            out += "\n" + style.bold("Examples:") + "\n"
            for example in spec.examples {
                out += "  # \(example.description)\n  $ \(example.commandLine)\n"
            }
        }
        if path.count == 1 {
            out += "\n" + style.bold("Exit status:") + "\n"
            out += twoColumns(ExitCode.documented.map { ("\($0.code.rawValue)", "\($0.name): \($0.meaning)") })
            out += "\nRun 'scalectl help <command>' for a command's options and examples.\n"
        }
        return out
    }

    /// A paragraph whose every line starts with two spaces is printed verbatim.
    static func isPreformatted(_ paragraph: Substring) -> Bool {
        paragraph.split(separator: "\n", omittingEmptySubsequences: false).allSatisfy { $0.hasPrefix("  ") }
    }

    /// The name and summary, then the usage line: how both help texts begin.
    static func header(_ spec: CommandSpec, path: [String], style: TextStyle) -> String {
        "\(path.joined(separator: " ")) — \(spec.summary)\n\n" + style.bold("Usage:") + " " + usage(spec, path: path) + "\n"
    }

    /// The Commands, Arguments and Options sections, each entry with the help `-h` or `--help`
    /// gives it.
    static func listings(_ spec: CommandSpec, style: TextStyle, argumentHelp: (ArgumentSpec) -> String,
                         optionHelp: (OptionSpec) -> String) -> String {
        var out = ""
        let commands = spec.visibleSubcommands
        if !commands.isEmpty {
            out += "\n" + style.bold("Commands:") + "\n"
            out += twoColumns(commands.map { ($0.name, $0.summary) })
        }
        if !spec.arguments.isEmpty {
            out += "\n" + style.bold("Arguments:") + "\n"
            out += twoColumns(spec.arguments.map { ($0.synopsis, argumentHelp($0)) })
        }
        let options = spec.allOptions.filter { !$0.hidden }
        out += "\n" + style.bold("Options:") + "\n"
        out += twoColumns(options.map { ($0.synopsis, optionHelp($0)) })
        return out
    }

    static func usage(_ spec: CommandSpec, path: [String]) -> String {
        var parts = path
        // A command that runs by itself and also has sub-commands (`backlog SOURCE…`,
        // `backlog watch …`) shows the sub-command as optional.
        if !spec.visibleSubcommands.isEmpty { parts.append(spec.handler == nil ? "<command>" : "[<command>]") }
        parts.append("[options]")
        parts += spec.arguments.map(\.synopsis)
        return parts.joined(separator: " ")
    }

    static func optionHelp(_ option: OptionSpec) -> String {
        var text = option.help
        if option.repeatable { text += " (repeatable)" }
        if let value = option.defaultValue, !option.help.contains("default") { text += " (default: \(value))" }
        return text
    }

    /// Left column padded to the widest entry (capped), help wrapped to 80 columns.
    static func twoColumns(_ rows: [(String, String)]) -> String {
        let width = min(28, rows.map { DisplayWidth.of($0.0) }.max() ?? 0)
        var out = ""
        for (left, right) in rows {
            let indent = String(repeating: " ", count: width + 4)
            if DisplayWidth.of(left) > width {
                out += "  \(left)\n" + wrap(right, width: 80, indent: indent) + "\n"
            } else {
                let pad = String(repeating: " ", count: width - DisplayWidth.of(left) + 2)
                let wrapped = wrap(right, width: 80, indent: indent)
                out += "  \(left)\(pad)" + wrapped.dropFirst(indent.count) + "\n"
            }
        }
        return out
    }

    /// Greedy word wrap; every line starts with `indent`.
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.count > indent.count, line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            line += (line.count > indent.count ? " " : "") + word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

import ScaleCore

/// `-h` text: one screen, as ripgrep's `-h`. The usage, the summary, the sub-commands, the
/// arguments and each option with its short help; the discussion, the examples and the exit
/// codes are left to `--help` and `scalectl help COMMAND`, which the last line points to.
extension HelpText {
    static func brief(_ spec: CommandSpec, path: [String], color: Bool) -> String {
        let style = TextStyle(enabled: color)
        var out = header(spec, path: path, style: style)
        out += listings(spec, style: style, argumentHelp: \.shortHelp, optionHelp: \.shortHelp)
        out += "\nRun '\(path.joined(separator: " ")) --help' for the full help with examples.\n"
        return out
    }
}

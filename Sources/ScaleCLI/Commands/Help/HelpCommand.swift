import ScaleCore

/// `scalectl help [COMMAND...]`: the same text as `scalectl COMMAND --help`.
enum HelpCommand {
    static let spec = CommandSpec(
        "help",
        summary: "show help for scalectl or one of its commands",
        arguments: [ArgumentSpec("COMMAND", help: "the command (and sub-command) to explain", optional: true, repeatable: true,
                                 completion: .command)],
        examples: [Example("Show the options and examples of the help command itself", ["help", "help"])],
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let path = ["scalectl"] + invocation.positionals
        guard let target = CommandTable.spec(at: path) else {
            let names = CommandTable.visibleCommands.map(\.name)
            let word = invocation.positionals.last ?? ""
            var fix = "run 'scalectl --help' to see the commands"
            if let near = EditDistance.suggestion(for: word, among: names) { fix = "did you mean '\(near)'? " + fix }
            throw .usage("no command '\(invocation.positionals.joined(separator: " "))'", fix: fix)
        }
        context.console.write(HelpText.command(target, path: path, color: context.renderOptions.color))
        return .ok
    }
}

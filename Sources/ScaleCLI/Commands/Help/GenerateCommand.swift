import ScaleCore

/// `scalectl generate man|bash|zsh|fish` (hidden): prints a file rendered from the command
/// table. `make generate` writes them to man/ and completions/; a test fails when they drift.
enum GenerateCommand {
    static let spec = CommandSpec(
        "generate",
        summary: "print the man page or a shell completion script",
        arguments: [ArgumentSpec("WHAT", help: "one of: man, bash, zsh, fish")],
        hidden: true,
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let what = invocation.positionals[0]
        guard let text = GeneratedFile.render(what) else {
            throw .usage("cannot generate '\(what)'", fix: "use one of: " + GeneratedFile.allCases.map(\.rawValue).joined(separator: ", "))
        }
        context.console.write(text)
        return .ok
    }
}

/// The files rendered from the command table, with the path each is committed at.
public enum GeneratedFile: String, CaseIterable, Sendable {
    case man, bash, zsh, fish

    public var path: String {
        switch self {
        case .man: return "man/scalectl.1"
        case .bash: return "completions/scalectl.bash"
        case .zsh: return "completions/_scalectl"
        case .fish: return "completions/scalectl.fish"
        }
    }

    public func render() -> String {
        switch self {
        case .man: return ManPage.render(CommandTable.root)
        case .bash: return BashCompletion.render(CommandTable.root)
        case .zsh: return ZshCompletion.render(CommandTable.root)
        case .fish: return FishCompletion.render(CommandTable.root)
        }
    }

    static func render(_ name: String) -> String? { GeneratedFile(rawValue: name)?.render() }
}

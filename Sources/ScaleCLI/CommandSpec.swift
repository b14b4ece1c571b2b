public import ScaleCore

/// How a shell completes a value.
public enum CompletionKind: String, Sendable {
    case none, file, directory, hostname, url
    /// One of the option's `allowed` values.
    case values
    /// A command's name, then its sub-commands' (the arguments of `scalectl help`).
    case command
}

/// One option: `--long`, `-s`, with or without a value. Everything a user can type is described
/// here once; help, the man page and the completions are rendered from it. A command declares
/// its options as constants in an enum beside its spec (`BurnOption.slo`): the spec lists them
/// and the handler reads them through the same constants, so a misspelt option does not compile.
public struct OptionSpec: Sendable {
    public var long: String
    public var short: Character?
    /// The value's placeholder (`DURATION`); nil for a flag.
    public var valueName: String?
    public var allowed: [String]
    public var repeatable: Bool
    public var defaultValue: String?
    /// A flag that also accepts `--no-<long>` to turn it off.
    public var negatable: Bool
    public var completion: CompletionKind
    public var help: String
    /// What `-h` shows instead of `help` when that is too long for a one-screen summary.
    public var brief: String?
    public var hidden: Bool

    public init(_ long: String, short: Character? = nil, value valueName: String? = nil,
                allowed: [String] = [], repeatable: Bool = false, default defaultValue: String? = nil,
                negatable: Bool = false, completion: CompletionKind? = nil, help: String, brief: String? = nil,
                hidden: Bool = false) {
        self.long = long
        self.short = short
        self.valueName = valueName
        self.allowed = allowed
        self.repeatable = repeatable
        self.defaultValue = defaultValue
        self.negatable = negatable
        self.completion = completion ?? (allowed.isEmpty ? .none : .values)
        self.help = help
        self.brief = brief
        self.hidden = hidden
    }

    /// The help `-h` shows: the brief when there is one.
    public var shortHelp: String { brief ?? help }

    public var takesValue: Bool { valueName != nil }

    /// `-o, --format FORMAT` as help and the man page show it.
    public var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += "--\(long)"
        if let valueName { text += " \(valueName)" }
        return text
    }
}

public struct ArgumentSpec: Sendable {
    public var name: String
    public var help: String
    /// What `-h` shows instead of `help` when that is too long for a one-screen summary.
    public var brief: String?
    public var optional: Bool
    public var repeatable: Bool
    public var completion: CompletionKind

    public init(_ name: String, help: String, brief: String? = nil, optional: Bool = false, repeatable: Bool = false,
                completion: CompletionKind = .none) {
        self.name = name
        self.help = help
        self.brief = brief
        self.optional = optional
        self.repeatable = repeatable
        self.completion = completion
    }

    public var synopsis: String {
        var text = name + (repeatable ? "..." : "")
        if optional { text = "[\(text)]" }
        return text
    }

    /// The help `-h` shows: the brief when there is one.
    public var shortHelp: String { brief ?? help }
}

/// A documented example. Like jq's manual, every example runs as a test: `arguments` are run
/// in-process from the repository root and must exit with `exit` and, when `output` is given,
/// print exactly that on stdout.
public struct Example: Sendable {
    public var description: String
    public var arguments: [String]
    public var output: String?
    public var exit: ExitCode

    public init(_ description: String, _ arguments: [String], output: String? = nil, exit: ExitCode = .ok) {
        self.description = description
        self.arguments = arguments
        self.output = output
        self.exit = exit
    }

    /// The command line as a user would type it, quoted for a POSIX shell where needed.
    public var commandLine: String {
        (["scalectl"] + arguments).map(ShellQuote.quote).joined(separator: " ")
    }
}

/// An output format only one command can produce, such as Kafka's reassignment JSON: offered
/// by `-o/--format` next to the shared formats, and rendered by the command itself.
public struct ExtraFormat: Sendable {
    public var name: String
    /// What it is, for help and the man page.
    public var help: String

    public init(_ name: String, help: String) {
        self.name = name
        self.help = help
    }
}

public typealias CommandHandler = @Sendable (Invocation, CommandContext) throws(ScaleError) -> ExitCode

public struct CommandSpec: Sendable {
    public var name: String
    /// One line, lower case, no period: shown in command lists.
    public var summary: String
    /// Paragraphs for `--help` and the man page.
    public var discussion: String
    public var arguments: [ArgumentSpec]
    public var options: [OptionSpec]
    public var subcommands: [CommandSpec]
    public var examples: [Example]
    /// The output formats this command renders; `-o/--format` is offered only when non-empty.
    public var formats: [OutputFormat]
    /// Formats of this command's own, offered by `-o` after the shared ones.
    public var extraFormats: [ExtraFormat]
    public var hidden: Bool
    public var handler: CommandHandler?

    public init(_ name: String, summary: String, discussion: String = "", arguments: [ArgumentSpec] = [],
                options: [OptionSpec] = [], subcommands: [CommandSpec] = [], examples: [Example] = [],
                formats: [OutputFormat] = [], extraFormats: [ExtraFormat] = [], hidden: Bool = false,
                handler: CommandHandler? = nil) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.arguments = arguments
        self.options = options
        self.subcommands = subcommands
        self.examples = examples
        self.formats = formats
        self.extraFormats = extraFormats
        self.hidden = hidden
        self.handler = handler
    }

    public var visibleSubcommands: [CommandSpec] { subcommands.filter { !$0.hidden } }

    /// Every option this command accepts: its own, then the ones every command shares.
    public var allOptions: [OptionSpec] {
        var result = options
        if let formatOption { result.append(formatOption) }
        result.append(contentsOf: CommandSpec.sharedOptions)
        return result
    }

    /// `-o/--format`, offered only when the command renders formats; its values are this command's.
    var formatOption: OptionSpec? {
        guard !formats.isEmpty else { return nil }
        let names = formats.map(\.rawValue) + extraFormats.map(\.name)
        return OptionSpec("format", short: "o", value: "FORMAT", allowed: names,
                          default: formats[0].rawValue,
                          help: "output format: " + names.joined(separator: ", "))
    }

    /// Whether this command accepts `option`. Options are known by their long name, so one a
    /// command words its own way (kafka-lag's --warning) still counts.
    func declares(_ option: OptionSpec) -> Bool { allOptions.contains { $0.long == option.long } }

    /// The options every command accepts, declared once: the spec lists them, the parser and
    /// `scalectl` itself read them by these constants.
    enum SharedOption {
        static let color = OptionSpec("color", value: "WHEN", allowed: ["auto", "always", "never"], default: "auto",
                                      help: "colour the table: auto (only on a terminal, and not when NO_COLOR is set), always or never",
                                      brief: "colour the table: auto, always or never")
        // As ripgrep: -h is the one-screen summary, --help everything (discussion, examples).
        static let help = OptionSpec("help", short: "h", help: "show help and exit: -h a summary, --help everything")
    }

    /// Options every command accepts.
    public static let sharedOptions: [OptionSpec] = [SharedOption.color, SharedOption.help]

    /// All commands below this one, depth first, with their full paths.
    public func walk(path: [String] = []) -> [(path: [String], spec: CommandSpec)] {
        let here = path + [name]
        return [(here, self)] + subcommands.flatMap { $0.walk(path: here) }
    }
}

import ScaleCore

/// The one command table. Every command, argument and option is described here (or in the
/// command's own file, which this table lists); help, the man page, the shell completions and
/// the example tests are all rendered from it.
public enum CommandTable {
    public static let root = CommandSpec(
        "scalectl",
        summary: "answers for systems that have to scale, or are failing to",
        discussion: """
        One command per question an SRE or platform engineer otherwise answers with a spreadsheet \
        or an ad-hoc script. Output is a table for people, or json, ndjson, csv or prometheus for \
        pipelines (-o). The exit status follows the monitoring-plugin convention (0 OK, 1 WARNING, \
        2 CRITICAL, 3 UNKNOWN) so checks plug into Nagios, Icinga, Sensu, Consul and CI gates.
        """,
        options: [RootOption.version],
        subcommands: [
            HelpCommand.spec,
            CacheCommand.spec,
            RingCommand.spec,
            RebalanceCommand.spec,
            AvailabilityCommand.spec,
            ProbeCommand.spec,
            BacklogCommand.spec,
            CDNCommand.spec,
            GenerateCommand.spec,
        ],
        examples: [
            Example("Print the version", ["--version"], output: "scalectl \(ScaleCLI.version)\n"),
            Example("A mistyped option exits 64 with a suggestion", ["--formt", "json"], exit: .usage),
        ],
        formats: OutputFormat.allCases
    )

    /// The root's own options, declared once: the spec lists them, `scalectl` reads them.
    enum RootOption {
        static let version = OptionSpec("version", short: "V", help: "print the version and exit")
    }

    /// Commands a user sees, in the order help lists them.
    public static var visibleCommands: [CommandSpec] { root.visibleSubcommands }

    /// The spec at a path such as `["scalectl", "help"]`.
    public static func spec(at path: [String]) -> CommandSpec? {
        root.walk().first { $0.path == path }?.spec
    }
}

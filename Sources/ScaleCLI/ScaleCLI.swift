public import ScaleCore

/// The command-line face of scalectl: argv in, exit status out. It never calls `exit`, so
/// every path is testable in-process with a capturing console.
public enum ScaleCLI {
    public static let version = "0.1.0"

    /// Runs one command line. `services` is the network and the clocks: real unless a test
    /// passes its own.
    public static func run(arguments: [String], console: any Console, services: Services = .live) -> ExitCode {
        let errorColor = console.isErrorTerminal && !noColor(console)
        let parser = ArgumentParser(root: CommandTable.root)
        let invocation: Invocation
        do throws(ScaleError) {
            invocation = try parser.parse(arguments)
        } catch {
            report(error, console: console, color: errorColor)
            return error.exitCode
        }

        let color: Bool
        switch invocation.value(CommandSpec.SharedOption.color) {
        case "always": color = true
        case "never": color = false
        default: color = console.isTerminal && !noColor(console)
        }
        // Only the root takes --version.
        if invocation.spec.declares(CommandTable.RootOption.version), invocation.flag(CommandTable.RootOption.version) {
            console.write("scalectl \(version)\n")
            return .ok
        }
        if invocation.briefHelp {
            console.write(HelpText.brief(invocation.spec, path: invocation.path, color: color))
            return .ok
        }
        if invocation.flag(CommandSpec.SharedOption.help) || invocation.spec.handler == nil {
            console.write(HelpText.command(invocation.spec, path: invocation.path, color: color))
            return .ok
        }
        let context = CommandContext(console: console,
                                     renderOptions: RenderOptions(color: color, width: console.isTerminal ? console.width : nil),
                                     errorColor: errorColor, services: services)
        do throws(ScaleError) {
            return try invocation.spec.handler!(invocation, context)
        } catch {
            report(error, console: console, color: errorColor)
            return error.exitCode
        }
    }

    /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org); `--color always` still wins.
    static func noColor(_ console: any Console) -> Bool {
        !(console.environment["NO_COLOR"] ?? "").isEmpty
    }

    static func report(_ error: ScaleError, console: any Console, color: Bool) {
        let style = TextStyle(enabled: color)
        console.writeError("\(style.red(style.bold("scalectl: error:"))) \(error.namingFlags)\n")
    }
}

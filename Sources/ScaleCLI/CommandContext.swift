public import ScaleCore

/// What a command handler gets besides its arguments: the console, and how to render.
public struct CommandContext {
    public var console: any Console
    public var renderOptions: RenderOptions
    /// Whether stderr may carry colour (diagnostics, progress).
    public var errorColor: Bool
    /// The network and the clocks.
    public var services: Services

    /// Renders `report` in the invocation's format and writes it to stdout.
    public func emit(_ report: Report, format: OutputFormat) {
        console.write(format.render(report, options: renderOptions))
    }

    /// A warning on stderr (`scalectl: warning: …`) that does not change the exit status.
    public func warn(_ text: String) {
        let label = TextStyle(enabled: errorColor).yellow("scalectl: warning:")
        console.writeError("\(label) \(text)\n")
    }
}

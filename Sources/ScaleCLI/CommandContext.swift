public import ScaleCore

/// What a command handler gets besides its arguments: the console, and how to render.
public struct CommandContext {
    public var console: any Console
    public var renderOptions: RenderOptions
    /// Whether stderr may carry colour (diagnostics, progress).
    public var errorColor: Bool
    /// The network and the clocks.
    public var services: Services

    /// Renders `report` in the invocation's format and writes it to stdout. Notes the format
    /// has no place for (csv, prometheus, sarif) go to stderr instead of vanishing, and stdout
    /// stays clean for the machine that reads it.
    public func emit(_ report: Report, format: OutputFormat) {
        console.write(format.render(report, options: renderOptions))
        guard !format.carriesNotes else { return }
        for line in report.notes { note(line) }
    }

    /// A note on stderr (`scalectl: note: …`): something the reader of the output should know.
    public func note(_ text: String) {
        console.writeError("scalectl: note: \(text)\n")
    }

    /// A warning on stderr (`scalectl: warning: …`) that does not change the exit status.
    public func warn(_ text: String) {
        let label = TextStyle(enabled: errorColor).yellow("scalectl: warning:")
        console.writeError("\(label) \(text)\n")
    }
}

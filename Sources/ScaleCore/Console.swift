/// Where a command's bytes go and what it knows about its surroundings. The real one
/// (`SystemConsole` in ScaleCLI) talks to file descriptors; tests pass one that captures,
/// which is how the whole CLI runs in-process.
public protocol Console: AnyObject {
    /// Data: the rendered report. Never diagnostics.
    func write(_ text: String)
    /// Diagnostics and progress.
    func writeError(_ text: String)
    /// Whether stdout is a terminal: decides decoration only, never the format.
    var isTerminal: Bool { get }
    /// Whether stderr is a terminal: progress is shown only then.
    var isErrorTerminal: Bool { get }
    /// Terminal width in columns when stdout is a terminal.
    var width: Int? { get }
    /// Environment variables (NO_COLOR, CI, credentials); commands never call getenv themselves.
    var environment: [String: String] { get }
    /// Reads all of standard input, refusing more than `limit` bytes.
    func readStandardInput(limit: Int) throws(ScaleError) -> [UInt8]
    /// Hands standard input to `body` block by block as it arrives, for commands that stream
    /// inputs of any size (`ring lookup` over millions of keys) in bounded memory.
    func streamStandardInput(_ body: (UnsafeRawBufferPointer) throws(ScaleError) -> Void) throws(ScaleError)
}

extension Console {
    /// Consoles that hold their input in memory hand it over in one block.
    public func streamStandardInput(_ body: (UnsafeRawBufferPointer) throws(ScaleError) -> Void) throws(ScaleError) {
        let data = try readStandardInput(limit: Int.max)
        let result = data.withUnsafeBytes { raw in Result { () throws(ScaleError) in try body(raw) } }
        try result.get()
    }
}

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
    /// Writes raw bytes to stdout (a binary partial file), in order with `write`.
    func write(bytes: [UInt8])
    /// Reads the next bytes of standard input into `buffer`; 0 at its end. The one way any
    /// command reads stdin: `readStandardInput(limit:)` and `streamStandardInput` build on it,
    /// and a streaming reader (`cdn`) calls it block by block.
    func readStandardInput(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int
    /// From now on the first SIGINT (Ctrl-C) or SIGTERM (systemd, `timeout`, Kubernetes) only
    /// sets `interruptRequested` instead of ending the process, so a command that runs until
    /// stopped (a watch) can finish cleanly and print its summary. A second one still ends the
    /// process at once.
    func deferInterrupts()
    /// True once SIGINT or SIGTERM arrived after `deferInterrupts()`.
    var interruptRequested: Bool { get }
    /// The signal that ended the wait, `SIGINT` or `SIGTERM`; nil while none came.
    var interruptSignal: String? { get }
    /// Writes out anything buffered for stdout: a command that streams (events of a watch)
    /// calls it so a reader at the other end of a pipe sees each line when it happens.
    func flush()
}

extension Console {
    public var interruptSignal: String? { interruptRequested ? "SIGINT" : nil }
}

/// Reads a stream block by block through `read` (0 at its end) and hands each block to `body`:
/// the one loop behind every streamed input, files and standard input alike.
public func forEachBlock(size: Int = 1 << 20, read: (UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int,
                         _ body: (UnsafeRawBufferPointer) throws(ScaleError) -> Void) throws(ScaleError) {
    let block = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
    defer { block.deallocate() }
    while true {
        let n = try read(block)
        if n == 0 { return }
        try body(UnsafeRawBufferPointer(rebasing: block[0..<n]))
    }
}

extension Console {
    /// Reads all of standard input, refusing more than `limit` bytes.
    public func readStandardInput(limit: Int) throws(ScaleError) -> [UInt8] {
        var data: [UInt8] = []
        try streamStandardInput { block throws(ScaleError) in
            guard data.count + block.count <= limit else {
                throw .input("standard input is larger than \(SizeUnits.human(Double(limit)))", at: "-",
                             fix: "pass a file path instead, or split the input")
            }
            data.append(contentsOf: block)
        }
        return data
    }

    /// Hands standard input to `body` block by block as it arrives, for commands that stream
    /// inputs of any size (`ring lookup` over millions of keys) in bounded memory.
    public func streamStandardInput(_ body: (UnsafeRawBufferPointer) throws(ScaleError) -> Void) throws(ScaleError) {
        try forEachBlock(read: readStandardInput(into:), body)
    }

    /// Consoles that do not buffer have nothing to flush.
    public func flush() {}
    /// Consoles that cannot be interrupted ignore the request.
    public func deferInterrupts() {}
    public var interruptRequested: Bool { false }
}

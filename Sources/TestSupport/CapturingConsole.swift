public import ScaleCore

/// A console that records what a command wrote, for in-process golden tests of the CLI.
public final class CapturingConsole: Console {
    /// What was written to stdout, as bytes (a binary partial file) and as text.
    public private(set) var outputBytes: [UInt8] = []
    public var output: String { String(decoding: outputBytes, as: UTF8.self) }
    public private(set) var errors = ""
    public var isTerminal: Bool
    public var isErrorTerminal: Bool
    public var width: Int?
    public var environment: [String: String]
    public var standardInput: [UInt8]

    public init(isTerminal: Bool = false, width: Int? = nil, environment: [String: String] = [:],
                standardInput: [UInt8] = []) {
        self.isTerminal = isTerminal
        self.isErrorTerminal = isTerminal
        self.width = width
        self.environment = environment
        self.standardInput = standardInput
    }

    /// Whether the command asked for Ctrl-C to be deferred.
    public private(set) var interruptsDeferred = false
    /// Stands in for Ctrl-C: asked each time the command checks for an interrupt.
    public var interruptWhen: (() -> Bool)?

    public func deferInterrupts() { interruptsDeferred = true }
    public var interruptRequested: Bool { interruptsDeferred && (interruptWhen?() ?? false) }
    /// The signal `interruptWhen` stands for.
    public var interruptSignalName = "SIGINT"
    public var interruptSignal: String? { interruptRequested ? interruptSignalName : nil }

    /// How often the command asked for buffered output to be written out.
    public private(set) var flushes = 0
    public func flush() { flushes += 1 }

    public func write(_ text: String) { outputBytes += text.utf8 }
    public func write(bytes: [UInt8]) { outputBytes += bytes }
    public func writeError(_ text: String) { errors += text }

    /// Standard input is handed out in blocks of at most this many bytes, so a command that
    /// streams it meets block boundaries in tests as it does on a pipe.
    public var inputBlock = 1 << 16
    private var inputOffset = 0

    public func readStandardInput(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        let n = min(buffer.count, inputBlock, standardInput.count - inputOffset)
        guard n > 0 else { return 0 }
        standardInput.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + inputOffset, byteCount: n) }
        inputOffset += n
        return n
    }
}

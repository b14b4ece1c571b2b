public import ScaleCore

/// A console that records what a command wrote, for in-process golden tests of the CLI.
public final class CapturingConsole: Console {
    public private(set) var output = ""
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

    /// How often the command asked for buffered output to be written out.
    public private(set) var flushes = 0
    public func flush() { flushes += 1 }

    public func write(_ text: String) { output += text }
    public func writeError(_ text: String) { errors += text }

    public func readStandardInput(limit: Int) throws(ScaleError) -> [UInt8] {
        guard standardInput.count <= limit else {
            throw .input("standard input is larger than \(limit) bytes", at: "-")
        }
        return standardInput
    }
}

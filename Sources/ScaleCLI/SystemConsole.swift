import Glibc
public import ScaleCore
import Synchronization

/// Signal state shared with the handler, which can reach only globals. Atomics are
/// async-signal-safe; both are touched before the handler is installed, so their lazy
/// initialisation never runs inside it.
private let interruptsDeferred = Atomic<Bool>(false)
/// The first SIGINT or SIGTERM received while deferred; 0 for none.
private let interruptSignalNumber = Atomic<Int32>(0)

/// SIGINT and SIGTERM. A command that asked to finish cleanly is told of the first one; the
/// second (or any, otherwise) ends the process here: SIGINT exits 130, as Ctrl-C always has,
/// and SIGTERM is raised again with its default action, so a supervisor sees the process
/// killed by it.
private func endOrDefer(_ signalNumber: Int32) {
    if interruptsDeferred.load(ordering: .relaxed),
       interruptSignalNumber.compareExchange(expected: 0, desired: signalNumber, ordering: .relaxed).exchanged {
        return
    }
    // Only async-signal-safe calls here: show the cursor a progress bar may have hidden.
    if isatty(2) == 1 {
        let show: [UInt8] = Array("\u{1B}[?25h\n".utf8)
        _ = show.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
    if signalNumber == SIGINT { _exit(130) }
    signal(signalNumber, SIG_DFL)
    raise(signalNumber)
}

/// The console of a real process: file descriptors 0, 1 and 2. Stdout is buffered and written
/// in large blocks. A closed pipe (`scalectl … | head`) is not an error: further output is
/// dropped quietly, as ripgrep does. Ctrl-C restores the cursor and exits 130, unless a
/// command deferred it — and SIGTERM — to finish cleanly (`deferInterrupts`).
public final class SystemConsole: Console {
    private var buffer: [UInt8] = []
    private var outputClosed = false
    public let isTerminal: Bool
    public let isErrorTerminal: Bool
    public let environment: [String: String]

    public init() {
        // Writes to a closed pipe must return EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        _ = interruptsDeferred.load(ordering: .relaxed)
        _ = interruptSignalNumber.load(ordering: .relaxed)
        signal(SIGINT) { endOrDefer($0) }
        isTerminal = isatty(1) == 1
        isErrorTerminal = isatty(2) == 1
        var env: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                env[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        environment = env
    }

    /// SIGTERM keeps its default action (end at once) until a command defers it: only a
    /// command with a report to finish catches it.
    public func deferInterrupts() {
        interruptsDeferred.store(true, ordering: .relaxed)
        signal(SIGTERM) { endOrDefer($0) }
    }

    public var interruptRequested: Bool { interruptSignalNumber.load(ordering: .relaxed) != 0 }

    public var interruptSignal: String? {
        switch interruptSignalNumber.load(ordering: .relaxed) {
        case 0: return nil
        case SIGTERM: return "SIGTERM"
        default: return "SIGINT"
        }
    }

    public var width: Int? {
        var size = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else {
            return Int(environment["COLUMNS"] ?? "")
        }
        return Int(size.ws_col)
    }

    public func write(_ text: String) {
        guard !outputClosed else { return }
        buffer.append(contentsOf: text.utf8)
        // On a terminal show lines as they come; into a pipe, write in large blocks.
        if isTerminal || buffer.count >= 1 << 16 { flush() }
    }

    public func writeError(_ text: String) {
        flush()
        writeAll(2, Array(text.utf8))
    }

    public func write(bytes: [UInt8]) {
        guard !outputClosed else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty, !outputClosed else { return }
        if !writeAll(1, buffer) { outputClosed = true }
        buffer.removeAll(keepingCapacity: true)
    }

    public func readStandardInput(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        guard let n = readRetryingSignals(0, into: buffer) else {
            throw .input("cannot read standard input: \(String(cString: strerror(errno)))", at: "-")
        }
        return n
    }
}

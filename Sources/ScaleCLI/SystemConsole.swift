import Glibc
public import ScaleCore
import Synchronization

/// Ctrl-C state shared with the signal handler, which can reach only globals. Atomics are
/// async-signal-safe; both are touched before the handler is installed, so their lazy
/// initialisation never runs inside it.
private let interruptsDeferred = Atomic<Bool>(false)
private let interruptReceived = Atomic<Bool>(false)

/// The console of a real process: file descriptors 0, 1 and 2. Stdout is buffered and written
/// in large blocks. A closed pipe (`scalectl … | head`) is not an error: further output is
/// dropped quietly, as ripgrep does. Ctrl-C restores the cursor and exits 130, unless a
/// command deferred it to finish cleanly (`deferInterrupts`).
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
        _ = interruptReceived.load(ordering: .relaxed)
        signal(SIGINT) { _ in
            // A command that asked to finish cleanly is told on the first Ctrl-C; the second
            // one (or any, otherwise) ends the process here.
            if interruptsDeferred.load(ordering: .relaxed), !interruptReceived.exchange(true, ordering: .relaxed) {
                return
            }
            // Only async-signal-safe calls here: show the cursor a progress bar may have hidden.
            if isatty(2) == 1 {
                let show: [UInt8] = Array("\u{1B}[?25h\n".utf8)
                _ = show.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
            }
            _exit(130)
        }
        // systemd, `timeout` and Kubernetes stop a process with SIGTERM: a watch that deferred
        // interrupts finishes cleanly, with its report, as on Ctrl-C; anything else ends at once.
        signal(SIGTERM) { _ in
            if interruptsDeferred.load(ordering: .relaxed), !interruptReceived.exchange(true, ordering: .relaxed) {
                return
            }
            _exit(143)
        }
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

    public func deferInterrupts() { interruptsDeferred.store(true, ordering: .relaxed) }
    public var interruptRequested: Bool { interruptReceived.load(ordering: .relaxed) }

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

import Glibc
import ScaleCLI
import ScaleCore
import ScaleHTTP
import Synchronization
import TestSupport

/// The whole CLI in-process. The first line is the argument list (split on spaces); the rest
/// is standard input, the file `IN` names, and the body of every HTTP response. Nothing leaves
/// the process: the network is a fake that answers 200 with that body, the clocks are fakes
/// that move when slept on, and every file is in a private temporary directory.
extension FuzzTargets {
    static let cli = FuzzTarget(name: "cli", input: "first line: scalectl arguments (IN = a file holding the rest); the rest: stdin, that file and every HTTP body") { bytes in
        let (line, body) = splitFirstLine(bytes)
        var arguments = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        // Arguments name only files in the sandbox, and no Redis (ScaleNet opens real sockets).
        if arguments.count > 24 || arguments.contains(where: { $0.contains("/") || $0.lowercased().contains("redis") }) { return }
        guard let sandbox = CLISandbox.shared, sandbox.write(body) else { return }
        arguments = arguments.map { $0 == "IN" ? sandbox.inputPath : $0 }
        let console = CapturingConsole(standardInput: body)
        console.inputBlock = 977
        console.interruptWhen = { true }
        let time = FakeClock()
        _ = ScaleCLI.run(arguments: arguments, console: console,
                         services: Services(transport: EchoTransport(body: body, time: time), time: time, randomSeed: 1))
    }
}

/// The fuzzer's own temporary directory, made the working directory so relative output paths
/// (`--partial out.scp`) land in it.
final class CLISandbox: Sendable {
    static let shared: CLISandbox? = CLISandbox()
    let directory: TemporaryDirectory
    var inputPath: String { directory.path + "/input" }

    private init?() {
        guard let directory = try? TemporaryDirectory(prefix: "scalefuzz-cli") else { return nil }
        self.directory = directory
        guard chdir(directory.path) == 0 else { return nil }
    }

    func write(_ bytes: [UInt8]) -> Bool { (try? directory.write("input", bytes)) != nil }
}

/// Clocks that move only when slept on or when the fake network takes time.
final class FakeClock: TimeSource {
    private let state = Mutex<Double>(0)
    func now() -> Double { 1_700_000_000 + state.withLock { $0 } }
    func monotonic() -> Double { 1_000 + state.withLock { $0 } }
    func sleep(_ seconds: Double) { advance(seconds) }
    func advance(_ seconds: Double) { state.withLock { $0 += max(0, min(seconds, 86_400)) } }
}

/// Every request gets 200 with the fuzz input's body after a fake 10 ms.
struct EchoTransport: HTTPTransport {
    let body: [UInt8]
    let time: FakeClock

    func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>] {
        time.advance(0.01)
        return requests.map { _ in
            .success(HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")], body: body,
                                  timings: HTTPTimings(marks: CurlTimeMarks(nameLookup: 1_000, connect: 2_000, startTransfer: 9_000, total: 10_000))))
        }
    }
}

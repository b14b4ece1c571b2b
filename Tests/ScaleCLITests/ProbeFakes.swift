import ScaleCLI
import ScaleCore
import ScaleHTTP
import Synchronization
import TestSupport

/// Clocks that move only when told: a watch of many seconds runs in microseconds and every
/// timestamp it prints is known in advance.
final class FakeTime: TimeSource {
    private let state: Mutex<(wall: Double, monotonic: Double)>

    init(wall: Double = 1_700_000_000, monotonic: Double = 1_000) {
        state = Mutex((wall, monotonic))
    }

    func now() -> Double { state.withLock { $0.wall } }
    func monotonic() -> Double { state.withLock { $0.monotonic } }
    func sleep(_ seconds: Double) { advance(seconds) }

    func advance(_ seconds: Double) {
        state.withLock {
            $0.wall += max(0, seconds)
            $0.monotonic += max(0, seconds)
        }
    }
}

/// A network that answers from a script: per URL, outcomes used in turn (the last one
/// repeats). Every request is recorded, as the transport received it. Each batch may take
/// some fake time.
final class ScriptedTransport: HTTPTransport {
    typealias Outcome = Result<HTTPResponse, HTTPFailure>
    private let script: [String: [Outcome]]
    private let calls = Mutex<[String: Int]>([:])
    private let log = Mutex<[HTTPRequest]>([])
    let time: FakeTime?
    let batchSeconds: Double

    init(_ script: [String: [Outcome]], time: FakeTime? = nil, batchSeconds: Double = 0) {
        self.script = script
        self.time = time
        self.batchSeconds = batchSeconds
    }

    var requests: [HTTPRequest] { log.withLock { $0 } }

    func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Outcome] {
        log.withLock { $0 += requests }
        time?.advance(batchSeconds)
        return requests.map { request in
            let outcomes = script[request.url] ?? [.failure(HTTPFailure(kind: .dns, message: "Could not resolve host", url: request.url))]
            let n = calls.withLock { calls -> Int in
                defer { calls[request.url, default: 0] += 1 }
                return calls[request.url, default: 0]
            }
            return outcomes[min(n, outcomes.count - 1)]
        }
    }
}

/// Canned results with exact libcurl marks (microseconds), so every timing printed is known.
enum Canned {
    static func marks(dns: Int64 = 1_000, connect: Int64 = 3_000, tls: Int64 = 0, firstByte: Int64 = 20_000, total: Int64 = 25_000) -> CurlTimeMarks {
        CurlTimeMarks(nameLookup: dns, connect: connect, appConnect: tls, preTransfer: max(connect, tls) + 100,
                      startTransfer: firstByte, total: total)
    }

    static func ok(_ status: Int = 200, body: String = "ok", ip: String = "10.0.0.1", marks: CurlTimeMarks = marks(),
                   expiry: String? = nil, version: String = "HTTP/1.1") -> ScriptedTransport.Outcome {
        .success(HTTPResponse(status: status, httpVersion: version, body: Array(body.utf8), remoteIP: ip, remotePort: 443,
                              timings: HTTPTimings(marks: marks),
                              tls: expiry.map { TLSInfo(certificates: [CertificateInfo(subject: "CN = api", issuer: "CN = ca", startDate: "Nov 14 22:13:20 2023 GMT", expireDate: $0)]) }))
    }

    static func failure(_ kind: HTTPFailure.Kind, _ message: String, url: String, elapsed: Double = 0.0002,
                        marks: CurlTimeMarks = CurlTimeMarks(nameLookup: 30)) -> ScriptedTransport.Outcome {
        .failure(HTTPFailure(kind: kind, message: message, url: url, curlCode: 7, elapsedSeconds: elapsed, timings: HTTPTimings(marks: marks)))
    }
}

/// Runs scalectl in-process against scripted services.
func runProbe(_ arguments: [String], transport: ScriptedTransport, time: FakeTime = FakeTime(), seed: UInt64 = 1_234_567,
              terminal: Bool = false, width: Int? = nil, standardInput: String = "",
              interruptWhen: (() -> Bool)? = nil) -> (out: String, err: String, status: ExitCode, console: CapturingConsole) {
    let console = CapturingConsole(isTerminal: terminal, width: width ?? (terminal ? 100 : nil), standardInput: Array(standardInput.utf8))
    console.interruptWhen = interruptWhen
    let services = Services(transport: transport, time: time, randomSeed: seed)
    let status = ScaleCLI.run(arguments: ["probe"] + arguments, console: console, services: services)
    return (console.output, console.errors, status, console)
}

/// The first `columns` fields of each CSV data row (the header dropped), joined by commas.
func csvRows(_ csv: String, columns: Int) -> [String] {
    csv.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(columns).joined(separator: ",") }
}

import ScaleCore
import ScaleHTTP

/// `--deadline`: the whole run bounded, as a Nagios service check's timeout bounds its plugin.
/// A probe starts only while time is left, with --timeout and --connect-timeout cut to what is
/// left, so none outlives the deadline. A target whose probe never started, or timed out only
/// because its time was cut, has nothing measured: it has no verdict (UNKNOWN), not a DOWN.
enum ProbeDeadline {
    enum Outcome {
        case measured(Result<HTTPResponse, HTTPFailure>)
        /// Nothing was measured; the reason says why.
        case unmeasured(String)
    }

    /// Less time than this left starts no probe: libcurl could not even connect.
    static let minimumProbe = 0.001
    static let notProbed = "deadline: not probed"

    /// `request` with its timeouts cut to `left` seconds, and whether that shortened it.
    static func clipped(_ request: HTTPRequest, left: Double) -> (request: HTTPRequest, cut: Bool) {
        var request = request
        let cut = request.totalTimeout > left
        request.totalTimeout = min(request.totalTimeout, left)
        request.connectTimeout = min(request.connectTimeout, left)
        return (request, cut)
    }

    /// What a finished probe counts as: a timeout of a probe whose time was cut measured nothing.
    static func outcome(_ result: Result<HTTPResponse, HTTPFailure>, cut: Bool) -> Outcome {
        if cut, case .failure(let failure) = result, failure.kind == .timeout {
            // In milliseconds: the table's rounding to whole seconds would hide how short the cut was.
            return .unmeasured("deadline: cut after \(Format.decimal(failure.elapsedSeconds * 1000, places: 0))ms")
        }
        return .measured(result)
    }

    /// Every request, at most `concurrency` at once, in order, until `deadline` (monotonic seconds).
    static func performAll(_ requests: [HTTPRequest], concurrency: Int, deadline: Double,
                           transport: any HTTPTransport, time: any TimeSource) -> [Outcome] {
        let session = transport.makeSession(concurrency: concurrency)
        var outcomes = [Outcome](repeating: .unmeasured(notProbed), count: requests.count)
        var cut = [Bool](repeating: false, count: requests.count)
        var next = 0
        var running = 0
        while true {
            // Started here rather than queued in the session, so each gets the time left when it starts.
            while running < concurrency, next < requests.count, deadline - time.monotonic() >= minimumProbe {
                let (request, shortened) = clipped(requests[next], left: deadline - time.monotonic())
                cut[next] = shortened
                session.add(request, tag: next)
                next += 1
                running += 1
            }
            guard running > 0 else { break }
            for finished in session.poll(timeout: min(max(deadline - time.monotonic(), minimumProbe), 0.1)) {
                running -= 1
                outcomes[finished.tag] = outcome(finished.result, cut: cut[finished.tag])
            }
        }
        return outcomes
    }
}

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

    /// `request` with its timeouts cut to `left` seconds, and the limit it was cut to (nil when
    /// it had that much time anyway).
    static func clipped(_ request: HTTPRequest, left: Double) -> (request: HTTPRequest, cutTo: Double?) {
        var request = request
        let cutTo = request.totalTimeout > left ? left : nil
        request.totalTimeout = min(request.totalTimeout, left)
        request.connectTimeout = min(request.connectTimeout, left)
        return (request, cutTo)
    }

    /// What a finished probe counts as: a timeout at the limit its time was cut to measured
    /// nothing. A timeout well before it (its own --connect-timeout) is the target's failure.
    static func outcome(_ result: Result<HTTPResponse, HTTPFailure>, cutTo: Double?) -> Outcome {
        if let cutTo, case .failure(let failure) = result, failure.kind == .timeout, failure.elapsedSeconds >= cutTo * 0.9 {
            // In milliseconds: the table's rounding to whole seconds would hide how short the cut was.
            return .unmeasured("deadline: cut after \(Format.decimal(failure.elapsedSeconds * 1000, places: 0))ms")
        }
        return .measured(result)
    }

    /// Every request, at most `concurrency` at once, in order, until `deadline` (monotonic
    /// seconds); without one, every request is measured.
    static func performAll(_ requests: [HTTPRequest], concurrency: Int, deadline: Double?,
                           transport: any HTTPTransport, time: any TimeSource) -> [Outcome] {
        guard let deadline else { return transport.performAll(requests, concurrency: concurrency).map { .measured($0) } }
        let session = transport.makeSession(concurrency: concurrency)
        var outcomes = [Outcome](repeating: .unmeasured(notProbed), count: requests.count)
        var cutTo = [Double?](repeating: nil, count: requests.count)
        var next = 0
        var running = 0
        while true {
            // Started here rather than queued in the session, so each gets the time left when it starts.
            while running < concurrency, next < requests.count, deadline - time.monotonic() >= minimumProbe {
                let (request, limit) = clipped(requests[next], left: deadline - time.monotonic())
                cutTo[next] = limit
                session.add(request, tag: next)
                next += 1
                running += 1
            }
            guard running > 0 else { break }
            for finished in session.poll(timeout: min(max(deadline - time.monotonic(), minimumProbe), 0.1)) {
                running -= 1
                outcomes[finished.tag] = outcome(finished.result, cutTo: cutTo[finished.tag])
            }
        }
        return outcomes
    }
}

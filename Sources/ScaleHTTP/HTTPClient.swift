import CCurl

/// Performs requests with libcurl. Each call blocks the calling thread until every request
/// has a result (bounded by the requests' timeouts); call it where blocking is acceptable.
///
/// The client holds no state, so it is freely Sendable; each call uses its own multi handle,
/// which lets the requests of one call share connections and DNS answers.
public struct HTTPClient: HTTPTransport {
    public init() {}

    /// Performs `requests` on one thread with libcurl's multi interface, at most `concurrency`
    /// (at least 1) in flight. A request waits for a free slot; that wait is reported as
    /// `timings.queueWaitSeconds`, separate from its transfer timings and its timeouts (which
    /// start when its transfer does): 0 for the first `concurrency` requests, and for the others
    /// the time from this call until a slot freed. Results come back in input order.
    public func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>] {
        guard !requests.isEmpty else { return [] }
        let batch = MultiBatch(requests: requests, concurrency: max(1, concurrency))
        return batch.run()
    }
}

/// One `performAll` call: a multi handle, the queue of requests not yet started and the
/// handles in flight.
private final class MultiBatch {
    private let requests: [HTTPRequest]
    private let concurrency: Int
    private var results: [Result<HTTPResponse, HTTPFailure>?]
    private var inFlight: [UnsafeMutableRawPointer: (index: Int, handle: EasyHandle)] = [:]
    private var nextIndex = 0
    /// False until the first batch of handles is running: those never waited for a slot.
    private var initialFillDone = false

    init(requests: [HTTPRequest], concurrency: Int) {
        self.requests = requests
        self.concurrency = concurrency
        results = Array(repeating: nil, count: requests.count)
    }

    func run() -> [Result<HTTPResponse, HTTPFailure>] {
        let start = MonotonicClock.seconds()
        guard CurlGlobal.isReady, let multi = curl_multi_init() else {
            return requests.map { .failure(Self.failure($0, "libcurl could not be initialised")) }
        }
        defer {
            for (raw, _) in inFlight { curl_multi_remove_handle(multi, raw) }
            inFlight = [:]
            curl_multi_cleanup(multi)
        }
        while true {
            startQueued(on: multi, since: start)
            if inFlight.isEmpty { break }
            var running: Int32 = 0
            let code = curl_multi_perform(multi, &running)
            guard code == CURLM_OK else {
                abandon(on: multi, reason: String(cString: curl_multi_strerror(code)))
                break
            }
            collectFinished(on: multi)
            // A freed slot is refilled at once rather than after the next poll.
            if inFlight.isEmpty || (inFlight.count < concurrency && nextIndex < requests.count) { continue }
            // Sleeps until a socket is ready or libcurl's next timer (a timeout) is due.
            _ = curl_multi_poll(multi, nil, 0, 1_000, nil)
        }
        return results.enumerated().map { index, result in
            result ?? .failure(Self.failure(requests[index], "the transfer was not completed"))
        }
    }

    private func startQueued(on multi: UnsafeMutableRawPointer, since start: Double) {
        while inFlight.count < concurrency && nextIndex < requests.count {
            let index = nextIndex
            nextIndex += 1
            guard let handle = EasyHandle(request: requests[index]) else {
                results[index] = .failure(Self.failure(requests[index], "libcurl could not allocate a handle"))
                continue
            }
            if let failure = handle.configure() {
                results[index] = .failure(failure)
                continue
            }
            handle.queueWaitSeconds = initialFillDone ? MonotonicClock.seconds() - start : 0
            let code = curl_multi_add_handle(multi, handle.raw)
            guard code == CURLM_OK else {
                results[index] = .failure(Self.failure(requests[index], String(cString: curl_multi_strerror(code))))
                continue
            }
            inFlight[handle.raw] = (index, handle)
        }
        initialFillDone = true
    }

    private func collectFinished(on multi: UnsafeMutableRawPointer) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let raw = message.pointee.easy_handle,
                  let entry = inFlight.removeValue(forKey: raw) else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, raw)
            results[entry.index] = entry.handle.outcome(code)
        }
    }

    /// The multi handle itself failed: nothing in flight or queued can finish.
    private func abandon(on multi: UnsafeMutableRawPointer, reason: String) {
        for (raw, entry) in inFlight {
            curl_multi_remove_handle(multi, raw)
            results[entry.index] = .failure(Self.failure(entry.handle.request, reason))
        }
        inFlight = [:]
        while nextIndex < requests.count {
            results[nextIndex] = .failure(Self.failure(requests[nextIndex], reason))
            nextIndex += 1
        }
    }

    private static func failure(_ request: HTTPRequest, _ message: String) -> HTTPFailure {
        HTTPFailure(kind: .other, message: message, url: Redaction.url(request.url))
    }
}

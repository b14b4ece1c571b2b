import CCurl

/// Performs requests with libcurl. `performAll` blocks the calling thread until every request
/// has a result (bounded by the requests' timeouts); a session runs transfers only while it
/// is polled, so its caller decides when to block.
///
/// The client holds no state, so it is freely Sendable; each call or session uses its own
/// multi handle, which lets its requests share connections and DNS answers.
public struct HTTPClient: HTTPTransport {
    public init() {}

    /// Performs `requests` on one thread with libcurl's multi interface, at most `concurrency`
    /// (at least 1) in flight. A request waits for a free slot; that wait is reported as
    /// `timings.queueWaitSeconds`, separate from its transfer timings and its timeouts (which
    /// start when its transfer does): 0 for the first `concurrency` requests, and for the others
    /// the time from this call until a slot freed. Results come back in input order.
    public func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>] {
        guard !requests.isEmpty else { return [] }
        let session = MultiSession(concurrency: concurrency)
        for (index, request) in requests.enumerated() { session.add(request, tag: index) }
        var results: [Result<HTTPResponse, HTTPFailure>?] = Array(repeating: nil, count: requests.count)
        while session.pending > 0 {
            for finished in session.poll(timeout: 1) { results[finished.tag] = finished.result }
        }
        return results.enumerated().map { index, result in
            result ?? .failure(MultiSession.failure(requests[index], "the transfer was not completed"))
        }
    }

    /// A session on one multi handle of its own: transfers run while `poll` is called.
    public func makeSession(concurrency: Int) -> any HTTPSession {
        MultiSession(concurrency: concurrency)
    }
}

/// A libcurl multi handle with a queue of requests not yet started and the handles in flight.
/// Every C resource stays inside: handles are removed and freed when they finish or when the
/// session goes.
final class MultiSession: HTTPSession {
    private let multi: UnsafeMutableRawPointer?
    private let concurrency: Int
    private var queue: [(tag: Int, request: HTTPRequest, added: Double)] = []
    private var queueHead = 0
    private var inFlight: [UnsafeMutableRawPointer: (tag: Int, handle: EasyHandle)] = [:]
    /// Results ready to hand out: finished transfers and requests that could not start.
    private var finished: [HTTPSessionResult] = []

    init(concurrency: Int) {
        self.concurrency = max(1, concurrency)
        multi = CurlGlobal.isReady ? curl_multi_init() : nil
    }

    deinit {
        guard let multi else { return }
        for (raw, _) in inFlight { curl_multi_remove_handle(multi, raw) }
        inFlight = [:]
        curl_multi_cleanup(multi)
    }

    var pending: Int { queue.count - queueHead + inFlight.count + finished.count }

    func add(_ request: HTTPRequest, tag: Int) {
        queue.append((tag, request, MonotonicClock.seconds()))
        // A request that finds a free slot starts now and so never waited.
        startQueued(immediately: true)
    }

    func poll(timeout: Double) -> [HTTPSessionResult] {
        let deadline = MonotonicClock.seconds() + max(0, timeout)
        while true {
            startQueued(immediately: false)
            guard let multi else {
                failQueued("libcurl could not be initialised")
                return drain()
            }
            if !inFlight.isEmpty {
                var running: Int32 = 0
                let code = curl_multi_perform(multi, &running)
                guard code == CURLM_OK else {
                    abandon(on: multi, reason: String(cString: curl_multi_strerror(code)))
                    return drain()
                }
                collectFinished(on: multi)
                // A freed slot is refilled at once rather than after the next wait.
                startQueued(immediately: false)
            }
            if !finished.isEmpty || inFlight.isEmpty { return drain() }
            let remaining = deadline - MonotonicClock.seconds()
            guard remaining > 0 else { return [] }
            // Sleeps until a socket is ready, libcurl's next timer (a timeout) is due, or the caller's wait is over.
            _ = curl_multi_poll(multi, nil, 0, Int32(EasyHandle.milliseconds(min(remaining, 1))), nil)
        }
    }

    private func drain() -> [HTTPSessionResult] {
        defer { finished = [] }
        return finished
    }

    private func startQueued(immediately: Bool) {
        guard let multi else { return }
        while inFlight.count < concurrency && queueHead < queue.count {
            let (tag, request, added) = queue[queueHead]
            queueHead += 1
            guard let handle = EasyHandle(request: request) else {
                finished.append(HTTPSessionResult(tag: tag, result: .failure(Self.failure(request, "libcurl could not allocate a handle"))))
                continue
            }
            if let failure = handle.configure() {
                finished.append(HTTPSessionResult(tag: tag, result: .failure(failure)))
                continue
            }
            handle.queueWaitSeconds = immediately ? 0 : MonotonicClock.seconds() - added
            let code = curl_multi_add_handle(multi, handle.raw)
            guard code == CURLM_OK else {
                finished.append(HTTPSessionResult(tag: tag, result: .failure(Self.failure(request, String(cString: curl_multi_strerror(code))))))
                continue
            }
            inFlight[handle.raw] = (tag, handle)
        }
        if queueHead == queue.count {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
    }

    private func collectFinished(on multi: UnsafeMutableRawPointer) {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let raw = message.pointee.easy_handle,
                  let entry = inFlight.removeValue(forKey: raw) else { continue }
            let code = message.pointee.data.result
            curl_multi_remove_handle(multi, raw)
            finished.append(HTTPSessionResult(tag: entry.tag, result: entry.handle.outcome(code)))
        }
    }

    /// The multi handle itself failed: nothing in flight or queued can finish.
    private func abandon(on multi: UnsafeMutableRawPointer, reason: String) {
        for (raw, entry) in inFlight {
            curl_multi_remove_handle(multi, raw)
            finished.append(HTTPSessionResult(tag: entry.tag, result: .failure(Self.failure(entry.handle.request, reason))))
        }
        inFlight = [:]
        failQueued(reason)
    }

    private func failQueued(_ reason: String) {
        while queueHead < queue.count {
            let (tag, request, _) = queue[queueHead]
            queueHead += 1
            finished.append(HTTPSessionResult(tag: tag, result: .failure(Self.failure(request, reason))))
        }
        queue.removeAll(keepingCapacity: true)
        queueHead = 0
    }

    static func failure(_ request: HTTPRequest, _ message: String) -> HTTPFailure {
        HTTPFailure(kind: .other, message: message, url: Redaction.url(request.url))
    }
}

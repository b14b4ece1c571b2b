/// A transfer that finished in a session, with the tag it was added under.
public struct HTTPSessionResult: Sendable {
    public var tag: Int
    public var result: Result<HTTPResponse, HTTPFailure>

    public init(tag: Int, result: Result<HTTPResponse, HTTPFailure>) {
        self.tag = tag
        self.result = result
    }
}

/// Requests that start and finish at different times, for callers that keep working while
/// transfers run (a watch that probes each target on its own schedule). Not thread-safe: one
/// thread adds and polls.
public protocol HTTPSession: AnyObject {
    /// Queues `request` under `tag`; it starts at once when fewer than the session's
    /// concurrency are in flight, else when a slot frees (the wait is its `queueWaitSeconds`).
    func add(_ request: HTTPRequest, tag: Int)
    /// Runs transfers until at least one has finished or `timeout` seconds have passed, and
    /// returns the ones that finished, in the order they did.
    func poll(timeout: Double) -> [HTTPSessionResult]
    /// Requests added and not yet returned by `poll`.
    var pending: Int { get }
}

/// The session any transport has: requests wait until `poll`, which performs everything
/// queued with `performAll` and returns it all at once. Right for scripted transports in
/// tests, where "at once" makes runs deterministic.
public final class BatchSession: HTTPSession {
    private let transport: any HTTPTransport
    private let concurrency: Int
    private var queue: [(tag: Int, request: HTTPRequest)] = []

    public init(transport: any HTTPTransport, concurrency: Int) {
        self.transport = transport
        self.concurrency = concurrency
    }

    public func add(_ request: HTTPRequest, tag: Int) { queue.append((tag, request)) }

    public func poll(timeout: Double) -> [HTTPSessionResult] {
        guard !queue.isEmpty else { return [] }
        let batch = queue
        queue = []
        let results = transport.performAll(batch.map(\.request), concurrency: concurrency)
        return zip(batch, results).map { HTTPSessionResult(tag: $0.tag, result: $1) }
    }

    public var pending: Int { queue.count }
}

/// Something that performs HTTP requests. `HTTPClient` is the real one; the CLI takes any
/// transport so its tests can pass canned results instead of a network.
public protocol HTTPTransport: Sendable {
    /// Performs every request with at most `concurrency` in flight; results in input order.
    func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>]
    /// A session whose requests start and finish independently, at most `concurrency` at once.
    func makeSession(concurrency: Int) -> any HTTPSession
}

extension HTTPTransport {
    /// Performs one request.
    public func perform(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPFailure> {
        performAll([request], concurrency: 1)[0]
    }

    /// By default a session collects requests and performs them together when polled.
    public func makeSession(concurrency: Int) -> any HTTPSession {
        BatchSession(transport: self, concurrency: concurrency)
    }
}

/// Something that performs HTTP requests. `HTTPClient` is the real one; the CLI takes any
/// transport so its tests can pass canned results instead of a network.
public protocol HTTPTransport: Sendable {
    /// Performs every request with at most `concurrency` in flight; results in input order.
    func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>]
}

extension HTTPTransport {
    /// Performs one request.
    public func perform(_ request: HTTPRequest) -> Result<HTTPResponse, HTTPFailure> {
        performAll([request], concurrency: 1)[0]
    }
}

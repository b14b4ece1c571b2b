/// What came back from one request. When redirects were followed, everything here describes
/// the final response; `redirectCount` says how many hops led to it.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// The protocol spoken: `HTTP/1.0`, `HTTP/1.1`, `HTTP/2` or `HTTP/3`.
    public var httpVersion: String
    /// The final response's header fields in the order received, duplicates kept, names as the
    /// server cased them. Interim 1xx responses and trailers are not included.
    public var headers: [HTTPHeader]
    /// The body as sent on the wire (no content decoding), at most `maxBodyBytes` of it.
    public var body: [UInt8]
    /// True when the body was longer than `maxBodyBytes` and the transfer was cut short.
    public var truncated: Bool
    /// The address actually connected to (`127.0.0.1`, `::1`).
    public var remoteIP: String
    public var remotePort: Int
    /// The last URL fetched, with any password redacted.
    public var effectiveURL: String
    public var redirectCount: Int
    public var timings: HTTPTimings
    /// nil for plain http.
    public var tls: TLSInfo?

    public init(status: Int, httpVersion: String = "HTTP/1.1", headers: [HTTPHeader] = [], body: [UInt8] = [],
                truncated: Bool = false, remoteIP: String = "", remotePort: Int = 0, effectiveURL: String = "",
                redirectCount: Int = 0, timings: HTTPTimings = HTTPTimings(marks: CurlTimeMarks()),
                tls: TLSInfo? = nil) {
        self.status = status
        self.httpVersion = httpVersion
        self.headers = headers
        self.body = body
        self.truncated = truncated
        self.remoteIP = remoteIP
        self.remotePort = remotePort
        self.effectiveURL = effectiveURL
        self.redirectCount = redirectCount
        self.timings = timings
        self.tls = tls
    }

    /// Every value of header `name`, compared case-insensitively, in the order received.
    public func values(for name: String) -> [String] { headers.values(for: name) }

    /// The first value of header `name`, compared case-insensitively.
    public func value(for name: String) -> String? { values(for: name).first }
}

/// One header field as sent; lists keep order and duplicates.
public struct HeaderField: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

extension Array where Element == HeaderField {
    /// Every value of `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.asciiLowercased
        return compactMap { $0.name.asciiLowercased == wanted ? $0.value : nil }
    }

    public func has(_ name: String) -> Bool { !values(name).isEmpty }
}

/// One request and its response, with the times the age calculation needs. Times are seconds
/// since the Unix epoch; the library never reads a clock, so callers pass them in.
public struct Exchange: Sendable, Equatable {
    /// The URL, when known (policy checks CACHE090-092 look at its path).
    public var url: String?
    public var method: String
    /// Only whether credentials were present matters; values are never echoed.
    public var requestHeaders: [HeaderField]
    public var status: Int
    public var headers: [HeaderField]
    /// When the request was sent (§4.2.3 request_time); defaults to the receipt time.
    public var requestTime: Int64
    /// When the response was received (§4.2.3 response_time).
    public var receivedAt: Int64
    /// The time to compute the current age for; defaults to the receipt time.
    public var now: Int64
    /// False when the receipt time was inferred (from Date) rather than measured or given: the
    /// clock-skew and age-penalty checks (CACHE043, CACHE044) then have nothing to compare.
    public var receiptTimeKnown: Bool

    public init(url: String? = nil, method: String = "GET", requestHeaders: [HeaderField] = [], status: Int,
                headers: [HeaderField], receivedAt: Int64, requestTime: Int64? = nil, now: Int64? = nil,
                receiptTimeKnown: Bool = true) {
        self.url = url
        self.method = method
        self.requestHeaders = requestHeaders
        self.status = status
        self.headers = headers
        self.receivedAt = receivedAt
        self.requestTime = requestTime ?? receivedAt
        self.now = now ?? receivedAt
        self.receiptTimeKnown = receiptTimeKnown
    }
}

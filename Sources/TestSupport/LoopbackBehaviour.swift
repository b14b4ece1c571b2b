/// What the loopback server does with a request: the scripted facts a test compares against.
public indirect enum LoopbackBehaviour: Sendable {
    /// Sends exactly this status line, these headers in this order, then `Content-Length`
    /// (unless given, or the status has no body: 1xx, 204, 304) and `Connection: close`, then the body.
    case respond(status: Int, headers: [LoopbackHTTPServer.Header] = [], body: [UInt8] = [])
    /// Waits, then behaves as `then`. The wait ends early when the server stops.
    case delayed(seconds: Double, then: LoopbackBehaviour)
    /// Reads the request, then closes the connection without a byte of response.
    case closeWithoutResponse
    /// Sends the status line and half a header line, then closes.
    case partialHeadersThenClose
    /// Announces `Content-Length: 100`, sends 50 body bytes, then closes.
    case shortBody
    /// A 200 whose header block (status line included) is at least `bytes` long, made of
    /// `X-Filler-NNNNNN: aaaa…` lines of about 100 bytes, then the body `ok`.
    case hugeHeaders(bytes: Int)
    /// A 200 with a body of `bytes` bytes where byte `i` is `LoopbackBehaviour.patternByte(i)`.
    case hugeBody(bytes: Int)
    /// For paths ending in `/N`: N > 0 answers `302` with `Location: <same prefix>/N-1`;
    /// N = 0 answers 200 with the body `end of chain`.
    case redirectChain

    /// Byte `index` of a `hugeBody`: `index % 251`, a prime so the pattern never lines up with
    /// power-of-two buffer sizes and a misplaced chunk shows.
    public static func patternByte(_ index: Int) -> UInt8 { UInt8(index % 251) }

    /// A plain 200 with a text body.
    public static func text(_ body: String, status: Int = 200) -> LoopbackBehaviour {
        .respond(status: status, headers: [.init("Content-Type", "text/plain")], body: Array(body.utf8))
    }
}

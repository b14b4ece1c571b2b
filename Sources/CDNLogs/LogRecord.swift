/// What a parser extracts from one line: views into the line (no copies), numbers, and the
/// normalised cache class. Reset and reused for every line.
struct LogRecord {
    static let noTime = Int64.min
    static let noDuration = UInt64.max

    var time: Int64 = noTime
    var method = ByteSlice.empty
    var host = ByteSlice.empty
    /// Path and query as requested (`/a/b.css?v=1`), or an absolute URL until `normalise()`.
    var target = ByteSlice.empty
    var status: Int = -1
    /// Bytes sent to the client (the body where the format says so).
    var bytes: UInt64 = 0
    var originBytes: UInt64 = 0
    var hasOriginBytes = false
    var durationMicros: UInt64 = noDuration
    var cacheValue = ByteSlice.empty
    var cacheClass = CacheClass.none
    /// The vocabulary entry whose word `cacheValue` is, byte for byte; -1 when it is none (an
    /// unknown value, a prefix rule's match…): `--by value` counts those by their bytes.
    var valueEntry = -1
    var expired = false
    var pop = ByteSlice.empty
    var contentType = ByteSlice.empty
    /// Which of the headers in `headers` this line logged (bit `HeaderField.rawValue`); the
    /// slices are read only where the bit is set, so a reset clears this byte alone.
    var headerBits: UInt8 = 0
    var headers = InlineArray<6, ByteSlice>(repeating: .empty)

    @inline(__always)
    mutating func setHeader(_ field: HeaderField, _ value: ByteSlice) {
        headerBits |= 1 << field.rawValue
        headers[Int(field.rawValue)] = value
    }

    /// The header's value where the line logged one (`-` and empty are none).
    @inline(__always)
    func header(_ field: HeaderField) -> ByteSlice? {
        guard headerBits & (1 << field.rawValue) != 0 else { return nil }
        let value = headers[Int(field.rawValue)]
        return value.isEmpty || value.isDash ? nil : value
    }

    /// Field by field: `self = LogRecord()` compiles to a memset call per line.
    @inline(__always)
    mutating func reset() {
        time = Self.noTime
        method = .empty
        host = .empty
        target = .empty
        status = -1
        bytes = 0
        originBytes = 0
        hasOriginBytes = false
        durationMicros = Self.noDuration
        cacheValue = .empty
        cacheClass = .none
        valueEntry = -1
        expired = false
        pop = .empty
        contentType = .empty
        headerBits = 0
    }

    /// More bytes than any one response carries (1 PiB): a field holding such a number is not a
    /// byte count, and sums of them could pass what the report can hold.
    static let maxBytes: UInt64 = 1 << 50

    /// Why the numbers a parser read cannot be real, checked once for every format.
    @inline(__always)
    func rangeFailure() -> ParseFailure? {
        if bytes > Self.maxBytes || originBytes > Self.maxBytes { return ParseFailure("a byte count is over 2^50 (1 PiB), more than any response") }
        if durationMicros != Self.noDuration, durationMicros >= ByteScan.maxDurationMicros {
            return ParseFailure("a duration is over 2^53 microseconds (285 years)")
        }
        return nil
    }

    /// Sets the class from a vendor word; unknown words keep their bytes for counting by name.
    @inline(__always)
    mutating func classify(_ value: ByteSlice, with vocabulary: CacheVocabulary) {
        cacheValue = value
        if let match = vocabulary.lookup(value) {
            cacheClass = match.cacheClass
            expired = match.expired
            valueEntry = match.verbatim ? match.index : -1
        } else {
            valueEntry = -1
            cacheClass = value.isEmpty ? .none : .unknown
        }
    }

    /// Splits `GET /path HTTP/1.1` into method and target. A request line with no space (a TLS
    /// handshake sent to a plain port, garbage) keeps the whole field as its target.
    @inline(__always)
    mutating func splitRequest(_ request: ByteSlice) {
        // Request lines live in block buffers (padded), so the SWAR search may be used.
        guard let base = request.base, let space = findByte(0x20, from: base, end: base + request.count) else {
            target = request
            return
        }
        let firstSpace = space - base
        method = request.prefix(firstSpace)
        var rest = request.dropFirst(firstSpace + 1)
        // The protocol follows the last space; a URL logged with raw spaces keeps them.
        // Most lines end in " HTTP/1.1" or " HTTP/2.0": checked first, without a scan.
        if rest.count > 9, rest[rest.count - 9] == 0x20, rest.dropFirst(rest.count - 8).hasPrefix("HTTP/") {
            rest.count -= 9
        } else if let lastSpace = rest.lastIndex(of: 0x20), rest.dropFirst(lastSpace + 1).hasPrefix("HTTP/") {
            rest.count = lastSpace
        }
        target = rest
    }

    /// An absolute URL (`http://host:port/path`, as varnishncsa and Squid log it) gives its
    /// host, unless the format logged one, and leaves the path.
    @inline(__always)
    mutating func normalise() {
        guard target.count > 8, target[0] | 0x20 == 0x68 else { return }  // h
        var skip = 0
        if target.hasPrefix("http://") { skip = 7 } else if target.hasPrefix("https://") { skip = 8 } else { return }
        let rest = target.dropFirst(skip)
        let slash = rest.firstIndex(of: 0x2F) ?? rest.count
        if host.isEmpty { host = rest.prefix(slash) }
        target = slash < rest.count ? rest.dropFirst(slash) : ByteSlice(base: rest.base.map { $0 + rest.count }, count: 0)
        if target.isEmpty { target = ByteSlice.slash }
    }

    /// Method is GET or HEAD: the requests a cache may store (RFC 9111 §2 in practice). Static,
    /// on the method alone: a property of the record read through a pointer copied the whole
    /// record first, a memcpy a line.
    @inline(__always)
    static func isCacheable(method: ByteSlice) -> Bool {
        method.equals("GET") || method.equals("HEAD") || method.isEmpty
    }
}

extension ByteSlice {
    /// "/" followed by `ParseContext.padding` zero bytes: a target is scanned with 8-byte loads
    /// (`findByte`), which may read past its end, so this one carries the padding every
    /// block buffer and scratch buffer has.
    nonisolated(unsafe) private static let slashStorage: UnsafeMutablePointer<UInt8> = {
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 + ParseContext.padding)
        p.initialize(repeating: 0, count: 1 + ParseContext.padding)
        p[0] = 0x2F
        return p
    }()
    static var slash: ByteSlice { ByteSlice(base: UnsafePointer(slashStorage), count: 1) }
}

/// Why a line did not parse, as a fixed sentence (no allocation per bad line), with how far
/// the parser got: the format that gets furthest is "the closest" in error messages.
struct ParseFailure: Error {
    var reason: StaticString
    var progress: Int

    init(_ reason: StaticString, progress: Int = 0) {
        self.reason = reason
        self.progress = progress
    }

    var text: String { reason.description }
}

/// Headers a log format may carry that decide how many copies of a URL a cache keeps: the
/// response's `Vary` and `Set-Cookie`, the request's `Cookie`, and the request headers a
/// `Vary` commonly names. Cookie values are secrets: only hashes of them are kept, and only
/// counts are reported.
public enum HeaderField: UInt8, CaseIterable, Sendable {
    case vary, setCookie, cookie, userAgent, acceptEncoding, acceptLanguage

    /// The header's name as HTTP writes it.
    public var displayName: String {
        switch self {
        case .vary: return "Vary"
        case .setCookie: return "Set-Cookie"
        case .cookie: return "Cookie"
        case .userAgent: return "User-Agent"
        case .acceptEncoding: return "Accept-Encoding"
        case .acceptLanguage: return "Accept-Language"
        }
    }

    /// The request header's name as a `Vary` lists it (lower case); nil for response headers.
    var requestHeaderName: String? {
        switch self {
        case .vary, .setCookie: return nil
        case .cookie: return "cookie"
        case .userAgent: return "user-agent"
        case .acceptEncoding: return "accept-encoding"
        case .acceptLanguage: return "accept-language"
        }
    }
}

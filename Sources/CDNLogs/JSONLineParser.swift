import Glibc

/// NDJSON logs: one flat JSON object per line (Cloudflare Logpush, Akamai DataStream 2, Fastly
/// JSON formats). The scanner walks the top-level members once, takes the keys the vendor's
/// table names and skips the rest (nested objects and arrays included).
final class JSONLineParser: LineParser, @unchecked Sendable {
    enum Key: Equatable {
        case time, host, method, uri, path, query, status, bytes, bytesTotal, cache, pop, popFromServer
        case durationMillis, durationMicros, contentType, originBytes, akamaiCacheable
        case header(HeaderField)
        /// An object of header names and values (Cloudflare Logpush's custom fields), or of
        /// cookie names and values (Logpush's `Cookies`, kept whole as the Cookie variant).
        case requestHeaders, responseHeaders, cookies
    }

    let vocabulary: CacheVocabulary
    private let keys: [([UInt8], Key)]
    private let isAkamai: Bool

    init(vocabulary: CacheVocabulary, keys: [(String, Key)]) {
        self.vocabulary = vocabulary
        self.keys = keys.map { (Array($0.0.utf8), $0.1) }
        isAkamai = vocabulary.name == CacheVocabulary.akamai.name
    }

    /// Cloudflare Logpush `http_requests` fields.
    static let cloudflareKeys: [(String, Key)] = [
        ("EdgeStartTimestamp", .time), ("ClientRequestHost", .host), ("ClientRequestMethod", .method),
        ("ClientRequestURI", .uri), ("ClientRequestPath", .path), ("ClientRequestQuery", .query),
        ("EdgeResponseStatus", .status), ("EdgeResponseBytes", .bytes), ("CacheCacheStatus", .cache),
        ("EdgeColoCode", .pop), ("EdgeTimeToFirstByteMs", .durationMillis), ("EdgeResponseContentType", .contentType),
        ("OriginResponseBytes", .originBytes),
        // The custom fields a Logpush job adds (docs/cdn.md): Vary and Set-Cookie of the
        // response, the request headers a Vary names, and cookies.
        ("RequestHeaders", .requestHeaders), ("ResponseHeaders", .responseHeaders), ("Cookies", .cookies),
    ]

    /// Akamai DataStream 2 JSON keys (numbers arrive as strings).
    static let akamaiKeys: [(String, Key)] = [
        ("reqTimeSec", .time), ("reqHost", .host), ("reqMethod", .method), ("reqPath", .path), ("queryStr", .query),
        ("statusCode", .status), ("bytes", .bytes), ("totalBytes", .bytesTotal), ("cacheStatus", .cache),
        ("cacheable", .akamaiCacheable), ("turnAroundTimeMSec", .durationMillis), ("rspContentType", .contentType),
    ]

    /// Keys of Fastly's documented JSON log examples, and the common alternatives.
    static let fastlyKeys: [(String, Key)] = [
        ("timestamp", .time), ("time_start", .time), ("time", .time),
        ("host", .host), ("request_host", .host),
        ("request_method", .method), ("method", .method),
        ("url", .uri), ("request_url", .uri), ("uri", .uri),
        ("response_status", .status), ("status", .status),
        ("response_body_size", .bytes), ("resp_body_size", .bytes), ("body_bytes", .bytes),
        ("response_state", .cache), ("fastly_info_state", .cache), ("fastly_info.state", .cache), ("cache_status", .cache), ("state", .cache),
        ("fastly_pop", .pop), ("pop", .pop), ("datacenter", .pop), ("fastly_server", .popFromServer),
        ("time_elapsed", .durationMicros), ("elapsed_usec", .durationMicros),
        ("content_type", .contentType), ("response_content_type", .contentType),
        // Members a customer adds to see fragmentation by Vary and cookies (docs/cdn.md).
        ("vary", .header(.vary)), ("set_cookie", .header(.setCookie)), ("cookie", .header(.cookie)),
        ("user_agent", .header(.userAgent)), ("accept_encoding", .header(.acceptEncoding)), ("accept_language", .header(.acceptLanguage)),
    ]

    func parse(_ line: ByteSlice, into r: inout LogRecord, context: inout ParseContext) -> ParseFailure? {
        guard let base = line.base else { return ParseFailure("empty line") }
        let end = base + line.count
        var p = base
        skipSpace(&p, end)
        guard p < end, p.pointee == 0x7B else { return ParseFailure("the line is not a JSON object") }
        p += 1
        var path = ByteSlice.empty, query = ByteSlice.empty
        var sawCache = false
        var akamaiHit = ByteSlice.empty, akamaiCacheable = ByteSlice.empty
        var bytesTotal: UInt64?
        var hasBytes = false
        /// A Cookie request header was read (it wins over a Cookies object).
        var cookieHeader = false
        var member = 0
        while true {
            skipSpace(&p, end)
            guard p < end else { return ParseFailure("the JSON object is cut off", progress: member) }
            if p.pointee == 0x7D { break }
            if member > 0 {
                guard p.pointee == 0x2C else { return ParseFailure("a comma is missing between JSON members", progress: member) }
                p += 1
                skipSpace(&p, end)
            }
            guard p < end, p.pointee == 0x22, let key = scanString(&p, end) else {
                return ParseFailure("a JSON key is not a string", progress: member)
            }
            skipSpace(&p, end)
            guard p < end, p.pointee == 0x3A else { return ParseFailure("a colon is missing after a JSON key", progress: member) }
            p += 1
            skipSpace(&p, end)
            guard p < end else { return ParseFailure("the JSON object is cut off", progress: member) }
            member += 1
            let wanted = lookup(key)
            guard let wanted else {
                guard skipValue(&p, end) else { return ParseFailure("a JSON value is malformed", progress: member) }
                continue
            }
            if wanted == .requestHeaders || wanted == .responseHeaders || wanted == .cookies, p.pointee == 0x7B {
                let start = p
                if wanted == .cookies {
                    guard skipValue(&p, end) else { return ParseFailure("a JSON value is malformed", progress: member) }
                    // The Cookie header the request carried (RequestHeaders.cookie) wins over
                    // the Cookies object, whichever comes first in the line.
                    let object = ByteSlice(start, p)
                    if object.count > 2, !cookieHeader { r.setHeader(.cookie, object) }
                } else {
                    guard readHeaders(&p, end, response: wanted == .responseHeaders, into: &r, cookieHeader: &cookieHeader, context: &context) else {
                        return ParseFailure("a JSON value is malformed", progress: member)
                    }
                }
                continue
            }
            let value: ByteSlice
            if p.pointee == 0x22 {
                guard let raw = scanString(&p, end) else { return ParseFailure("a JSON string is not closed", progress: member) }
                value = unescape(raw, &context)
            } else {
                let start = p
                guard skipValue(&p, end) else { return ParseFailure("a JSON value is malformed", progress: member) }
                value = ByteSlice(start, p).trimmed
                if value.equals("null") { continue }
            }
            switch wanted {
            case .time:
                guard let t = Timestamps.any(value) else { return ParseFailure("the timestamp is neither ISO 8601 nor epoch time", progress: member) }
                r.time = t
            case .host: r.host = value
            case .method: r.method = value
            case .uri: r.target = value
            case .path: path = value
            case .query: query = value
            case .status:
                guard let s = ByteScan.unsigned(value), s < 1000 else { return ParseFailure("the status is not a number", progress: member) }
                r.status = Int(s)
            case .bytes:
                guard let b = ByteScan.unsigned(value) else { return ParseFailure("the byte count is not a number", progress: member) }
                r.bytes = b; hasBytes = true
            case .bytesTotal:
                bytesTotal = ByteScan.unsigned(value)
            case .cache:
                sawCache = true
                if isAkamai { akamaiHit = value } else { r.classify(value, with: vocabulary) }
            case .akamaiCacheable:
                akamaiCacheable = value
            case .pop: r.pop = value
            case .popFromServer:
                // Fastly's server.identity / hostname ends in the POP: cache-sjc3134-SJC.
                if r.pop.isEmpty, let dash = value.lastIndex(of: 0x2D) { r.pop = value.dropFirst(dash + 1) }
            case .durationMillis:
                if let ms = ByteScan.decimal(value), ms >= 0 { r.durationMicros = ByteScan.micros(ms, unitMicros: 1000) }
            case .durationMicros:
                if let us = ByteScan.unsigned(value) { r.durationMicros = min(us, ByteScan.maxDurationMicros) }
            case .contentType: r.contentType = value
            case .originBytes:
                if let b = ByteScan.unsigned(value) { r.originBytes = b; r.hasOriginBytes = true }
            case .header(let field):
                r.setHeader(field, value)
            case .requestHeaders, .responseHeaders, .cookies:
                break  // Not an object (null, or a string): nothing to read.
            }
        }
        guard sawCache else { return ParseFailure("the object has no cache-status member", progress: member) }
        if !hasBytes, let bytesTotal { r.bytes = bytesTotal }
        if isAkamai {
            // cacheStatus 1 = served from the edge cache; cacheable 0 = not cacheable at all.
            let word: StaticString = akamaiCacheable.equals("0") ? "uncacheable" : akamaiHit.equals("1") ? "hit" : akamaiHit.equals("0") ? "miss" : ""
            if word.utf8CodeUnitCount == 0 {
                r.cacheValue = akamaiHit
                r.cacheClass = .unknown
            } else {
                r.classify(ByteSlice(base: word.utf8Start, count: word.utf8CodeUnitCount), with: vocabulary)
            }
        }
        if r.target.isEmpty || !path.isEmpty { r.target = context.join(path: path, query: query) }
        r.normalise()
        return nil
    }

    /// The headers of a `{"name": "value", …}` object at `p` (names in any case) that
    /// `HeaderField` follows: Vary and Set-Cookie in a response's, the others in a request's.
    private func readHeaders(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, response: Bool,
                             into r: inout LogRecord, cookieHeader: inout Bool, context: inout ParseContext) -> Bool {
        p += 1
        var first = true
        while true {
            skipSpace(&p, end)
            guard p < end else { return false }
            if p.pointee == 0x7D { p += 1; return true }
            if !first {
                guard p.pointee == 0x2C else { return false }
                p += 1
                skipSpace(&p, end)
            }
            first = false
            guard p < end, p.pointee == 0x22, let name = scanString(&p, end) else { return false }
            skipSpace(&p, end)
            guard p < end, p.pointee == 0x3A else { return false }
            p += 1
            skipSpace(&p, end)
            guard p < end else { return false }
            guard p.pointee == 0x22 else {
                guard skipValue(&p, end) else { return false }
                continue
            }
            guard let raw = scanString(&p, end) else { return false }
            guard let field = response ? HeaderField.responseField(named: name) : HeaderField.requestField(named: name) else { continue }
            r.setHeader(field, unescape(raw, &context))
            if field == .cookie { cookieHeader = true }
        }
    }

    @inline(__always)
    private func lookup(_ key: ByteSlice) -> Key? {
        for (bytes, kind) in keys where bytes.count == key.count {
            if bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress!, key.base!, key.count) == 0 }) { return kind }
        }
        return nil
    }

    @inline(__always)
    private func skipSpace(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) {
        while p < end, p.pointee == 0x20 || p.pointee == 0x09 || p.pointee == 0x0D { p += 1 }
    }

    /// The raw contents of the string at `p` (escapes left in), advancing past its closing quote.
    private func scanString(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> ByteSlice? {
        let start = p + 1
        var q = start
        while q < end {
            let c = q.pointee
            if c == 0x5C { q += 2; continue }
            if c == 0x22 {
                p = q + 1
                return ByteSlice(start, q)
            }
            q += 1
        }
        return nil
    }

    /// Skips a number, literal, string, object or array.
    private func skipValue(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        guard p < end else { return false }
        switch p.pointee {
        case 0x22:
            return scanString(&p, end) != nil
        case 0x7B, 0x5B:
            var depth = 0
            while p < end {
                let c = p.pointee
                if c == 0x22 { guard scanString(&p, end) != nil else { return false }; continue }
                if c == 0x7B || c == 0x5B { depth += 1 } else if c == 0x7D || c == 0x5D {
                    depth -= 1
                    if depth == 0 { p += 1; return true }
                }
                p += 1
            }
            return false
        default:
            let start = p
            while p < end, p.pointee != 0x2C, p.pointee != 0x7D, p.pointee != 0x5D { p += 1 }
            return p > start
        }
    }

    /// JSON string escapes decoded into scratch; the raw bytes are returned when there are none.
    private func unescape(_ raw: ByteSlice, _ context: inout ParseContext) -> ByteSlice {
        guard raw.firstIndex(of: 0x5C) != nil else { return raw }
        let out = context.reserve(raw.count)
        var n = 0
        var i = 0
        while i < raw.count {
            let c = raw[i]
            guard c == 0x5C, i + 1 < raw.count else { out[n] = c; n += 1; i += 1; continue }
            let e = raw[i + 1]
            i += 2
            switch e {
            case 0x6E: out[n] = 0x0A
            case 0x74: out[n] = 0x09
            case 0x72: out[n] = 0x0D
            case 0x62: out[n] = 0x08
            case 0x66: out[n] = 0x0C
            case 0x75:
                // \uXXXX: encode as UTF-8 (surrogate pairs are rare in logs; a lone one becomes U+FFFD).
                var scalar: UInt32 = 0xFFFD
                if i + 4 <= raw.count, let v = UInt32(raw.dropFirst(i).prefix(4).string, radix: 16) { scalar = (v >= 0xD800 && v < 0xE000) ? 0xFFFD : v }
                i = min(i + 4, raw.count)
                for b in String(UnicodeScalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8 { out[n] = b; n += 1 }
                continue
            default: out[n] = e
            }
            n += 1
        }
        return ByteSlice(base: UnsafePointer(out), count: n)
    }
}

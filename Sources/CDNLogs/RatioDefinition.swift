/// Which requests count as hits, and which are left out of the denominator. Vendors define the
/// hit ratio differently (on one realistic log the definitions give 70–78%), so the report
/// always prints the definition beside the number, and `--ratio` picks a vendor's.
public enum RatioDefinition: String, CaseIterable, Sendable {
    case cache, fastly, cloudfront, cloudflare, akamai

    /// One sentence: the formula and what it leaves out.
    public var text: String {
        switch self {
        case .cache:
            return "(HIT+STALE+REVAL) / (HIT+STALE+REVAL+MISS+PASS); ERROR, EDGE, NONE and unknown values left out"
        case .fastly:
            return "Fastly's: (HIT+STALE+REVAL) / (HIT+STALE+REVAL+MISS); PASS, ERROR, EDGE, NONE and unknown values left out"
        case .cloudfront:
            return "CloudFront's CacheHitRate: (HIT+STALE+REVAL) / cacheable requests (HIT+STALE+REVAL+MISS on GET/HEAD); PASS, errors, other methods, EDGE, NONE and unknown values left out"
        case .cloudflare:
            return "Cloudflare's: (HIT+STALE+REVAL) / all requests with a known cache status"
        case .akamai:
            return "Akamai's offload: answered without the origin (HIT+STALE+REVAL+EDGE) / all requests with a known cache status"
        }
    }

    public var summary: String {
        switch self {
        case .cache: return "hits over hits, misses and passes (the default)"
        case .fastly: return "hits over hits and misses: PASS left out"
        case .cloudfront: return "hits over cacheable requests (GET/HEAD, not PASS, not errors)"
        case .cloudflare: return "hits over all requests"
        case .akamai: return "hits and edge answers over all requests"
        }
    }

    /// The classes counted as served from cache (the numerator).
    public var servedClasses: [CacheClass] {
        self == .akamai ? [.hit, .stale, .reval, .edge] : [.hit, .stale, .reval]
    }

    /// The classes in the denominator.
    public var baseClasses: [CacheClass] {
        switch self {
        case .cache: return [.hit, .stale, .reval, .miss, .pass]
        case .fastly, .cloudfront: return [.hit, .stale, .reval, .miss]
        case .cloudflare, .akamai: return CacheClass.allCases.filter { $0 != .unknown }
        }
    }

    /// MISSes on methods other than GET/HEAD leave the denominator (CloudFront's cacheable requests).
    public var excludesUnsafeMisses: Bool { self == .cloudfront }

    // One formula for Swift and for the SQL `cdn sql` prints: both read the class lists above.
    private func counts(_ t: Tally, _ values: (Tally, Int) -> UInt64, unsafe: UInt64) -> (served: UInt64, base: UInt64) {
        let served = servedClasses.reduce(UInt64(0)) { $0 + values(t, $1.rawValue) }
        var base = baseClasses.reduce(UInt64(0)) { $0 + values(t, $1.rawValue) }
        if excludesUnsafeMisses { base -= min(unsafe, values(t, CacheClass.miss.rawValue)) }
        return (served, base)
    }

    /// (requests served from cache, requests in the denominator).
    public func requests(_ t: Tally) -> (served: UInt64, base: UInt64) {
        counts(t, { $0.requests($1) }, unsafe: t.unsafeMissRequests)
    }

    public func bytes(_ t: Tally) -> (served: UInt64, base: UInt64) {
        counts(t, { $0.bytes($1) }, unsafe: t.unsafeMissBytes)
    }

    /// nil when nothing is in the denominator.
    public func hitRatio(_ t: Tally) -> Double? {
        let (served, base) = requests(t)
        return base == 0 ? nil : Double(served) / Double(base)
    }

    public func byteHitRatio(_ t: Tally) -> Double? {
        let (served, base) = bytes(t)
        return base == 0 ? nil : Double(served) / Double(base)
    }
}

extension Tally {
    /// Bytes of requests whose cache class is not known: NONE (no cache-status value) and
    /// UNKNOWN (a value no vendor table has). They are neither hits nor misses.
    public var unclassifiedBytes: UInt64 { bytes(.none) + bytes(.unknown) }

    /// 1 − origin bytes / bytes served, over the bytes whose origin share is known: every byte
    /// when the log measured origin bytes for every request, else the bytes of known classes
    /// (origin bytes are then estimated from MISS and PASS, which says nothing of NONE and
    /// UNKNOWN). Nil when no such byte was served.
    public func originOffload(originMeasured: Bool) -> Double? {
        let known = originMeasured ? totalBytes : totalBytes - unclassifiedBytes
        return known == 0 ? nil : 1 - Double(originBytes) / Double(known)
    }

    /// A tally holding only one class's requests and bytes (for the per-class rows).
    public func only(_ c: CacheClass) -> Tally {
        var t = Tally()
        t.set(c, requests: requests(c), bytes: bytes(c))
        t.totalRequests = requests(c)
        t.totalBytes = bytes(c)
        if c == .miss { t.unsafeMissRequests = unsafeMissRequests; t.unsafeMissBytes = unsafeMissBytes }
        if c == .pass { t.passCacheableRequests = passCacheableRequests; t.passCacheableBytes = passCacheableBytes }
        return t
    }
}

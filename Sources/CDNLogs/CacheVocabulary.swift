/// One vendor's cache-status values and the class each maps to, as each vendor documents them
/// (docs/log-formats.md lists them; `scalectl cdn formats` prints this table). Matching works on bytes: exact values first, then prefixes and
/// suffixes in table order, so `HIT-STALE` is not taken for `HIT`.
public struct CacheVocabulary: Sendable {
    public enum Rule: Sendable {
        case exact(String)
        case prefix(String)
        case suffix(String)
    }

    public struct Entry: Sendable {
        public var rule: Rule
        public var cacheClass: CacheClass
        /// The value says the stored copy had expired (nginx EXPIRED, Cloudflare expired, a
        /// Squid refresh that fetched a new body): evidence for "TTL too short".
        public var expired: Bool
    }

    /// A second field that overrides the cache-status field for one value: CloudFront writes
    /// `Miss` in x-edge-result-type and `OriginShieldHit` in x-edge-detailed-result-type when
    /// Origin Shield answered. Where the first field is `primary` and `field` is `value`, the
    /// request's value is `value` (classified by `entries` like any other).
    public struct Refinement: Sendable {
        public var field: String
        public var primary: String
        public var value: String
    }

    public var name: String
    /// Where the format keeps the value, for the documentation table.
    public var field: String
    public var entries: [Entry]
    /// Compare ignoring ASCII case (Cloudflare's values are lower case, others upper).
    public var caseInsensitive: Bool
    /// Suffixes stripped before matching (`TCP_MISS_ABORTED` is a MISS).
    public var strippedSuffixes: [String]
    /// Second fields read when the first holds no verdict, in order (CloudFront logs `Error` in
    /// x-edge-result-type when the viewer went away; x-edge-response-result-type then says what
    /// the answer was).
    ///
    /// How the rules combine, the one definition the parser and the SQL of `cdn sql` both
    /// follow: the value starts as the first field (`-` is none); each fallback in order
    /// replaces it when it is none or one of `replaces` and the fallback's field is neither none
    /// nor one of `ignores`; then each refinement in order replaces it when the *first field*
    /// is `primary` and the refinement's field is `value`. A field the log lacks is none.
    public var fallbacks: [Fallback]

    public struct Fallback: Sendable {
        /// The field's name as the log's header writes it.
        public var field: String
        /// Values of the value so far that give way to this field (an empty value or `-` always does).
        public var replaces: [String]
        /// Values of this field that are not taken.
        public var ignores: [String]
    }

    /// Rules that read a second field to refine the first field's value (CloudFront's
    /// OriginShieldHit in x-edge-detailed-result-type over Miss). The parser and `cdn sql` follow these.
    public var refinements: [Refinement]

    // Byte copies of the rules, so the hot path never touches String; the exact values also
    // packed in one block, eight bytes each (longer ones go through the general path).
    /// What `lookup` found: the entry (by index), its class, and whether the value is the
    /// entry's word byte for byte, so that counting it by index loses nothing (not so for a
    /// prefix or suffix rule, a stripped suffix, or a different case).
    struct Match {
        var index: Int
        var cacheClass: CacheClass
        var expired: Bool
        var verbatim: Bool
    }

    private let exact: [(bytes: [UInt8], original: [UInt8], index: Int)]
    private let packed: PackedWords
    /// The packed words are the whole answer for a value that is one of them byte for byte.
    private let packedFirst: Bool
    private let affixes: [(bytes: [UInt8], isPrefix: Bool, index: Int)]
    private let suffixBytes: [[UInt8]]
    /// Each entry's class and expiry, so a lookup copies no `Entry` (its rule holds a String).
    private let classes: [CacheClass]
    private let expiredFlags: [Bool]

    init(name: String, field: String, caseInsensitive: Bool = false, strippedSuffixes: [String] = [],
         fallbacks: [Fallback] = [], refinements: [Refinement] = [], _ rows: [(Rule, CacheClass, Bool)]) {
        self.fallbacks = fallbacks
        self.name = name
        self.field = field
        self.caseInsensitive = caseInsensitive
        self.strippedSuffixes = strippedSuffixes
        self.refinements = refinements
        entries = rows.map { Entry(rule: $0.0, cacheClass: $0.1, expired: $0.2) }
        var exact: [([UInt8], [UInt8], Int)] = []
        var affixes: [([UInt8], Bool, Int)] = []
        for (index, entry) in entries.enumerated() {
            switch entry.rule {
            case .exact(let text): exact.append((Self.fold(Array(text.utf8), caseInsensitive), Array(text.utf8), index))
            case .prefix(let text): affixes.append((Self.fold(Array(text.utf8), caseInsensitive), true, index))
            case .suffix(let text): affixes.append((Self.fold(Array(text.utf8), caseInsensitive), false, index))
            }
        }
        self.exact = exact.map { (bytes: $0.0, original: $0.1, index: $0.2) }
        packed = PackedWords(exact.filter { $0.0.count <= 8 }.map { ($0.0, $0.2) })
        packedFirst = !caseInsensitive && strippedSuffixes.isEmpty
        self.affixes = affixes.map { (bytes: $0.0, isPrefix: $0.1, index: $0.2) }
        suffixBytes = strippedSuffixes.map { Self.fold(Array($0.utf8), caseInsensitive) }
        classes = entries.map(\.cacheClass)
        expiredFlags = entries.map(\.expired)
    }

    private static func fold(_ bytes: [UInt8], _ caseInsensitive: Bool) -> [UInt8] {
        caseInsensitive ? bytes.map(ByteScan.lower) : bytes
    }

    /// The entry for `value`, or nil when the value is unknown to this vendor.
    @inline(__always)
    func lookup(_ value: ByteSlice) -> Match? {
        guard value.count > 0, let base = value.base else { return nil }
        // Most values are short exact words (HIT, MISS, hit…): one 8-byte compare each, inline.
        if packedFirst, value.count <= 8, let index = packed.find(base, value.count) { return match(index, verbatim: true) }
        return lookupRules(base, value.count)
    }

    /// `lookup` by the rules: suffixes stripped, exact words, then prefixes and suffixes.
    private func lookupRules(_ base: UnsafePointer<UInt8>, _ count: Int) -> Match? {
        var length = count
        // Strip outcome suffixes (`_ABORTED`, then `_IGNORED` before it) before matching.
        for suffix in suffixBytes where length > suffix.count {
            if Self.equal(base + (length - suffix.count), suffix.count, suffix, caseInsensitive) { length -= suffix.count }
        }
        for item in exact where item.bytes.count == length {
            if Self.equal(base, length, item.bytes, caseInsensitive) {
                return match(item.index, verbatim: length == count && (!caseInsensitive || Self.equal(base, length, item.original, false)))
            }
        }
        for item in affixes where item.bytes.count <= length {
            let start = item.isPrefix ? base : base + (length - item.bytes.count)
            if Self.equal(start, item.bytes.count, item.bytes, caseInsensitive) { return match(item.index, verbatim: false) }
        }
        return nil
    }

    @inline(__always)
    private func match(_ index: Int, verbatim: Bool) -> Match {
        Match(index: index, cacheClass: classes[index], expired: expiredFlags[index], verbatim: verbatim)
    }

    @inline(__always)
    private static func equal(_ pointer: UnsafePointer<UInt8>, _ count: Int, _ bytes: [UInt8], _ fold: Bool) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<count {
                let c = fold ? ByteScan.lower(pointer[i]) : pointer[i]
                if c != b[i] { return false }
            }
            return true
        }
    }
}

extension CacheVocabulary {
    public static let nginx = CacheVocabulary(name: "nginx", field: "$upstream_cache_status", [
        (.exact("HIT"), .hit, false),
        (.exact("STALE"), .stale, false), (.exact("UPDATING"), .stale, false),
        (.exact("REVALIDATED"), .reval, false),
        (.exact("MISS"), .miss, false), (.exact("EXPIRED"), .miss, true),
        (.exact("BYPASS"), .pass, false),
        (.exact("-"), .none, false),
    ])

    public static let varnish = CacheVocabulary(name: "varnish", field: "%{Varnish:handling}x or %{Varnish:hitmiss}x", [
        (.exact("hit"), .hit, false),
        (.exact("miss"), .miss, false),
        (.exact("pass"), .pass, false), (.exact("pipe"), .pass, false),
        (.exact("synth"), .edge, false),
        (.exact("-"), .none, false),
    ])

    /// mod_cache sets `cache-status` to the reason itself when it declines to store a response
    /// (cache_save_filter in httpd's modules/cache/mod_cache.c): those are PASS. A 5xx answered
    /// from a stale copy (CacheStaleOnError) is `cache hit: 503 status; stale content returned`.
    public static let apache = CacheVocabulary(name: "apache", field: "%{cache-status}e (mod_cache)", [
        (.exact("cache hit"), .hit, false),
        (.suffix("status; stale content returned"), .stale, false),
        (.prefix("conditional cache hit"), .reval, false),
        (.prefix("conditional cache miss"), .miss, false),
        (.prefix("cache miss: attempting entity save"), .miss, false),
        (.prefix("cache miss: cache unwilling to store"), .pass, false),
        (.prefix("cache miss: no-store"), .pass, false),
        (.suffix("no-store present"), .pass, false),
        (.prefix("cache invalidated"), .pass, false),
        (.prefix("cache miss"), .miss, false),
        // The reasons mod_cache gives for not storing a response.
        (.prefix("Response status "), .pass, false),
        (.prefix("Broken expires header: "), .pass, false),
        (.exact("Expires header already expired; not cacheable"), .pass, false),
        (.exact("s-maxage or max-age zero and no Last-Modified or Etag; not cacheable"), .pass, false),
        (.exact("Query string present but no explicit expiration time"), .pass, false),
        (.exact("HTTP Status 304 Not Modified"), .pass, false),
        (.exact("No Last-Modified; Etag; Expires; Cache-Control:max-age or Cache-Control:s-maxage headers"), .pass, false),
        (.exact("Cache-Control: private present"), .pass, false),
        (.exact("Authorization required"), .pass, false),
        (.exact("Vary header contains '*'"), .pass, false),
        (.exact("environment variable 'no-cache' is set"), .pass, false),
        (.exact("r->no_cache present"), .pass, false),
        (.exact("updated entity is older than cached entity"), .pass, false),
        (.prefix("contradiction: 304 Not Modified"), .pass, false),
        (.exact("-"), .none, false),
    ])

    public static let fastly = CacheVocabulary(name: "fastly", field: "%{fastly_info.state}V", [
        (.exact("HIT"), .hit, false), (.exact("HIT-CLUSTER"), .hit, false), (.exact("HIT-WAIT"), .hit, false),
        (.exact("HIT-STALE"), .stale, false), (.exact("HIT-STALE-CLUSTER"), .stale, false),
        (.exact("HIT-SYNTH"), .edge, false),
        (.exact("MISS"), .miss, false), (.exact("MISS-CLUSTER"), .miss, false),
        (.exact("PASS"), .pass, false), (.exact("HITPASS"), .pass, false),
        (.exact("PASS-CLUSTER"), .pass, false), (.exact("PASS-WAIT"), .pass, false),
        (.exact("ERROR"), .error, false), (.exact("ERROR-LOSTHDR"), .error, false),
        (.suffix("-REFRESH"), .reval, false),
        (.prefix("MISS-WAIT"), .miss, false),
        (.prefix("BG-ERROR-"), .error, false), (.prefix("ERROR-"), .error, false),
    ])

    public static let cloudfront = CacheVocabulary(
        name: "cloudfront", field: "x-edge-result-type, x-edge-response-result-type, x-edge-detailed-result-type",
        fallbacks: [Fallback(field: "x-edge-response-result-type", replaces: ["Error"], ignores: ["Error"])],
        refinements: [Refinement(field: "x-edge-detailed-result-type", primary: "Miss", value: "OriginShieldHit")], [
        (.exact("Hit"), .hit, false), (.exact("OriginShieldHit"), .hit, false),
        (.exact("RefreshHit"), .reval, false),
        (.exact("Miss"), .miss, false),
        (.exact("Error"), .error, false), (.exact("LimitExceeded"), .error, false), (.exact("CapacityExceeded"), .error, false),
        (.exact("Redirect"), .edge, false),
    ])

    public static let cloudflare = CacheVocabulary(name: "cloudflare", field: "CacheCacheStatus", caseInsensitive: true, [
        (.exact("hit"), .hit, false), (.exact("stream_hit"), .hit, false),
        (.exact("stale"), .stale, false), (.exact("updating"), .stale, false),
        (.exact("revalidated"), .reval, false),
        (.exact("miss"), .miss, false), (.exact("expired"), .miss, true),
        (.exact("bypass"), .pass, false), (.exact("dynamic"), .pass, false),
        (.exact("unknown"), .edge, false), (.exact("none"), .edge, false),
    ])

    /// Akamai logs two flags, not a word: the parser turns them into `hit`, `miss` or
    /// `uncacheable` (cacheable 0) before the lookup.
    public static let akamai = CacheVocabulary(name: "akamai", field: "cacheStatus, cacheable", [
        (.exact("hit"), .hit, false),
        (.exact("miss"), .miss, false),
        (.exact("uncacheable"), .pass, false),
    ])

    /// Squid's tags (src/LogTags.cc): `TCP_` then `CF_` when the request was collapsed onto
    /// another's fetch, the outcome, then `_IGNORED`, `_TIMEDOUT` or `_ABORTED`. `TAG_NONE` and
    /// `NONE…` are requests that failed before any cache lookup.
    public static let squid = CacheVocabulary(name: "squid", field: "field 4, CODE/status", strippedSuffixes: ["_ABORTED", "_TIMEDOUT", "_IGNORED"],
                                              withCollapsed([
        (.exact("TCP_HIT"), .hit, false), (.exact("TCP_MEM_HIT"), .hit, false), (.exact("TCP_IMS_HIT"), .hit, false),
        (.exact("TCP_INM_HIT"), .hit, false), (.exact("TCP_NEGATIVE_HIT"), .hit, false), (.exact("TCP_OFFLINE_HIT"), .hit, false),
        (.exact("TCP_REFRESH_UNMODIFIED"), .reval, false),
        (.exact("TCP_REFRESH_FAIL_OLD"), .stale, false), (.exact("TCP_STALE_HIT"), .stale, false),
        (.exact("TCP_MISS"), .miss, false), (.exact("TCP_REFRESH_MODIFIED"), .miss, true),
        (.exact("TCP_CLIENT_REFRESH_MISS"), .miss, false), (.exact("TCP_SWAPFAIL_MISS"), .miss, false),
        (.exact("TCP_TUNNEL"), .pass, false),
        (.exact("TCP_REDIRECT"), .edge, false),
        (.exact("TCP_DENIED"), .error, false), (.exact("TCP_DENIED_REPLY"), .error, false), (.exact("TCP_REFRESH_FAIL_ERR"), .error, false),
        (.exact("TAG_NONE"), .error, false), (.prefix("NONE"), .error, false),
    ]))

    /// Each cache-lookup outcome `TCP_X` (a hit, stale, revalidation or miss) again as
    /// `TCP_CF_X`, Squid's spelling when collapsed forwarding joined the request to another
    /// one's fetch: the same outcome.
    private static func withCollapsed(_ rows: [(Rule, CacheClass, Bool)]) -> [(Rule, CacheClass, Bool)] {
        rows + rows.compactMap { row in
            guard case .exact(let value) = row.0, value.hasPrefix("TCP_"), [.hit, .stale, .reval, .miss].contains(row.1) else { return nil }
            return (.exact("TCP_CF_" + value.dropFirst(4)), row.1, row.2)
        }
    }

    /// Traffic Server's cache result codes (admin guide, "Logging Cache Results").
    public static let ats = CacheVocabulary(name: "ats", field: "field 4, %<crc>/%<pssc>", [
        (.exact("TCP_HIT"), .hit, false), (.exact("TCP_MEM_HIT"), .hit, false), (.exact("TCP_IMS_HIT"), .hit, false),
        (.exact("TCP_CF_HIT"), .hit, false),
        (.exact("TCP_REFRESH_HIT"), .reval, false),
        (.exact("TCP_REF_FAIL_HIT"), .stale, false),
        (.exact("TCP_MISS"), .miss, false), (.exact("TCP_REFRESH_MISS"), .miss, true),
        (.exact("TCP_CLIENT_REFRESH"), .miss, false), (.exact("TCP_IMS_MISS"), .miss, false), (.exact("TCP_SWAPFAIL"), .miss, false),
        (.prefix("ERR_"), .error, false),
    ])

    /// HAProxy has no cache word of its own: the server `<CACHE>` means its cache answered;
    /// a captured `X-Cache`-style header is read with the common words of upstream caches.
    public static let haproxy = CacheVocabulary(name: "haproxy", field: "server <CACHE>, or a captured X-Cache header", caseInsensitive: true, [
        (.exact("<CACHE>"), .hit, false),
        (.exact("HIT"), .hit, false), (.prefix("HIT from"), .hit, false), (.prefix("TCP_HIT"), .hit, false),
        (.exact("STALE"), .stale, false), (.exact("UPDATING"), .stale, false),
        (.exact("REVALIDATED"), .reval, false),
        (.exact("MISS"), .miss, false), (.prefix("MISS from"), .miss, false), (.exact("EXPIRED"), .miss, true),
        (.exact("BYPASS"), .pass, false), (.exact("PASS"), .pass, false),
        (.exact("<NOSRV>"), .edge, false),
        (.exact("-"), .none, false),
    ])

    /// Every vendor table, in the order the documentation lists them.
    public static let all: [CacheVocabulary] = [cloudfront, fastly, cloudflare, akamai, nginx, varnish, apache, haproxy, squid, ats]
}

/// Up to eight-byte words as integers (zero-padded), for a lookup without loops over bytes.
final class PackedWords: @unchecked Sendable {
    private let words: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int>
    private let indices: UnsafeMutablePointer<Int>
    private let count: Int

    init(_ items: [([UInt8], Int)]) {
        count = items.count
        words = .allocate(capacity: max(count, 1))
        lengths = .allocate(capacity: max(count, 1))
        indices = .allocate(capacity: max(count, 1))
        for (k, (bytes, index)) in items.enumerated() {
            words[k] = bytes.withUnsafeBufferPointer { $0.baseAddress.map { Self.word($0, min(bytes.count, 8)) } ?? 0 }
            lengths[k] = bytes.count
            indices[k] = index
        }
    }

    deinit { words.deallocate(); lengths.deallocate(); indices.deallocate() }

    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        let w = Self.word(p, n)
        for k in 0..<count where words[k] == w && lengths[k] == n { return indices[k] }
        return nil
    }

    /// The `n` (at most 8) bytes at `p` as a little-endian integer, zero-padded: two loads
    /// that overlap in the middle, none outside the bytes (a value may end its buffer).
    @inline(__always)
    static func word(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        let r = UnsafeRawPointer(p)
        switch n {
        case 0: return 0
        case 1: return UInt64(p[0])
        case 2, 3:
            return UInt64(r.loadUnaligned(as: UInt16.self)) | UInt64(r.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)) << (8 * UInt64(n - 2))
        case 4...7:
            return UInt64(r.loadUnaligned(as: UInt32.self)) | UInt64(r.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << (8 * UInt64(n - 4))
        default:
            return r.loadUnaligned(as: UInt64.self)
        }
    }
}

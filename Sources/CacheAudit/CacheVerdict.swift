/// The kinds of cache a response meets on its way (RFC 9111 §1: private and shared caches;
/// RFC 9213: CDNs, shared caches that obey CDN-Cache-Control first), and the four CDNs whose
/// documented defaults VendorVerdicts models when a response shows it passed through one.
public enum CacheClass: String, Sendable, CaseIterable {
    case browser, shared, cdn
    case fastly, cloudflare, cloudfront, akamai

    /// The classes every response gets a verdict for.
    public static let standard: [CacheClass] = [.browser, .shared, .cdn]
    /// The vendors, in the order their rows are printed when detected.
    public static let vendors: [CacheClass] = [.fastly, .cloudflare, .cloudfront, .akamai]

    public var isShared: Bool { self != .browser }
}

/// Where a freshness lifetime came from (RFC 9111 §4.2.1, in precedence order).
public enum LifetimeSource: String, Sendable {
    case cdnSMaxage = "cdn-cache-control s-maxage"
    case cdnMaxAge = "cdn-cache-control max-age"
    case sMaxage = "s-maxage"
    case maxAge = "max-age"
    case expires = "expires - date"
    case expiresInvalid = "expires (invalid)"
    case heuristic = "heuristic 10% of date - last-modified"
    /// Storable but with nothing to compute a lifetime from: stale at once.
    case none = "none"
    // Vendor rows (VendorVerdicts): where each vendor's documented default takes its TTL from.
    case surrogateMaxAge = "surrogate-control max-age"
    case cloudflareCDNSMaxage = "cloudflare-cdn-cache-control s-maxage"
    case cloudflareCDNMaxAge = "cloudflare-cdn-cache-control max-age"
    case edgeControlMaxAge = "edge-control max-age"
    case fastlyFallback = "fastly fallback ttl"
    case cloudflareStatusDefault = "cloudflare default ttl for the status"
    case cloudfrontDefaultTTL = "cloudfront default ttl"
    case cloudfrontMaxTTL = "cloudfront max ttl"
    case cloudfrontErrorTTL = "cloudfront error caching minimum ttl"
    /// Set by the CDN's own configuration, which a response does not show (Akamai's property TTL).
    case configuration = "property configuration"
}

/// What one class of cache does with a response.
public struct CacheVerdict: Sendable, Equatable {
    public var cacheClass: CacheClass
    public var storable: Bool
    /// Why (not): `no-store`, `private`, `status 500 not heuristically cacheable`, …
    public var reason: String
    /// Seconds; nil when not storable.
    public var lifetime: Int64?
    public var lifetimeSource: LifetimeSource?
    /// Current age at `now` (§4.2.3).
    public var currentAge: Int64
    /// lifetime - current age; negative when stale.
    public var left: Int64?
    /// no-cache: stored, but revalidated before every reuse.
    public var revalidateEachUse: Bool
    /// Vary: * — stored, never reused (§4.1).
    public var reusable: Bool
    public var staleWhileRevalidate: Int64?
    public var staleIfError: Int64?
    /// must-revalidate, proxy-revalidate or s-maxage (shared): no stale serving at all.
    public var staleForbiddenBy: String?
    public var immutable: Bool
    /// Vendor rows: the response fields that showed the vendor (`cf-ray`, `x-amz-cf-id`, ...).
    public var evidence: String? = nil

    /// `fresh`, `stale`, `revalidate`, `not stored`, `never reused`.
    public var state: String {
        guard storable else { return "not stored" }
        if !reusable { return "never reused" }
        if revalidateEachUse { return "revalidate" }
        // Stored for a time only the CDN's configuration knows.
        if lifetime == nil { return "per config" }
        return (left ?? 0) > 0 ? "fresh" : "stale"
    }

    /// The stale policy in a few words for the table.
    public var stalePolicy: String {
        guard storable else { return "-" }
        if let staleForbiddenBy { return "none (\(staleForbiddenBy))" }
        var parts: [String] = []
        if let staleWhileRevalidate { parts.append("swr \(staleWhileRevalidate)s") }
        if let staleIfError { parts.append("sie \(staleIfError)s") }
        return parts.isEmpty ? "cache's choice" : parts.joined(separator: ", ")
    }
}

/// RFC 9111 arithmetic: storability (§3), lifetime (§4.2.1, §4.2.2), age (§4.2.3), stale rules (§4.2.4).
public enum Freshness {
    /// RFC 9110 §15.1: statuses a cache may give a heuristic lifetime.
    public static let heuristicallyCacheable: Set<Int> = [200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501]
    /// The usual heuristic fraction of (Date - Last-Modified) (§4.2.2).
    public static let heuristicFraction: Int64 = 10

    /// Why a class will not store a status that is not heuristically cacheable (§3): CACHE005
    /// finds the classes by it.
    static func statusRefusal(_ status: Int) -> String {
        "status \(status) is not heuristically cacheable and has no explicit freshness"
    }

    /// §4.2.3 current age, from the receipt time, the request time and `now`.
    public static func currentAge(_ exchange: Exchange, _ fields: ResponseFields) -> Int64 {
        initialAge(exchange, fields) + max(0, exchange.now - exchange.receivedAt)
    }

    /// §4.2.3 corrected_initial_age = max(apparent_age, age_value + response_delay).
    public static func initialAge(_ exchange: Exchange, _ fields: ResponseFields) -> Int64 {
        let dateValue = fields.date.seconds ?? exchange.receivedAt
        let apparentAge = max(0, exchange.receivedAt - dateValue)
        let responseDelay = max(0, exchange.receivedAt - exchange.requestTime)
        let correctedAgeValue = (fields.age.seconds ?? 0) + responseDelay
        return max(apparentAge, correctedAgeValue)
    }

    /// The Cache-Control a class obeys: a CDN uses a valid CDN-Cache-Control and then ignores
    /// Cache-Control and Expires (RFC 9213 §2.2).
    static func directives(for cacheClass: CacheClass, _ fields: ResponseFields) -> (CacheControl, usesTargeted: Bool) {
        if cacheClass == .cdn, let targeted = fields.usableCDNCacheControl {
            return (CDNDirectives.asCacheControl(targeted), true)
        }
        return (fields.cacheControl, false)
    }

    public static func verdict(_ cacheClass: CacheClass, _ exchange: Exchange, _ fields: ResponseFields) -> CacheVerdict {
        let (cc, targeted) = directives(for: cacheClass, fields)
        let age = currentAge(exchange, fields)
        var verdict = CacheVerdict(cacheClass: cacheClass, storable: false, reason: "", lifetime: nil, lifetimeSource: nil,
                                   currentAge: age, left: nil, revalidateEachUse: false, reusable: true,
                                   staleWhileRevalidate: nil, staleIfError: nil, staleForbiddenBy: nil,
                                   immutable: cc.has("immutable"))
        let method = exchange.method.uppercased()
        let hasExpires = !targeted && fields.expires.isPresent
        let explicit = cc.has("max-age") || (cacheClass.isShared && cc.has("s-maxage")) || hasExpires
        // §3: every condition must hold for a cache to store the response.
        if method != "GET" && method != "HEAD" {
            verdict.reason = "method \(method) is not cacheable by default"
            return verdict
        }
        if exchange.status < 200 || exchange.status == 304 {
            verdict.reason = exchange.status == 304 ? "304 updates a stored response" : "status \(exchange.status) is not final"
            return verdict
        }
        if let refusal = MustUnderstand.refusal(cc, status: exchange.status) {
            verdict.reason = refusal
            return verdict
        }
        if MustUnderstand.noStoreApplies(cc, status: exchange.status) {
            verdict.reason = "no-store"
            return verdict
        }
        if cacheClass.isShared, cc.has("private") {
            verdict.reason = "private"
            return verdict
        }
        if cacheClass.isShared, exchange.requestHeaders.has("authorization"),
           !(cc.has("public") || cc.has("s-maxage") || cc.has("must-revalidate")) {
            verdict.reason = "request had Authorization (§3.5)"
            return verdict
        }
        let heuristicStatus = heuristicallyCacheable.contains(exchange.status)
        guard explicit || cc.has("public") || (!cacheClass.isShared && cc.has("private")) || heuristicStatus else {
            verdict.reason = statusRefusal(exchange.status)
            return verdict
        }
        verdict.storable = true
        verdict.reason = targeted ? "stored per CDN-Cache-Control" : "stored"
        if cc.has("no-store") { verdict.reason += "; must-understand overrides no-store (§5.2.2.3)" }

        // §4.2.1 lifetime, first match wins.
        let dateOrReceipt = fields.date.seconds ?? exchange.receivedAt
        if cacheClass.isShared, let s = cc.seconds("s-maxage") {
            verdict.lifetime = s
            verdict.lifetimeSource = targeted ? .cdnSMaxage : .sMaxage
        } else if let m = cc.seconds("max-age") {
            verdict.lifetime = m
            verdict.lifetimeSource = targeted ? .cdnMaxAge : .maxAge
        } else if hasExpires {
            if let expires = fields.expires.seconds {
                verdict.lifetime = max(0, expires - dateOrReceipt)
                verdict.lifetimeSource = .expires
            } else {
                verdict.lifetime = 0
                verdict.lifetimeSource = .expiresInvalid
            }
        } else if heuristicStatus || cc.has("public"), let modified = fields.lastModified.seconds {
            verdict.lifetime = max(0, dateOrReceipt - modified) / heuristicFraction
            verdict.lifetimeSource = .heuristic
        } else {
            verdict.lifetime = 0
            verdict.lifetimeSource = LifetimeSource.none
        }
        verdict.left = (verdict.lifetime ?? 0) - age
        verdict.revalidateEachUse = cc.has("no-cache")
        verdict.reusable = !fields.vary.contains("*")
        if !verdict.reusable { verdict.reason = "stored, but Vary: * never matches (§4.1)" }

        // §4.2.4 and RFC 5861: stale serving.
        if cc.has("must-revalidate") {
            verdict.staleForbiddenBy = "must-revalidate"
        } else if cacheClass.isShared, cc.has("proxy-revalidate") {
            verdict.staleForbiddenBy = "proxy-revalidate"
        } else if cacheClass.isShared, cc.has("s-maxage") {
            verdict.staleForbiddenBy = "s-maxage"
        } else if verdict.revalidateEachUse {
            verdict.staleForbiddenBy = "no-cache"
        } else {
            verdict.staleWhileRevalidate = cc.delta("stale-while-revalidate")?.seconds
            // Browsers honour stale-while-revalidate only (the catalogue's CACHE034 note).
            verdict.staleIfError = cacheClass.isShared ? cc.delta("stale-if-error")?.seconds : nil
        }
        return verdict
    }

    public static func verdicts(_ exchange: Exchange, _ fields: ResponseFields) -> [CacheVerdict] {
        CacheClass.standard.map { verdict($0, exchange, fields) }
    }
}

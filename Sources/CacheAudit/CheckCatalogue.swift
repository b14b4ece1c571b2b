/// How serious a finding is; `--fail-on` compares against this order.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case info, warn, error

    var rank: Int {
        switch self {
        case .info: return 0
        case .warn: return 1
        case .error: return 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// One entry of the check catalogue (the contract in Tests/CacheAuditTests/cache-checks.json):
/// IDs, severities, messages and citations are kept verbatim so reports stay comparable across
/// versions.
public struct CheckInfo: Sendable, Equatable {
    public var id: CheckID
    public var severity: Severity
    public var group: String
    /// Needs extra requests (`--active`).
    public var active: Bool
    public var message: String
    public var cite: String

    public init(_ id: CheckID, _ severity: Severity, _ group: String, active: Bool, _ message: String, cite: String) {
        self.id = id
        self.severity = severity
        self.group = group
        self.active = active
        self.message = message
        self.cite = cite
    }
}

public enum CheckCatalogue {
    /// Every check, in catalogue order.
    public static let all: [CheckInfo] = CheckID.allCases.map(info)

    /// The entry of `id`. The switch covers every case, so an ID without an entry does not compile.
    public static func info(_ id: CheckID) -> CheckInfo {
        switch id {
        case .methodNotCacheable: CheckInfo(id, .info, "store", active: false,
            "Not storable: request method is not cacheable without explicit support (only GET/HEAD by default)",
            cite: "RFC9111 §3; RFC9110 §9.2.3")
        case .noStore: CheckInfo(id, .info, "store", active: false,
            "no-store: no cache (browser, proxy, CDN) may store this response",
            cite: "RFC9111 §5.2.2.5")
        case .privateResponse: CheckInfo(id, .info, "store", active: false,
            "private: browsers may store it; shared caches and CDNs must not",
            cite: "RFC9111 §5.2.2.7")
        case .authorizedRequest: CheckInfo(id, .info, "store", active: false,
            "Request had Authorization: shared caches may store/reuse only with public, s-maxage or must-revalidate",
            cite: "RFC9111 §3.5")
        case .statusNotStorable: CheckInfo(id, .info, "store", active: false,
            "Status is not heuristically cacheable and no explicit freshness: caches will not store it",
            cite: "RFC9111 §3; RFC9110 §15.1")
        case .noExplicitFreshness: CheckInfo(id, .warn, "freshness", active: false,
            "No explicit freshness (max-age/s-maxage/Expires): each cache picks its own heuristic lifetime",
            cite: "RFC9111 §4.2.2")
        case .setCookieOnSharedResponse: CheckInfo(id, .error, "store", active: false,
            "Set-Cookie on a response that shared caches may store: one user's cookie can be replayed to others (and many CDNs silently refuse to cache it)",
            cite: "RFC9111 §7.3")
        case .publicUnnecessary: CheckInfo(id, .info, "store", active: false,
            "public is unnecessary (no Authorization; explicit freshness already permits storage)",
            cite: "RFC9111 §5.2.2.9")
        case .publicAndPrivate: CheckInfo(id, .error, "conflict", active: false,
            "public and private both present; shared caches must honour private",
            cite: "RFC9111 §5.2.2.7, §5.2.2.9")
        case .inertBesideNoStore: CheckInfo(id, .warn, "conflict", active: false,
            "no-store makes the other directives present inert (max-age, public, ...)",
            cite: "RFC9111 §5.2.2.5, §4.2.1")
        case .mustUnderstandWithoutNoStore: CheckInfo(id, .warn, "conflict", active: false,
            "must-understand without no-store: caches that don't implement it will store the response anyway",
            cite: "RFC9111 §5.2.2.3")
        case .qualifiedPrivateOrNoCache: CheckInfo(id, .warn, "syntax", active: false,
            "Qualified private=\"..\"/no-cache=\"..\" is rarely implemented; most caches treat it as the unqualified directive",
            cite: "RFC9111 §5.2.2.4, §5.2.2.7")
        case .freshnessSummary: CheckInfo(id, .info, "freshness", active: false,
            "Summary: freshness lifetime for browser / shared cache / CDN, current age, time left",
            cite: "RFC9111 §4.2.1, §4.2.3")
        case .staleOnArrival: CheckInfo(id, .warn, "freshness", active: false,
            "Stale on arrival (max-age=0 or Expires<=Date) and no validator: every reuse is a full download",
            cite: "RFC9111 §4.2.1, §4.3")
        case .noCacheWithoutValidator: CheckInfo(id, .warn, "freshness", active: false,
            "no-cache without ETag/Last-Modified: stored but can never be cheaply revalidated; use no-store or add a validator",
            cite: "RFC9111 §5.2.2.4")
        case .noCacheRevalidates: CheckInfo(id, .info, "freshness", active: false,
            "no-cache = store but revalidate before every use (it is not no-store)",
            cite: "RFC9111 §5.2.2.4")
        case .expiresIgnored: CheckInfo(id, .info, "freshness", active: false,
            "Expires is ignored because max-age (or, for shared caches, s-maxage) is present",
            cite: "RFC9111 §5.3")
        case .invalidExpires: CheckInfo(id, .warn, "freshness", active: false,
            "Expires is not a valid HTTP-date (e.g. 0, -1): caches treat the response as already expired",
            cite: "RFC9111 §5.3")
        case .lifetimeOverflow: CheckInfo(id, .warn, "freshness", active: false,
            "Lifetime beyond 2^31 s (or Expires beyond 2038): caches clamp to 2147483648 or overflow",
            cite: "RFC9111 §1.2.2, §5.3")
        case .invalidDeltaSeconds: CheckInfo(id, .error, "syntax", active: false,
            "Invalid delta-seconds (negative, decimal, non-digit, empty): caches should treat the response as stale",
            cite: "RFC9111 §1.2.2, §4.2.1")
        case .quotedDeltaSeconds: CheckInfo(id, .warn, "syntax", active: false,
            "Quoted delta-seconds (max-age=\"60\"): senders MUST NOT use it; caches disagree on honouring it",
            cite: "RFC9111 §5.2, §5.2.2.1")
        case .repeatedDirective: CheckInfo(id, .warn, "conflict", active: false,
            "Directive repeated with different values: caches use the first or treat the response as stale",
            cite: "RFC9111 §4.2.1")
        case .sharedLifetimeDiffers: CheckInfo(id, .info, "freshness", active: false,
            "s-maxage differs from max-age: shared caches and browsers use different lifetimes",
            cite: "RFC9111 §5.2.2.10")
        case .sharedDirectiveOnPrivate: CheckInfo(id, .warn, "conflict", active: false,
            "s-maxage/proxy-revalidate combined with private has no effect: shared caches cannot store it",
            cite: "RFC9111 §5.2.2.7, §5.2.2.10")
        case .noStaleServing: CheckInfo(id, .info, "freshness", active: false,
            "No stale serving after expiry (must-revalidate, proxy-revalidate or s-maxage for shared caches)",
            cite: "RFC9111 §4.2.4, §5.2.2.2, §5.2.2.8, §5.2.2.10")
        case .mustRevalidateWithStaleWindow: CheckInfo(id, .warn, "conflict", active: false,
            "must-revalidate conflicts with stale-while-revalidate/stale-if-error; caches differ on which wins",
            cite: "RFC9111 §4.2.4; RFC5861 §3-4")
        case .staleWindow: CheckInfo(id, .info, "freshness", active: false,
            "Stale window: stale-while-revalidate=N / stale-if-error=N (extension; browsers honour SWR only)",
            cite: "RFC5861 §3, §4")
        case .immutableShortLifetime: CheckInfo(id, .warn, "freshness", active: false,
            "immutable with a short or no freshness lifetime (immutable only applies while fresh)",
            cite: "RFC8246 §2")
        case .heuristicLifetime: CheckInfo(id, .info, "freshness", active: false,
            "Heuristic estimate: 10% of (Date - Last-Modified) = N s (typical browser/proxy fraction)",
            cite: "RFC9111 §4.2.2")
        case .lastModifiedAfterDate: CheckInfo(id, .error, "validators", active: false,
            "Last-Modified is later than Date",
            cite: "RFC9110 §8.8.2.1")
        case .staleOnReceipt: CheckInfo(id, .warn, "age", active: false,
            "Age >= freshness lifetime: the response was already stale when it reached you",
            cite: "RFC9111 §4.2.3, §4.2.4")
        case .servedFromCache: CheckInfo(id, .info, "age", active: false,
            "Served from a cache (Age present); current age N s",
            cite: "RFC9111 §5.1, §4.2.3")
        case .invalidAge: CheckInfo(id, .error, "age", active: false,
            "Age is invalid or a list: caches use the first member or ignore it",
            cite: "RFC9111 §5.1")
        case .noDate: CheckInfo(id, .warn, "age", active: false,
            "No Date: age and Expires calculations fall back to receipt time",
            cite: "RFC9110 §6.6.1")
        case .invalidDate: CheckInfo(id, .error, "syntax", active: false,
            "Date or Last-Modified is not a valid HTTP-date",
            cite: "RFC9110 §5.6.7")
        case .clockSkew: CheckInfo(id, .warn, "age", active: false,
            "Clock skew: Date is more than 5 s away from receipt time (after allowing for Age)",
            cite: "RFC9110 §6.6.1; RFC9111 §4.2.3")
        case .agePenalty: CheckInfo(id, .warn, "age", active: false,
            "Date is newer than Age implies: an intermediary rewrote Date (age penalty)",
            cite: "RFC9111 §4.2.3; RFC9213 §2.3")
        case .obsoleteDateFormat: CheckInfo(id, .info, "syntax", active: false,
            "Obsolete date format (RFC 850/asctime); senders must use IMF-fixdate",
            cite: "RFC9110 §5.6.7")
        case .noValidator: CheckInfo(id, .warn, "validators", active: false,
            "Storable response without ETag or Last-Modified: revalidation re-downloads the body",
            cite: "RFC9111 §4.3.1; RFC9110 §8.8")
        case .invalidETag: CheckInfo(id, .error, "validators", active: false,
            "ETag is not a quoted entity-tag",
            cite: "RFC9110 §8.8.3")
        case .weakETag: CheckInfo(id, .info, "validators", active: false,
            "Weak ETag: fine for If-None-Match, unusable for If-Range/resumed downloads",
            cite: "RFC9110 §8.8.3.2, §13.1.5")
        case .ifNoneMatchIgnored: CheckInfo(id, .error, "validators", active: true,
            "If-None-Match with the current ETag returned the full 200, not 304",
            cite: "RFC9110 §13.1.2")
        case .ifModifiedSinceIgnored: CheckInfo(id, .error, "validators", active: true,
            "If-Modified-Since with Last-Modified returned the full 200, not 304",
            cite: "RFC9110 §13.1.3")
        case .notModifiedLacksFields: CheckInfo(id, .warn, "validators", active: true,
            "304 omits fields the 200 carried (Cache-Control, Content-Location, Date, ETag, Expires, Vary)",
            cite: "RFC9110 §15.4.5")
        case .strongETagReused: CheckInfo(id, .error, "validators", active: true,
            "Same strong ETag for different bodies (content change or gzip vs identity)",
            cite: "RFC9110 §8.8.3")
        case .unstableValidators: CheckInfo(id, .warn, "validators", active: true,
            "ETag/Last-Modified differs between two identical GETs (per-backend validators behind a load balancer)",
            cite: "RFC9110 §8.8.3")
        case .validationInconclusive: CheckInfo(id, .info, "validators", active: true,
            "Validation test inconclusive (content changed, unexpected status, fetch error)",
            cite: "-")
        case .varyStar: CheckInfo(id, .warn, "vary", active: false,
            "Vary: * - a stored response never matches a later request",
            cite: "RFC9111 §4.1; RFC9110 §12.5.5")
        case .varyUserAgent: CheckInfo(id, .warn, "vary", active: false,
            "Vary: User-Agent fragments caches (one copy per UA string)",
            cite: "RFC9110 §12.5.5")
        case .varyCookieOrAuthorization: CheckInfo(id, .warn, "vary", active: false,
            "Vary: Cookie/Authorization on a shared-cacheable response: near-zero hit ratio",
            cite: "RFC9110 §12.5.5")
        case .varyHost: CheckInfo(id, .info, "vary", active: false,
            "Vary: Host is redundant (the cache key already includes the host)",
            cite: "RFC9111 §2")
        case .varyTooComplex: CheckInfo(id, .warn, "vary", active: false,
            "Vary lists more than 3 fields (or duplicates)",
            cite: "RFC9110 §12.5.5")
        case .negotiatedWithoutVary: CheckInfo(id, .error, "vary", active: true,
            "gzip-negotiated response without Vary: Accept-Encoding",
            cite: "RFC9110 §12.5.5")
        case .varyInconsistent: CheckInfo(id, .error, "vary", active: true,
            "Vary differs between negotiated variants (or status/Content-Type differs)",
            cite: "RFC9110 §12.5.5")
        case .directiveNotLowercase: CheckInfo(id, .warn, "syntax", active: false,
            "Directive name not lowercase (case-insensitive, but some caches compare exactly)",
            cite: "RFC9111 §5.2")
        case .argumentNotAllowed: CheckInfo(id, .error, "syntax", active: false,
            "Argument on a directive that takes none (no-store=1, public=true)",
            cite: "RFC9111 §5.2")
        case .misspeltDirective: CheckInfo(id, .warn, "syntax", active: false,
            "Unknown directive, likely typo (maxage, max_age, s-max-age, no_cache, max-age:60)",
            cite: "RFC9111 §5.2.3")
        case .requestOnlyDirective: CheckInfo(id, .warn, "syntax", active: false,
            "Request-only directive in a response (max-stale, min-fresh, only-if-cached)",
            cite: "RFC9111 §5.2.1")
        case .pragmaNoCache: CheckInfo(id, .warn, "syntax", active: false,
            "Pragma: no-cache in a response has no defined effect; use Cache-Control",
            cite: "RFC9111 §5.4")
        case .ieOnlyDirective: CheckInfo(id, .info, "syntax", active: false,
            "IE-only pre-check/post-check directives (cargo cult)",
            cite: "-")
        case .warningField: CheckInfo(id, .info, "syntax", active: false,
            "Warning header is obsolete",
            cite: "RFC9111 §5.5")
        case .cdnCacheControl: CheckInfo(id, .info, "cdn", active: false,
            "CDN-Cache-Control present: RFC 9213 CDNs use it and ignore Cache-Control/Expires; CDN lifetime N s",
            cite: "RFC9213 §2.2, §3")
        case .invalidTargetedField: CheckInfo(id, .error, "cdn", active: false,
            "Targeted field is not a valid SF Dictionary or has a wrong-typed directive: CDNs ignore it and fall back",
            cite: "RFC9213 §2.1")
        case .cloudflareCDNCacheControl: CheckInfo(id, .info, "cdn", active: false,
            "Cloudflare-CDN-Cache-Control overrides CDN-Cache-Control at Cloudflare and is not forwarded",
            cite: "Cloudflare docs")
        case .surrogateControl: CheckInfo(id, .info, "cdn", active: false,
            "Surrogate-Control present: Fastly uses it before s-maxage/max-age/Expires and strips it",
            cite: "Fastly docs; W3C Edge Arch")
        case .purgeTags: CheckInfo(id, .info, "cdn", active: false,
            "Surrogate-Key/Cache-Tag present: tag-based purge available",
            cite: "Fastly/Cloudflare docs")
        case .edgeControl: CheckInfo(id, .info, "cdn", active: false,
            "Edge-Control present (Akamai): edge TTL set independently of Cache-Control",
            cite: "Akamai docs")
        case .cloudFront: CheckInfo(id, .warn, "cdn", active: false,
            "Served via CloudFront: a Minimum TTL > 0 overrides no-store/no-cache/private; verify the cache policy",
            cite: "AWS CloudFront docs")
        case .cacheStatusReported: CheckInfo(id, .info, "cdn", active: false,
            "Intermediary cache status reported (Cache-Status, X-Cache, CF-Cache-Status)",
            cite: "RFC9211")
        case .fingerprintedShortLifetime: CheckInfo(id, .warn, "policy", active: false,
            "Fingerprinted URL (hash/version in path) with lifetime < 1 year or without immutable",
            cite: "RFC8246; web practice (webhint http-cache)")
        case .longLifetimeOnHTML: CheckInfo(id, .warn, "policy", active: false,
            "Long lifetime (> 1 day) on HTML/non-fingerprinted URL: deploys won't reach browsers until expiry",
            cite: "web practice (webhint http-cache)")
        case .staticAssetShortLifetime: CheckInfo(id, .info, "policy", active: false,
            "Static asset (CSS/JS/font/image) with no or short (< 1 day) browser lifetime",
            cite: "Lighthouse uses-long-cache-ttl / cache-insight")
        case .rangeIgnored: CheckInfo(id, .warn, "range", active: true,
            "Accept-Ranges: bytes but a Range request returned 200 (or wrong bytes)",
            cite: "RFC9110 §14.2-14.4")
        case .partialLacksFields: CheckInfo(id, .warn, "range", active: true,
            "206 omits fields the 200 carried (Date, Cache-Control, ETag, Expires, Content-Location, Vary)",
            cite: "RFC9110 §15.3.7")
        }
    }
}

/// What Fastly, Cloudflare, CloudFront and Akamai do with a response, for the vendors the
/// response shows it passed through. Each rule follows the vendor's documented DEFAULT
/// configuration; a service's own settings (VCL, Cache Rules, cache policies, property rules)
/// can change every one of them, so the rows say what happens before anyone configured anything.
///
/// Sources, as read for this model:
/// - Fastly: "About cache control headers" (docs.fastly.com / fastly.com/documentation/guides/
///   full-site-delivery/caching/about-cache-control-headers): TTL from Surrogate-Control, then
///   Cache-Control s-maxage, then max-age, then Expires; `private` means do not store; `no-cache`
///   "is ignored by Fastly". "HTTP caching semantics" (fastly.com/documentation/guides/concepts/
///   edge-state/cache/cache-freshness): cacheable statuses 200 203 300 301 302 404 410.
///   "Controlling caching" (docs.fastly.com/en/guides/controlling-caching): 3600 s when no
///   header gives a TTL. Fastly's default VCL passes responses with Set-Cookie or private
///   (fastly.com/blog/cache-recipe-success) and with no-store.
/// - Cloudflare: "Default cache behavior" (developers.cloudflare.com/cache/concepts/
///   default-cache-behavior): caches by file extension only (list below), not HTML, plus
///   robots.txt; does not cache private, no-store, no-cache, max-age=0 or a response with
///   Set-Cookie; max-age wins over Expires. "CDN-Cache-Control" (…/cache/concepts/
///   cdn-cache-control): Cloudflare-CDN-Cache-Control, else CDN-Cache-Control, else
///   Cache-Control. "Cache by status code" (…/cache/how-to/configure-cache-status-code): with no
///   Cache-Control or Expires, 200 206 301 for 120 min, 302 303 for 20 min, 404 410 for 3 min,
///   other statuses not at all. Origin Cache Control is on by default for Free, Pro, Business.
/// - CloudFront: CachePolicyConfig (docs.aws.amazon.com/cloudfront/latest/APIReference/
///   API_CachePolicyConfig.html): MinTTL 0, DefaultTTL 86400 s (used when the origin sends no
///   Cache-Control max-age/s-maxage or Expires), MaxTTL 31536000 s (caps them); with MinTTL 0,
///   no-cache, no-store and private are honoured. "Control how long CloudFront caches errors"
///   (…/DeveloperGuide/custom-error-pages-expiration.html): the 4xx/5xx it caches are kept
///   max(header lifetime, 10 s). "HTTPStatusCodes": GET and HEAD only.
/// - Akamai: Edge-Control (http.dev/edge-control; techdocs.akamai.com/property-mgr/docs/
///   caching-2): `no-store` and `bypass-cache` override the property's caching behaviour;
///   `max-age` (or `cache-maxage`, with s/m/h/d units) sets the edge TTL. Without it the
///   property's Caching behaviour decides (its default option, MAX_AGE, is a TTL set in the
///   property), which no response shows: the row says "per config".
public enum VendorVerdicts {
    /// The vendors a response shows it passed through, with the fields that showed it.
    public static func detect(_ headers: [HeaderField], _ fields: ResponseFields) -> [(CacheClass, String)] {
        func present(_ names: [String]) -> [String] { names.filter { headers.has($0) } }
        func valueContains(_ name: String, _ needle: String) -> Bool {
            headers.values(name).contains { $0.asciiLowercased.contains(needle) }
        }
        var out: [(CacheClass, String)] = []
        var fastly = present(["surrogate-control", "x-fastly-request-id"])
        if headers.contains(where: { $0.name.asciiLowercased.hasPrefix("fastly-") }) { fastly.append("fastly-*") }
        // Fastly names its cache nodes cache-<pop><id> in X-Served-By.
        if headers.values("x-served-by").contains(where: { $0.asciiLowercased.trimmingOWS.hasPrefix("cache-") }) { fastly.append("x-served-by") }
        if !fastly.isEmpty { out.append((.fastly, fastly.joined(separator: ", "))) }
        var cloudflare = present(["cf-ray", "cf-cache-status", "cloudflare-cdn-cache-control"])
        if valueContains("server", "cloudflare") { cloudflare.append("server: cloudflare") }
        if !cloudflare.isEmpty { out.append((.cloudflare, cloudflare.joined(separator: ", "))) }
        // CACHE086 (CDNFieldRules) fires on this detection too.
        var cloudfront = present(["x-amz-cf-id", "x-amz-cf-pop"])
        if valueContains("via", "cloudfront") { cloudfront.append("via: cloudfront") }
        if !cloudfront.isEmpty { out.append((.cloudfront, cloudfront.joined(separator: ", "))) }
        var akamai = present(["edge-control", "akamai-cache-status", "akamai-grn", "x-akamai-request-id", "x-akamai-transformed"])
        if valueContains("server", "akamai") { akamai.append("server: akamai") }
        if !akamai.isEmpty { out.append((.akamai, akamai.joined(separator: ", "))) }
        return out
    }

    public static func verdicts(_ exchange: Exchange, _ fields: ResponseFields) -> [CacheVerdict] {
        detect(exchange.headers, fields).map { vendor, evidence in
            var v: CacheVerdict
            switch vendor {
            case .fastly: v = fastly(exchange, fields)
            case .cloudflare: v = cloudflare(exchange, fields)
            case .cloudfront: v = cloudfront(exchange, fields)
            default: v = akamai(exchange, fields)
            }
            v.evidence = evidence
            return v
        }
    }

    // MARK: - the vendors

    static let fastlyStatuses: Set<Int> = [200, 203, 300, 301, 302, 404, 410]
    static let fastlyFallbackTTL: Int64 = 3600

    public static func fastly(_ x: Exchange, _ f: ResponseFields) -> CacheVerdict {
        let cc = f.cacheControl, sc = f.surrogateControl
        var v = start(.fastly, x, f, cc: sc ?? cc)
        if let reason = methodOrStatus(x) { return refuse(v, reason) }
        guard fastlyStatuses.contains(x.status) else { return refuse(v, "status \(x.status) is not cached by Fastly by default") }
        if sc?.has("no-store") == true { return refuse(v, "Surrogate-Control: no-store") }
        if cc.has("private") { return refuse(v, "private (Fastly passes)") }
        if cc.has("no-store") { return refuse(v, "no-store (Fastly passes)") }
        if f.hasSetCookie { return refuse(v, "Set-Cookie (Fastly passes)") }
        if let s = sc?.seconds("max-age") {
            v.lifetime = s; v.lifetimeSource = .surrogateMaxAge
        } else if !explicit(cc, x, f, into: &v) {
            v.lifetime = fastlyFallbackTTL; v.lifetimeSource = .fastlyFallback
        }
        // Cache-Control: no-cache is ignored by Fastly: not revalidated on each use.
        return finish(v, f, stale: sc ?? cc, storedReason: sc != nil ? "stored per Surrogate-Control" : "stored")
    }

    /// Cloudflare's default cached file extensions (lower case).
    static let cloudflareExtensions: Set<String> = [
        "7z", "csv", "gif", "midi", "png", "tif", "zip", "avi", "doc", "gz", "mkv", "ppt", "tiff", "zst", "avif", "docx",
        "ico", "mp3", "pptx", "ttf", "apk", "dmg", "iso", "mp4", "ps", "webm", "bin", "ejs", "jar", "ogg", "rar", "webp",
        "bmp", "eot", "jpg", "otf", "svg", "woff", "bz2", "eps", "jpeg", "pdf", "svgz", "woff2", "class", "exe", "js",
        "pict", "swf", "xls", "css", "flac", "mid", "pls", "tar", "xlsx",
    ]
    static let cloudflareStatusTTL: [Int: Int64] = [200: 7200, 206: 7200, 301: 7200, 302: 1200, 303: 1200, 404: 180, 410: 180]

    public static func cloudflare(_ x: Exchange, _ f: ResponseFields) -> CacheVerdict {
        // Cloudflare-CDN-Cache-Control, else CDN-Cache-Control, else Cache-Control.
        var cc = f.cacheControl
        var header = "Cache-Control"
        var sources: (LifetimeSource, LifetimeSource) = (.sMaxage, .maxAge)
        if case .success(let d)? = f.cloudflareCDNCacheControl, !d.members.isEmpty, CDNDirectives.typeProblem(d) == nil {
            cc = CDNDirectives.asCacheControl(d); header = "Cloudflare-CDN-Cache-Control"; sources = (.cloudflareCDNSMaxage, .cloudflareCDNMaxAge)
        } else if let d = f.usableCDNCacheControl {
            cc = CDNDirectives.asCacheControl(d); header = "CDN-Cache-Control"; sources = (.cdnSMaxage, .cdnMaxAge)
        }
        let targeted = header != "Cache-Control"
        var v = start(.cloudflare, x, f, cc: cc)
        if let reason = methodOrStatus(x) { return refuse(v, reason) }
        guard let url = x.url else {
            return refuse(v, "URL unknown: Cloudflare caches by file extension only, not by Content-Type")
        }
        let path = URLPath.path(url)
        let name = path.split(separator: "/").last.map(String.init) ?? ""
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).asciiLowercased : ""
        guard cloudflareExtensions.contains(ext) || path == "/robots.txt" else {
            return refuse(v, ext.isEmpty ? "no file extension: Cloudflare does not cache HTML or extensionless paths by default"
                                         : ".\(ext) is not a default-cached extension (Cloudflare does not cache HTML by default)")
        }
        for directive in ["private", "no-store", "no-cache"] where cc.has(directive) {
            return refuse(v, "\(header): \(directive)")
        }
        if f.hasSetCookie { return refuse(v, "Set-Cookie (Cloudflare bypasses the cache)") }
        if let s = cc.seconds("s-maxage") {
            v.lifetime = s; v.lifetimeSource = sources.0
        } else if let m = cc.seconds("max-age") {
            v.lifetime = m; v.lifetimeSource = sources.1
        } else if !targeted, explicit(CacheControl(), x, f, into: &v) {
            // Expires (a targeted field replaces Expires too, RFC 9213 §2.2).
        } else if let ttl = cloudflareStatusTTL[x.status] {
            v.lifetime = ttl; v.lifetimeSource = .cloudflareStatusDefault
        } else {
            return refuse(v, "status \(x.status) is not cached by Cloudflare without Cache-Control or Expires")
        }
        if v.lifetime == 0 {
            return refuse(v, v.lifetimeSource == .expires || v.lifetimeSource == .expiresInvalid ? "Expires is not in the future" : "\(header): max-age=0")
        }
        return finish(v, f, stale: cc, storedReason: targeted ? "stored per \(header)" : "stored")
    }

    static let cloudfrontDefaultTTL: Int64 = 86_400
    static let cloudfrontMaxTTL: Int64 = 31_536_000
    static let cloudfrontErrorMinTTL: Int64 = 10
    /// The 4xx and 5xx CloudFront caches (HTTPStatusCodes, "cached errors").
    static let cloudfrontCachedErrors: Set<Int> = [400, 403, 404, 405, 414, 500, 501, 502, 503, 504]

    public static func cloudfront(_ x: Exchange, _ f: ResponseFields) -> CacheVerdict {
        let cc = f.cacheControl
        var v = start(.cloudfront, x, f, cc: cc)
        if let reason = methodOrStatus(x) { return refuse(v, reason) }
        let error = x.status >= 400
        if error, !cloudfrontCachedErrors.contains(x.status) { return refuse(v, "status \(x.status) is not cached by CloudFront") }
        // Minimum TTL 0: these are honoured (a Minimum TTL > 0 would override them, CACHE086).
        for directive in ["no-store", "no-cache", "private"] where cc.has(directive) {
            return refuse(v, "\(directive) (with the default Minimum TTL 0)")
        }
        if explicit(cc, x, f, into: &v) {
            if (v.lifetime ?? 0) > cloudfrontMaxTTL { v.lifetime = cloudfrontMaxTTL; v.lifetimeSource = .cloudfrontMaxTTL }
        } else if !error {
            v.lifetime = cloudfrontDefaultTTL; v.lifetimeSource = .cloudfrontDefaultTTL
        }
        if error, (v.lifetime ?? 0) < cloudfrontErrorMinTTL {
            v.lifetime = cloudfrontErrorMinTTL; v.lifetimeSource = .cloudfrontErrorTTL
        }
        return finish(v, f, stale: cc, storedReason: "stored")
    }

    public static func akamai(_ x: Exchange, _ f: ResponseFields) -> CacheVerdict {
        let edge = CacheControl.parse(f.edgeControl.map { [$0] } ?? [])
        var v = start(.akamai, x, f, cc: edge)
        // Akamai caches GET only by default ("Learn about Akamai's caching"); HEAD is answered from it.
        if let reason = methodOrStatus(x) { return refuse(v, reason) }
        if edge.has("no-store") { return refuse(v, "Edge-Control: no-store") }
        if edge.has("bypass-cache") { return refuse(v, "Edge-Control: bypass-cache") }
        if let ttl = edgeTTL(edge) {
            v.lifetime = ttl; v.lifetimeSource = .edgeControlMaxAge
            return finish(v, f, stale: edge, storedReason: "stored per Edge-Control")
        }
        // No Edge-Control TTL: the property's Caching behaviour sets it, unseen from here.
        v.lifetimeSource = .configuration
        return finish(v, f, stale: edge, storedReason: "stored for the property's TTL (configuration)")
    }

    /// Edge-Control `max-age` or `cache-maxage`: seconds, or a number with s, m, h or d.
    static func edgeTTL(_ edge: CacheControl) -> Int64? {
        guard let d = edge.first("max-age") ?? edge.first("cache-maxage"), let text = d.argument?.asciiLowercased, !text.isEmpty else { return nil }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        var digits = Substring(text), scale: Int64 = 1
        if let last = text.last, let unit = units[last] { digits = digits.dropLast(); scale = unit }
        // Like delta-seconds: invalid counts as 0 (stale), anything past 2^31 as 2^31.
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return 0 }
        guard digits.drop(while: { $0 == "0" }).count <= 10, let n = Int64(digits.drop(while: { $0 == "0" })) ?? Int64?(0) else { return DeltaSeconds.maximum }
        return min(n * scale, DeltaSeconds.maximum)
    }

    // MARK: - shared steps

    static func start(_ c: CacheClass, _ x: Exchange, _ f: ResponseFields, cc: CacheControl) -> CacheVerdict {
        CacheVerdict(cacheClass: c, storable: false, reason: "", lifetime: nil, lifetimeSource: nil,
                     currentAge: Freshness.currentAge(x, f), left: nil, revalidateEachUse: false, reusable: true,
                     staleWhileRevalidate: nil, staleIfError: nil, staleForbiddenBy: nil, immutable: cc.has("immutable"))
    }

    /// Every vendor caches answers to GET and HEAD only, and only final statuses; 304 updates.
    static func methodOrStatus(_ x: Exchange) -> String? {
        let method = x.method.uppercased()
        if method != "GET" && method != "HEAD" { return "method \(method) is not cached" }
        if x.status < 200 { return "status \(x.status) is not final" }
        if x.status == 304 { return "304 updates a stored response" }
        return nil
    }

    /// A row that is not stored has no lifetime, whatever the directives said before the refusal.
    static func refuse(_ verdict: CacheVerdict, _ reason: String) -> CacheVerdict {
        var v = verdict
        v.storable = false
        v.reason = reason
        v.lifetime = nil
        v.lifetimeSource = nil
        v.left = nil
        return v
    }

    /// s-maxage, then max-age, then Expires - Date (the receipt time without Date; invalid = 0):
    /// false when none is there.
    static func explicit(_ cc: CacheControl, _ x: Exchange, _ f: ResponseFields, into v: inout CacheVerdict) -> Bool {
        if let s = cc.seconds("s-maxage") {
            v.lifetime = s; v.lifetimeSource = .sMaxage
        } else if let m = cc.seconds("max-age") {
            v.lifetime = m; v.lifetimeSource = .maxAge
        } else if f.expires.isPresent {
            if let expires = f.expires.seconds {
                v.lifetime = max(0, expires - (f.date.seconds ?? x.receivedAt)); v.lifetimeSource = .expires
            } else {
                v.lifetime = 0; v.lifetimeSource = .expiresInvalid
            }
        } else {
            return false
        }
        return true
    }

    static func finish(_ verdict: CacheVerdict, _ f: ResponseFields, stale cc: CacheControl, storedReason: String) -> CacheVerdict {
        var v = verdict
        v.storable = true
        v.reason = storedReason
        v.left = v.lifetime.map { $0 - v.currentAge }
        v.reusable = !f.vary.contains("*")
        if !v.reusable { v.reason = "stored, but Vary: * never matches (§4.1)" }
        if cc.has("must-revalidate") {
            v.staleForbiddenBy = "must-revalidate"
        } else if cc.has("proxy-revalidate") {
            v.staleForbiddenBy = "proxy-revalidate"
        } else {
            v.staleWhileRevalidate = cc.delta("stale-while-revalidate")?.seconds
            v.staleIfError = cc.delta("stale-if-error")?.seconds
        }
        return v
    }
}

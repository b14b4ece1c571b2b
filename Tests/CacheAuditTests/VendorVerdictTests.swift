import Testing
@testable import CacheAudit

/// Vendor rows: each rule of a vendor's documented default (sources in VendorVerdicts.swift),
/// firing and not firing, with lifetimes worked out by hand from the headers given.
@Suite struct VendorVerdictTests {
    func vendors(_ x: Exchange) -> [CacheClass] { CacheAudit.audit(x).vendorVerdicts.map(\.cacheClass) }
    func verdict(_ x: Exchange, _ c: CacheClass) -> CacheVerdict? { CacheAudit.audit(x).vendorVerdicts.first { $0.cacheClass == c } }

    // MARK: detection

    @Test func noVendorNoRows() {
        #expect(vendors(exchange([("Cache-Control", "max-age=60"), ("Via", "1.1 varnish"), ("X-Cache", "HIT")])).isEmpty)
        // X-Served-By that is not a Fastly cache node name.
        #expect(vendors(exchange([("X-Served-By", "web-01")])).isEmpty)
    }

    @Test(arguments: [
        ("Surrogate-Control", "max-age=60", CacheClass.fastly), ("X-Served-By", "cache-fra-eddf8230047-FRA", .fastly),
        ("Fastly-Debug-Digest", "abc", .fastly), ("X-Fastly-Request-ID", "abc", .fastly),
        ("CF-Ray", "8a1b2c3d4e5f-FRA", .cloudflare), ("CF-Cache-Status", "HIT", .cloudflare), ("Server", "cloudflare", .cloudflare),
        ("Cloudflare-CDN-Cache-Control", "max-age=60", .cloudflare),
        ("X-Amz-Cf-Id", "abc==", .cloudfront), ("X-Amz-Cf-Pop", "FRA56-P1", .cloudfront), ("Via", "1.1 abc.cloudfront.net (CloudFront)", .cloudfront),
        ("Edge-Control", "max-age=60", .akamai), ("Server", "AkamaiGHost", .akamai), ("Akamai-GRN", "0.1.2", .akamai),
    ])
    func detection(name: String, value: String, vendor: CacheClass) {
        let x = exchange([(name, value)])
        #expect(vendors(x) == [vendor])
        #expect(verdict(x, vendor)?.evidence?.isEmpty == false)
    }

    @Test func severalVendorsInOrder() {
        let x = exchange([("CF-Ray", "x"), ("X-Amz-Cf-Id", "y"), ("X-Served-By", "cache-lhr1")])
        #expect(vendors(x) == [.fastly, .cloudflare, .cloudfront])
        // The standard three rows do not change.
        #expect(CacheAudit.audit(x).verdicts.map(\.cacheClass) == [.browser, .shared, .cdn])
    }

    // MARK: Fastly

    let fastlyNode = ("X-Served-By", "cache-fra-eddf8230047-FRA")

    @Test func fastlyPrecedenceSurrogateThenSMaxageThenMaxAgeThenExpires() {
        let all = [fastlyNode, ("Surrogate-Control", "max-age=86400"), ("Cache-Control", "max-age=60, s-maxage=300"), ("Expires", date(D + 3600))]
        #expect(verdict(exchange(all), .fastly)?.lifetime == 86400)
        #expect(verdict(exchange(all), .fastly)?.lifetimeSource == .surrogateMaxAge)
        let noSurrogate = exchange([fastlyNode, ("Cache-Control", "max-age=60, s-maxage=300"), ("Expires", date(D + 3600))])
        #expect(verdict(noSurrogate, .fastly)?.lifetime == 300)
        #expect(verdict(noSurrogate, .fastly)?.lifetimeSource == .sMaxage)
        let maxAge = exchange([fastlyNode, ("Cache-Control", "max-age=60"), ("Expires", date(D + 3600))])
        #expect(verdict(maxAge, .fastly)?.lifetime == 60)
        // Expires - Date = 3600 - 0; received 100 s after Date: age 100, left 3500.
        let expires = exchange([fastlyNode, ("Expires", date(D + 3600))], receivedAt: D + 100)
        #expect(verdict(expires, .fastly)?.lifetime == 3600)
        #expect(verdict(expires, .fastly)?.lifetimeSource == .expires)
        #expect(verdict(expires, .fastly)?.left == 3500)
    }

    @Test func fastlyFallbackTTLWithoutFreshness() {
        let v = verdict(exchange([fastlyNode]), .fastly)
        #expect(v?.storable == true)
        #expect(v?.lifetime == 3600)
        #expect(v?.lifetimeSource == .fastlyFallback)
    }

    @Test(arguments: [
        ([("Cache-Control", "private, max-age=60")], "private (Fastly passes)"),
        ([("Cache-Control", "no-store")], "no-store (Fastly passes)"),
        ([("Cache-Control", "max-age=60"), ("Set-Cookie", "a=b")], "Set-Cookie (Fastly passes)"),
        ([("Surrogate-Control", "no-store"), ("Cache-Control", "max-age=60")], "Surrogate-Control: no-store"),
    ])
    func fastlyPasses(headers: [(String, String)], reason: String) {
        let v = verdict(exchange([fastlyNode] + headers), .fastly)
        #expect(v?.storable == false)
        #expect(v?.reason == reason)
    }

    @Test func fastlyIgnoresNoCacheAndSurrogateOverridesCacheControlLifetime() {
        // The documented pattern: no-cache for browsers, a day at Fastly.
        let x = exchange([fastlyNode, ("Cache-Control", "no-cache"), ("Surrogate-Control", "max-age=86400, stale-while-revalidate=60")])
        let v = verdict(x, .fastly)
        #expect(v?.storable == true)
        #expect(v?.state == "fresh")
        #expect(v?.lifetime == 86400)
        #expect(v?.staleWhileRevalidate == 60)
        #expect(CacheAudit.audit(x).verdict(.browser).state == "revalidate")
    }

    @Test(arguments: [(302, true), (404, true), (410, true), (206, false), (307, false), (500, false)])
    func fastlyCacheableStatuses(status: Int, stored: Bool) {
        #expect(verdict(exchange([fastlyNode, ("Cache-Control", "max-age=60")], status: status), .fastly)?.storable == stored)
    }

    // MARK: Cloudflare

    let cfRay = ("CF-Ray", "8a1b2c3d4e5f-FRA")

    @Test(arguments: [
        ("https://example.com/app.js", true), ("https://example.com/a/LOGO.PNG?v=2", true), ("https://example.com/robots.txt", true),
        ("https://example.com/index.html", false), ("https://example.com/", false), ("https://example.com/api/items", false),
        ("https://example.com/data.json", false),
    ])
    func cloudflareCachesByExtensionOnly(url: String, stored: Bool) {
        let v = verdict(exchange([cfRay, ("Cache-Control", "max-age=600"), ("Content-Type", "image/png")], url: url), .cloudflare)
        #expect(v?.storable == stored, "\(url): \(v?.reason ?? "")")
        if stored { #expect(v?.lifetime == 600) }
    }

    @Test func aRowThatIsNotStoredHasNoLifetime() {
        // Cloudflare reads max-age=0 before refusing it; the refused row must not keep the 0 s.
        let v = verdict(exchange([cfRay, ("Cache-Control", "max-age=0")], url: "https://example.com/app.js"), .cloudflare)
        #expect(v?.storable == false)
        #expect(v?.reason == "Cache-Control: max-age=0")
        #expect(v?.lifetime == nil)
        #expect(v?.lifetimeSource == nil)
        #expect(v?.left == nil)
    }

    @Test func cloudflareWithoutURLCannotTell() {
        let v = verdict(exchange([cfRay, ("Cache-Control", "max-age=600")]), .cloudflare)
        #expect(v?.storable == false)
        #expect(v?.reason.hasPrefix("URL unknown") == true)
    }

    @Test func cloudflareTargetedFieldPrecedence() {
        let url = "https://example.com/app.css"
        let both = exchange([cfRay, ("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=300"), ("Cloudflare-CDN-Cache-Control", "max-age=900")], url: url)
        #expect(verdict(both, .cloudflare)?.lifetime == 900)
        #expect(verdict(both, .cloudflare)?.lifetimeSource == .cloudflareCDNMaxAge)
        let cdnOnly = exchange([cfRay, ("Cache-Control", "no-store"), ("CDN-Cache-Control", "max-age=300")], url: url)
        #expect(verdict(cdnOnly, .cloudflare)?.lifetime == 300)
        #expect(verdict(cdnOnly, .cloudflare)?.lifetimeSource == .cdnMaxAge)
        // Without a targeted field, Cache-Control's no-store counts.
        let plain = exchange([cfRay, ("Cache-Control", "no-store")], url: url)
        #expect(verdict(plain, .cloudflare)?.reason == "Cache-Control: no-store")
        let sMaxage = exchange([cfRay, ("Cache-Control", "max-age=60, s-maxage=120")], url: url)
        #expect(verdict(sMaxage, .cloudflare)?.lifetime == 120)
    }

    @Test(arguments: [
        ([("Cache-Control", "private, max-age=60")], "Cache-Control: private"),
        ([("Cache-Control", "no-cache")], "Cache-Control: no-cache"),
        ([("Cache-Control", "public, max-age=0")], "Cache-Control: max-age=0"),
        ([("Cache-Control", "max-age=60"), ("Set-Cookie", "sid=1")], "Set-Cookie (Cloudflare bypasses the cache)"),
        ([("Expires", date(D - 60))], "Expires is not in the future"),
    ])
    func cloudflareDoesNotCache(headers: [(String, String)], reason: String) {
        let v = verdict(exchange([cfRay] + headers, url: "https://example.com/a.js"), .cloudflare)
        #expect(v?.storable == false)
        #expect(v?.reason == reason)
    }

    @Test(arguments: [(200, Int64?(7200)), (206, 7200), (301, 7200), (302, 1200), (303, 1200), (404, 180), (410, 180), (500, nil), (307, nil)])
    func cloudflareDefaultTTLByStatus(status: Int, ttl: Int64?) {
        let v = verdict(exchange([cfRay], status: status, url: "https://example.com/a.js"), .cloudflare)
        #expect(v?.storable == (ttl != nil))
        #expect(v?.lifetime == ttl)
        if ttl != nil { #expect(v?.lifetimeSource == .cloudflareStatusDefault) }
    }

    @Test func cloudflareMaxAgeBeatsExpires() {
        let v = verdict(exchange([cfRay, ("Cache-Control", "max-age=60"), ("Expires", date(D + 3600))], url: "https://example.com/a.js"), .cloudflare)
        #expect(v?.lifetime == 60)
        let e = verdict(exchange([cfRay, ("Expires", date(D + 3600))], url: "https://example.com/a.js"), .cloudflare)
        #expect(e?.lifetime == 3600)
    }

    // MARK: CloudFront

    let cfId = ("X-Amz-Cf-Id", "abc==")

    @Test func cloudfrontDefaultAndMaximumTTL() {
        let none = verdict(exchange([cfId]), .cloudfront)
        #expect(none?.lifetime == 86400)
        #expect(none?.lifetimeSource == .cloudfrontDefaultTTL)
        let twoYears = verdict(exchange([cfId, ("Cache-Control", "max-age=63072000")]), .cloudfront)
        #expect(twoYears?.lifetime == 31_536_000)
        #expect(twoYears?.lifetimeSource == .cloudfrontMaxTTL)
        let sMaxage = verdict(exchange([cfId, ("Cache-Control", "max-age=60, s-maxage=600")]), .cloudfront)
        #expect(sMaxage?.lifetime == 600)
        let expires = verdict(exchange([cfId, ("Expires", date(D + 7200))]), .cloudfront)
        #expect(expires?.lifetime == 7200)
        #expect(expires?.lifetimeSource == .expires)
        // max-age=0 is honoured (Minimum TTL 0): stored, stale at once.
        #expect(verdict(exchange([cfId, ("Cache-Control", "max-age=0")]), .cloudfront)?.state == "stale")
    }

    @Test(arguments: ["no-store", "no-cache", "private, max-age=60"])
    func cloudfrontHonoursNoStoreNoCachePrivateWithMinimumTTLZero(value: String) {
        let v = verdict(exchange([cfId, ("Cache-Control", value)]), .cloudfront)
        #expect(v?.storable == false)
        #expect(v?.reason.hasSuffix("(with the default Minimum TTL 0)") == true)
    }

    @Test func cloudfrontErrorsAtLeastTenSeconds() {
        let bare = verdict(exchange([cfId], status: 503), .cloudfront)
        #expect(bare?.lifetime == 10)
        #expect(bare?.lifetimeSource == .cloudfrontErrorTTL)
        let longer = verdict(exchange([cfId, ("Cache-Control", "max-age=60")], status: 404), .cloudfront)
        #expect(longer?.lifetime == 60)
        #expect(verdict(exchange([cfId], status: 418), .cloudfront)?.storable == false)
        #expect(verdict(exchange([cfId], method: "POST"), .cloudfront)?.storable == false)
    }

    // MARK: Akamai

    @Test(arguments: [("max-age=600", Int64(600)), ("cache-maxage=7d", 604_800), ("max-age=2h", 7200), ("max-age=30m", 1800), ("!no-store, max-age=90s", 90)])
    func akamaiEdgeControlTTL(value: String, seconds: Int64) {
        // Edge-Control wins over Cache-Control at Akamai, even over no-store there.
        let v = verdict(exchange([("Edge-Control", value), ("Cache-Control", "no-store")]), .akamai)
        #expect(v?.storable == true)
        #expect(v?.lifetime == seconds)
        #expect(v?.lifetimeSource == .edgeControlMaxAge)
    }

    @Test(arguments: ["no-store", "bypass-cache", "max-age=600, no-store"])
    func akamaiEdgeControlRefuses(value: String) {
        let v = verdict(exchange([("Edge-Control", value), ("Cache-Control", "max-age=600")]), .akamai)
        #expect(v?.storable == false)
        #expect(v?.reason.hasPrefix("Edge-Control: ") == true)
    }

    @Test func akamaiWithoutEdgeControlTTLIsConfiguration() {
        let v = verdict(exchange([("Server", "AkamaiGHost"), ("Cache-Control", "max-age=600")]), .akamai)
        #expect(v?.storable == true)
        #expect(v?.lifetime == nil)
        #expect(v?.lifetimeSource == .configuration)
        #expect(v?.state == "per config")
    }

    @Test func hostileEdgeControlValues() {
        #expect(VendorVerdicts.edgeTTL(CacheControl.parse("max-age=99999999999999999999d")) == DeltaSeconds.maximum)
        #expect(VendorVerdicts.edgeTTL(CacheControl.parse("max-age=0000000000000000060")) == 60)
        #expect(VendorVerdicts.edgeTTL(CacheControl.parse("max-age=1.5h")) == 0)
        #expect(VendorVerdicts.edgeTTL(CacheControl.parse("max-age=-5")) == 0)
        #expect(VendorVerdicts.edgeTTL(CacheControl.parse("max-age=")) == nil)
        #expect(VendorVerdicts.edgeTTL(CacheControl.parse("max-age=9999999999d")) == DeltaSeconds.maximum)
    }
}

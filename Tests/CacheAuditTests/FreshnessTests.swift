import Testing
@testable import CacheAudit

/// RFC 9111 arithmetic, each expectation worked out by hand from the section cited.
@Suite struct FreshnessTests {
    func verdict(_ x: Exchange, _ c: CacheClass) -> CacheVerdict { CacheAudit.audit(x).verdict(c) }

    @Test func lifetimePrecedenceSMaxageThenMaxAgeThenExpires() {
        // §4.2.1: shared caches take s-maxage, browsers max-age; Expires loses to both.
        let x = exchange([("Cache-Control", "max-age=60, s-maxage=300"), ("Expires", date(D + 3600))])
        #expect(verdict(x, .browser).lifetime == 60)
        #expect(verdict(x, .browser).lifetimeSource == .maxAge)
        #expect(verdict(x, .shared).lifetime == 300)
        #expect(verdict(x, .shared).lifetimeSource == .sMaxage)
        #expect(verdict(x, .cdn).lifetime == 300)
        let onlyExpires = exchange([("Expires", date(D + 3600))])
        #expect(verdict(onlyExpires, .browser).lifetime == 3600)
        #expect(verdict(onlyExpires, .browser).lifetimeSource == .expires)
    }

    @Test func expiresWithoutDateUsesTheReceiptTime() {
        // §4.2.1: Expires - Date, with the receipt time standing in for a missing Date.
        let x = exchange([("Expires", date(D + 500))], dated: false, receivedAt: D + 100)
        #expect(verdict(x, .browser).lifetime == 400)
        // With a Date 1000 s before receipt, the lifetime is Expires - Date = 1500 and age 1000.
        let dated = exchange([("Expires", date(D + 500)), ("Date", date(D - 1000))], receivedAt: D)
        #expect(verdict(dated, .browser).lifetime == 1500)
        #expect(verdict(dated, .browser).currentAge == 1000)
        #expect(verdict(dated, .browser).left == 500)
    }

    @Test(arguments: ["0", "-1", "tomorrow"])
    func invalidExpiresIsAlreadyExpired(value: String) {
        let v = verdict(exchange([("Expires", value)]), .browser)
        #expect(v.storable)
        #expect(v.lifetime == 0)
        #expect(v.lifetimeSource == .expiresInvalid)
        #expect(v.state == "stale")
    }

    @Test func aPrivateRedirectIsStoredByTheBrowserWithNoLifetime() {
        // RFC 9111 §3: "a private response directive, if the cache is not shared" is enough to
        // store; §4.2.2: 302 is not heuristically cacheable (RFC 9110 §15.1), so with no explicit
        // freshness the stored response has no lifetime and is stale at once.
        let audit = CacheAudit.audit(exchange([("Cache-Control", "private")], status: 302))
        let browser = audit.verdict(.browser)
        #expect(browser.storable)
        #expect(browser.lifetime == 0)
        #expect(browser.lifetimeSource == LifetimeSource.none)
        #expect(browser.state == "stale")
        #expect(audit.verdict(.shared).reason == "private")
        #expect(!audit.findings.map(\.id).contains(.statusNotStorable))
        // With explicit freshness it is fresh for max-age (§4.2.1).
        let fresh = CacheAudit.audit(exchange([("Cache-Control", "private, max-age=60")], status: 302)).verdict(.browser)
        #expect(fresh.lifetime == 60)
        #expect(fresh.state == "fresh")
    }

    @Test func ageIsTheFirstMemberOfAList() {
        let x = exchange([("Cache-Control", "max-age=100"), ("Age", "30, 60")])
        #expect(verdict(x, .shared).currentAge == 30)
        #expect(verdict(x, .shared).left == 70)
        let twoLines = exchange([("Cache-Control", "max-age=100"), ("Age", "40"), ("Age", "50")])
        #expect(verdict(twoLines, .shared).currentAge == 40)
    }

    @Test func currentAgeWorkedExample() {
        // §4.2.3 with Date = D, request sent at D+1, response received at D+3, Age: 10, now D+13:
        // apparent_age = max(0, 3 - 0) = 3; response_delay = 3 - 1 = 2;
        // corrected_age_value = 10 + 2 = 12; corrected_initial_age = max(3, 12) = 12;
        // resident_time = 13 - 3 = 10; current_age = 22. With max-age=100, 78 s left.
        let x = exchange([("Cache-Control", "max-age=100"), ("Age", "10")],
                         receivedAt: D + 3, requestTime: D + 1, now: D + 13)
        let v = verdict(x, .browser)
        #expect(v.currentAge == 22)
        #expect(v.left == 78)
        // A Date far in the past dominates: apparent age 50 > 10 + 2.
        let old = exchange([("Cache-Control", "max-age=100"), ("Age", "10"), ("Date", date(D - 47))],
                           receivedAt: D + 3, requestTime: D + 1, now: D + 3)
        #expect(verdict(old, .browser).currentAge == 50)
    }

    @Test func heuristicTenPercentOnlyForHeuristicallyCacheableStatuses() {
        // Date - Last-Modified = 10000 s, so 10% is 1000 s.
        let ok = exchange([("Last-Modified", date(D - 10_000))], status: 200)
        #expect(verdict(ok, .browser).lifetime == 1000)
        #expect(verdict(ok, .browser).lifetimeSource == .heuristic)
        let notFound = exchange([("Last-Modified", date(D - 10_000))], status: 404)
        #expect(verdict(notFound, .shared).lifetime == 1000)
        // 500 and 302 are not in RFC 9110 §15.1's list: not stored without explicit freshness.
        for status in [500, 302, 201] {
            let v = verdict(exchange([("Last-Modified", date(D - 10_000))], status: status), .browser)
            #expect(!v.storable, "status \(status)")
            #expect(v.lifetime == nil)
        }
        // ... but explicit freshness makes them storable.
        #expect(verdict(exchange([("Cache-Control", "max-age=60")], status: 500), .shared).lifetime == 60)
    }

    @Test func authorizationInTheRequest() {
        // §3.5: shared caches store an authorized response only with public, s-maxage or must-revalidate.
        let auth = [("Authorization", "Bearer secret")]
        #expect(verdict(exchange([("Cache-Control", "max-age=60")], request: auth), .browser).storable)
        #expect(!verdict(exchange([("Cache-Control", "max-age=60")], request: auth), .shared).storable)
        #expect(!verdict(exchange([("Cache-Control", "max-age=60")], request: auth), .cdn).storable)
        for allowing in ["public, max-age=60", "s-maxage=60", "max-age=60, must-revalidate"] {
            #expect(verdict(exchange([("Cache-Control", allowing)], request: auth), .shared).storable, "\(allowing)")
        }
    }

    @Test func privateVersusShared() {
        let x = exchange([("Cache-Control", "private, max-age=600")])
        #expect(verdict(x, .browser).storable)
        #expect(verdict(x, .browser).lifetime == 600)
        #expect(!verdict(x, .shared).storable)
        #expect(verdict(x, .shared).reason == "private")
        #expect(!verdict(x, .cdn).storable)
    }

    @Test func sMaxageOnlyForSharedCachesAndForbidsStale() {
        let x = exchange([("Cache-Control", "s-maxage=600, stale-while-revalidate=30")])
        let browser = verdict(x, .browser), shared = verdict(x, .shared)
        #expect(browser.lifetimeSource == .heuristic || browser.lifetimeSource == LifetimeSource.none)
        #expect(browser.lifetime == 0, "no Last-Modified, so no heuristic either")
        #expect(browser.staleWhileRevalidate == 30)
        #expect(shared.lifetime == 600)
        #expect(shared.staleForbiddenBy == "s-maxage", "§5.2.2.10: s-maxage implies proxy-revalidate")
        #expect(shared.staleWhileRevalidate == nil)
    }

    @Test func cdnCacheControlOverridesCacheControlForCDNsOnly() {
        let x = exchange([("Cache-Control", "max-age=60"), ("CDN-Cache-Control", "max-age=600")])
        #expect(verdict(x, .browser).lifetime == 60)
        #expect(verdict(x, .shared).lifetime == 60)
        #expect(verdict(x, .cdn).lifetime == 600)
        #expect(verdict(x, .cdn).lifetimeSource == .cdnMaxAge)
        // RFC 9213 §2.2: the CDN then ignores Cache-Control entirely, no-store included.
        let stored = exchange([("Cache-Control", "no-store"), ("CDN-Cache-Control", "s-maxage=60")])
        #expect(!verdict(stored, .browser).storable)
        #expect(verdict(stored, .cdn).storable)
        #expect(verdict(stored, .cdn).lifetime == 60)
        let notStored = exchange([("Cache-Control", "max-age=60"), ("CDN-Cache-Control", "no-store")])
        #expect(!verdict(notStored, .cdn).storable)
        #expect(verdict(notStored, .shared).storable)
        // An invalid targeted field is ignored: the CDN falls back to Cache-Control.
        let invalid = exchange([("Cache-Control", "max-age=60"), ("CDN-Cache-Control", "Max-Age=600")])
        #expect(verdict(invalid, .cdn).lifetime == 60)
        #expect(verdict(invalid, .cdn).lifetimeSource == .maxAge)
    }

    @Test func varyStarIsStorableButNeverReusable() {
        let v = verdict(exchange([("Cache-Control", "max-age=60"), ("Vary", "*")]), .shared)
        #expect(v.storable)
        #expect(!v.reusable)
        #expect(v.state == "never reused")
    }

    @Test func staleWindows() {
        let x = exchange([("Cache-Control", "max-age=60, stale-while-revalidate=30, stale-if-error=86400")])
        #expect(verdict(x, .browser).staleWhileRevalidate == 30)
        #expect(verdict(x, .browser).staleIfError == nil, "browsers honour stale-while-revalidate only")
        #expect(verdict(x, .shared).staleIfError == 86400)
        #expect(verdict(x, .shared).stalePolicy == "swr 30s, sie 86400s")
        let strict = exchange([("Cache-Control", "max-age=60, must-revalidate, stale-if-error=60")])
        #expect(verdict(strict, .shared).staleForbiddenBy == "must-revalidate")
        let proxy = exchange([("Cache-Control", "max-age=60, proxy-revalidate, stale-if-error=60")])
        #expect(verdict(proxy, .shared).staleForbiddenBy == "proxy-revalidate")
        #expect(verdict(proxy, .browser).staleForbiddenBy == nil, "proxy-revalidate binds shared caches only")
    }

    @Test func immutableAndNoCache() {
        #expect(verdict(exchange([("Cache-Control", "max-age=31536000, immutable")]), .browser).immutable)
        let v = verdict(exchange([("Cache-Control", "no-cache"), ("ETag", "\"x\"")]), .shared)
        #expect(v.storable)
        #expect(v.state == "revalidate")
    }

    @Test func hugeAndInvalidLifetimes() {
        #expect(verdict(exchange([("Cache-Control", "max-age=99999999999")]), .browser).lifetime == 2_147_483_648)
        // §4.2.1: invalid freshness information = stale.
        #expect(verdict(exchange([("Cache-Control", "max-age=-5")]), .browser).lifetime == 0)
        #expect(verdict(exchange([("Cache-Control", "max-age=\"60\"")]), .browser).lifetime == 60)
    }

    @Test func notStorable() {
        #expect(!verdict(exchange([("Cache-Control", "max-age=60")], method: "POST"), .browser).storable)
        #expect(verdict(exchange([("Cache-Control", "no-store, max-age=60")]), .cdn).reason == "no-store")
        #expect(!verdict(exchange([("Cache-Control", "max-age=60")], status: 304), .browser).storable)
    }
}

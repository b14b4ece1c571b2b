import Testing
@testable import CacheAudit

@Suite struct StorabilityRulesTests {
    static let cases: [CheckCase] = [
        c(.methodNotCacheable, exchange([("Cache-Control", "max-age=60")], method: "POST"), exchange([("Cache-Control", "max-age=60")])),
        c(.noStore, cc("no-store"), cc("max-age=60")),
        c(.privateResponse, cc("private, max-age=60"), cc("public, max-age=60")),
        c(.authorizedRequest, exchange([("Cache-Control", "max-age=60")], request: [("Authorization", "Basic eDp5")]), cc("max-age=60")),
        c(.statusNotStorable, exchange([], status: 500), exchange([("Cache-Control", "max-age=60")], status: 500)),
        c(.noExplicitFreshness, exchange([("Last-Modified", date(D - 1000))]), exchange([("Last-Modified", date(D - 1000)), ("Cache-Control", "max-age=60")])),
        c(.setCookieOnSharedResponse, cc("max-age=60", [("Set-Cookie", "id=1")]), cc("private, max-age=60", [("Set-Cookie", "id=1")])),
        c(.publicUnnecessary, cc("public, max-age=60"), exchange([("Cache-Control", "public"), ("Last-Modified", date(D - 100))])),
    ]

    /// Second cases for checks whose RFC corners the first does not reach.
    static let corners: [CheckCase] = [
        // RFC 9111 §3: private alone lets a private cache store any final status; shared caches
        // are kept out by private itself (CACHE003), not by the status.
        c(.statusNotStorable, exchange([], status: 302), exchange([("Cache-Control", "private")], status: 302)),
        // RFC 9111 §4.2.2: public opens heuristic freshness to a status that is not heuristically cacheable.
        c(.noExplicitFreshness, exchange([("Cache-Control", "public"), ("Last-Modified", date(D - 1000))], status: 500),
          exchange([("Last-Modified", date(D - 1000))], status: 500)),
    ]

    @Test(arguments: cases + corners)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: StorabilityRules.findings)
    }

    func detail(_ id: CheckID, _ x: Exchange) -> String? { CacheAudit.audit(x).findings.first { $0.id == id }?.detail }

    @Test func aStatusFindingNamesTheCachesThatStoreItAnyway() {
        // §3: s-maxage counts as explicit freshness for shared caches only, so a 500 with it is
        // kept out of the browser alone.
        #expect(detail(.statusNotStorable, exchange([("Cache-Control", "s-maxage=60")], status: 500)) == "status 500; only shared, cdn store it")
        // RFC 9213 §2.2: a CDN obeys its targeted field.
        #expect(detail(.statusNotStorable, exchange([("CDN-Cache-Control", "max-age=60")], status: 500)) == "status 500; only cdn stores it")
        #expect(detail(.statusNotStorable, exchange([], status: 500)) == "status 500")
    }

    @Test func publicOnAnErrorStatusIsAHeuristicLifetime() {
        // §4.2.2 heuristic freshness for a public 500 with Last-Modified 1000 s before Date: 10% = 100 s.
        let x = exchange([("Cache-Control", "public"), ("Last-Modified", date(D - 1000))], status: 500)
        let audit = CacheAudit.audit(x)
        #expect(audit.verdict(.browser).lifetime == 100)
        #expect(audit.verdict(.browser).lifetimeSource == .heuristic)
        #expect(detail(.noExplicitFreshness, x) == "status 500: public permits a heuristic lifetime")
    }
}

import Testing
@testable import CacheAudit

@Suite struct AgeRulesTests {
    static let cases: [CheckCase] = [
        c(.staleOnReceipt, cc("max-age=60", [("Age", "120"), ("Date", date(D - 120))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
        c(.servedFromCache, cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))]), cc("max-age=60")),
        c(.invalidAge, cc("max-age=60", [("Age", "10, 20"), ("Date", date(D - 10))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
    ]

    /// Second cases for checks whose RFC corners the first does not reach.
    static let corners: [CheckCase] = [
        // The browser's max-age alone is past: s-maxage keeps shared caches fresh (RFC 9111 §4.2.1).
        c(.staleOnReceipt, cc("max-age=60, s-maxage=600", [("Age", "120"), ("Date", date(D - 120))]),
          cc("max-age=600, s-maxage=600", [("Age", "120"), ("Date", date(D - 120))])),
    ]

    @Test(arguments: cases + corners)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: AgeRules.findings)
    }

    @Test func eachCacheClassIsJudgedByItsOwnLifetime() {
        // RFC 9213 §2.3 (interaction with HTTP freshness), its example: a CDN serves a response it
        // has held for 30 minutes under CDN-Cache-Control: max-age=3600, with Age: 1800 and
        // Cache-Control: max-age=600 — fresh to the CDN, already stale to every other cache.
        // RFC 9111 §4.2.3: the initial age is at least the Age value.
        let x = cc("max-age=600", [("Age", "1800"), ("CDN-Cache-Control", "max-age=3600")])
        let finding = CacheAudit.audit(x).findings.first { $0.id == .staleOnReceipt }
        #expect(finding?.detail == "age 1800s >= browser lifetime 600s, shared lifetime 600s")
        // Age: 120 under max-age=60, s-maxage=600: only the browser is stale on arrival.
        let browserOnly = cc("max-age=60, s-maxage=600", [("Age", "120")])
        #expect(CacheAudit.audit(browserOnly).findings.first { $0.id == .staleOnReceipt }?.detail == "age 120s >= browser lifetime 60s")
    }
}

import Testing
@testable import CacheAudit

@Suite struct LifetimeRulesTests {
    static let cases: [CheckCase] = [
        c(.freshnessSummary, cc("max-age=60"), cc("no-store")),
        c(.staleOnArrival, exchange([("Cache-Control", "max-age=0")]), cc("max-age=0")),
        c(.noCacheWithoutValidator, exchange([("Cache-Control", "no-cache")]), cc("no-cache")),
        c(.noCacheRevalidates, cc("no-cache"), cc("max-age=0")),
        c(.expiresIgnored, cc("max-age=60", [("Expires", date(D + 60))]), exchange([("Expires", date(D + 60))])),
        c(.invalidExpires, cc("public", [("Expires", "0")]), cc("public", [("Expires", date(D + 60))])),
        c(.lifetimeOverflow, cc("max-age=9999999999"), cc("max-age=31536000")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: LifetimeRules.findings)
    }
}

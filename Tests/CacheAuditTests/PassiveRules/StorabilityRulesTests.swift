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

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: StorabilityRules.findings)
    }
}

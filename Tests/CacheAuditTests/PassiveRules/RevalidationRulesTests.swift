import Testing
@testable import CacheAudit

@Suite struct RevalidationRulesTests {
    static let cases: [CheckCase] = [
        c(.noStaleServing, cc("max-age=60, must-revalidate"), cc("max-age=60")),
        c(.mustRevalidateWithStaleWindow, cc("max-age=60, must-revalidate, stale-while-revalidate=30"), cc("max-age=60, stale-while-revalidate=30")),
        c(.staleWindow, cc("max-age=60, stale-if-error=600"), cc("max-age=60")),
        c(.immutableShortLifetime, cc("max-age=60, immutable"), cc("max-age=31536000, immutable")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: RevalidationRules.findings)
    }
}

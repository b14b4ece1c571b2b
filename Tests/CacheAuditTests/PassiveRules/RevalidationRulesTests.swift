import Testing
@testable import CacheAudit

@Suite struct RevalidationRulesTests {
    static let cases: [CheckCase] = [
        c(.noStaleServing, cc("max-age=60, must-revalidate"), cc("max-age=60")),
        c(.mustRevalidateWithStaleWindow, cc("max-age=60, must-revalidate, stale-while-revalidate=30"), cc("max-age=60, stale-while-revalidate=30")),
        c(.staleWindow, cc("max-age=60, stale-if-error=600"), cc("max-age=60")),
        c(.immutableShortLifetime, cc("max-age=60, immutable"), cc("max-age=31536000, immutable")),
    ]

    /// Second cases for checks whose RFC corners the first does not reach.
    static let corners: [CheckCase] = [
        // RFC 8246 §2: immutable speaks of a fresh stored response; with no-store there is none
        // (CACHE010 says immutable is inert).
        c(.immutableShortLifetime, cc("max-age=60, immutable"), cc("no-store, immutable")),
    ]

    @Test(arguments: cases + corners)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: RevalidationRules.findings)
    }
}

import Testing
@testable import CacheAudit

@Suite struct LegacyRulesTests {
    static let cases: [CheckCase] = [
        c(.pragmaNoCache, cc("max-age=60", [("Pragma", "no-cache")]), cc("max-age=60")),
        c(.ieOnlyDirective, cc("max-age=60, pre-check=0, post-check=0"), cc("max-age=60")),
        c(.warningField, cc("max-age=60", [("Warning", "110 - \"Response is Stale\"")]), cc("max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: LegacyRules.findings)
    }
}

import Testing
@testable import CacheAudit

@Suite struct DirectiveValueRulesTests {
    static let cases: [CheckCase] = [
        c(.invalidDeltaSeconds, cc("max-age=-1"), cc("max-age=1")),
        c(.quotedDeltaSeconds, cc("max-age=\"60\""), cc("max-age=60")),
        c(.repeatedDirective, cc("max-age=60, max-age=120"), cc("max-age=60, max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: DirectiveValueRules.findings)
    }
}

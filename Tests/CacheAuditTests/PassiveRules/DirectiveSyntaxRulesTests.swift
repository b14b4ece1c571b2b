import Testing
@testable import CacheAudit

@Suite struct DirectiveSyntaxRulesTests {
    static let cases: [CheckCase] = [
        c(.directiveNotLowercase, cc("Max-Age=60"), cc("max-age=60")),
        c(.argumentNotAllowed, cc("no-store=1"), cc("no-store")),
        c(.misspeltDirective, cc("maxage=60"), cc("max-age=60, community=\"UCI\"")),
        c(.requestOnlyDirective, cc("max-age=60, max-stale=60"), cc("max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: DirectiveSyntaxRules.findings)
    }
}

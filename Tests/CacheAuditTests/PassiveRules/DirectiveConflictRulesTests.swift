import Testing
@testable import CacheAudit

@Suite struct DirectiveConflictRulesTests {
    static let cases: [CheckCase] = [
        c(.publicAndPrivate, cc("public, private"), cc("private")),
        c(.inertBesideNoStore, cc("no-store, max-age=60"), cc("must-understand, no-store, max-age=60")),
        c(.mustUnderstandWithoutNoStore, cc("must-understand, max-age=60"), cc("must-understand, no-store")),
        c(.qualifiedPrivateOrNoCache, cc("private=\"Set-Cookie\", max-age=60"), cc("private, max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: DirectiveConflictRules.findings)
    }
}

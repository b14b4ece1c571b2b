import Testing
@testable import CacheAudit

@Suite struct DirectiveSyntaxRulesTests {
    static let cases: [CheckCase] = [
        c(.directiveNotLowercase, cc("Max-Age=60"), cc("max-age=60")),
        c(.argumentNotAllowed, cc("no-store=1"), cc("no-store")),
        c(.misspeltDirective, cc("maxage=60"), cc("max-age=60, community=\"UCI\"")),
        c(.requestOnlyDirective, cc("max-age=60, max-stale=60"), cc("max-age=60")),
    ]

    /// Second cases for checks whose RFC corners the first does not reach.
    static let corners: [CheckCase] = [
        // RFC 9111 §5.2: a directive name is a token, which has no spaces (RFC 9110 §5.6.2).
        c(.misspeltDirective, cc("no-store junk"), cc("no-store, junk")),
    ]

    @Test(arguments: cases + corners)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: DirectiveSyntaxRules.findings)
    }

    @Test func aNameWithSpacesSaysCachesIgnoreIt() {
        let finding = CacheAudit.audit(cc("no-store junk")).findings.first { $0.id == .misspeltDirective }
        #expect(finding?.detail == "no-store junk: not a directive name (a missing comma?); caches ignore it")
    }
}

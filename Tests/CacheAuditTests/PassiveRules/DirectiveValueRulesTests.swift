import Testing
@testable import CacheAudit

@Suite struct DirectiveValueRulesTests {
    static let cases: [CheckCase] = [
        c(.invalidDeltaSeconds, cc("max-age=-1"), cc("max-age=1")),
        c(.quotedDeltaSeconds, cc("max-age=\"60\""), cc("max-age=60")),
        c(.repeatedDirective, cc("max-age=60, max-age=120"), cc("max-age=60, max-age=60")),
    ]

    /// Second cases for checks whose RFC corners the first does not reach.
    static let corners: [CheckCase] = [
        // RFC 9111 §5.2's grammar has no spaces around "="; §4.2.1 encourages caches to treat
        // invalid freshness information as stale.
        c(.invalidDeltaSeconds, cc("max-age = 60"), cc("max-age=60")),
    ]

    @Test(arguments: cases + corners)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: DirectiveValueRules.findings)
    }

    @Test func aMalformedValueIsToldWithTheReadingTheVerdictsUse() {
        let audit = CacheAudit.audit(cc("max-age = 60"))
        #expect(audit.findings.first { $0.id == .invalidDeltaSeconds }?.detail
                == "max-age = 60: space around \"=\"; read as max-age=60 here and by lenient caches, strict ones see no valid max-age")
        #expect(audit.verdict(.browser).lifetime == 60)
        // Junk after a quoted value is one finding, not a quoted-value warning as well.
        let junk = ids(cc("max-age=\"60\"x"))
        #expect(junk.contains(.invalidDeltaSeconds) && !junk.contains(.quotedDeltaSeconds))
    }
}

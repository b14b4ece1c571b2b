import Testing
@testable import CacheAudit

/// Every family's cases, in catalogue order.
let passiveCases = StorabilityRulesTests.cases + DirectiveConflictRulesTests.cases + LifetimeRulesTests.cases
    + DirectiveValueRulesTests.cases + SharedLifetimeRulesTests.cases + RevalidationRulesTests.cases
    + LastModifiedRulesTests.cases + AgeRulesTests.cases + DateRulesTests.cases + ValidatorRulesTests.cases
    + VaryRulesTests.cases + DirectiveSyntaxRulesTests.cases + LegacyRulesTests.cases
    + TargetedFieldRulesTests.cases + CDNFieldRulesTests.cases + AssetPolicyRulesTests.cases

/// What holds across the families; each family's own cases are in PassiveRules/.
@Suite struct PassiveCheckTests {
    @Test func everyPassiveCheckOfTheCatalogueHasACase() {
        let passive = CheckCatalogue.all.filter { !$0.active }.map(\.id)
        #expect(passiveCases.map(\.id) == passive)
    }

    /// Reports print findings in catalogue order: the families run in that order, and so do the
    /// rules within each.
    @Test(arguments: passiveCases)
    func findingsFollowTheCatalogue(_ check: CheckCase) {
        let positions = ids(check.fires).map { CheckID.allCases.firstIndex(of: $0)! }
        #expect(positions == positions.sorted())
    }

    @Test func theTwoExceptionsToCatalogueOrder() {
        // Delta-seconds problems are told directive by directive, in the order sent.
        let delta: [CheckID] = [.invalidDeltaSeconds, .quotedDeltaSeconds]
        #expect(ids(cc("max-age=\"60\", s-maxage=-1")).filter(delta.contains) == [.quotedDeltaSeconds, .invalidDeltaSeconds])
        // An unreadable Cloudflare-CDN-Cache-Control is told right after its presence.
        let cloudflare: [CheckID] = [.cloudflareCDNCacheControl, .invalidTargetedField]
        #expect(ids(cc("max-age=60", [("Cloudflare-CDN-Cache-Control", "((")])).filter(cloudflare.contains) == cloudflare)
    }

    @Test func findingsCarryTheCatalogueSeverityMessageAndCitation() {
        let finding = CacheAudit.audit(cc("max-age=60, max-age=120")).findings.first { $0.id == .repeatedDirective }
        #expect(finding?.severity == .warn)
        #expect(finding?.check.cite == "RFC9111 §4.2.1")
        #expect(finding?.detail == "max-age")
    }

    @Test func aHostileHeaderIsAFindingNotACrash() {
        let junk = String(repeating: "\"", count: 5000) + "max-age=\u{1}\u{FF}"
        let audit = CacheAudit.audit(exchange([("Cache-Control", junk), ("Age", "-3"), ("Date", "\u{0}"), ("ETag", "\"")]))
        #expect(audit.findings.contains { $0.id == .invalidAge })
        #expect(audit.findings.contains { $0.id == .invalidDate })
        #expect(audit.findings.contains { $0.id == .invalidETag })
    }
}

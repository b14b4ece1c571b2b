import Testing
@testable import CacheAudit

@Suite struct SharedLifetimeRulesTests {
    static let cases: [CheckCase] = [
        c(.sharedLifetimeDiffers, cc("max-age=60, s-maxage=300"), cc("max-age=60, s-maxage=60")),
        c(.sharedDirectiveOnPrivate, cc("private, s-maxage=60"), cc("public, s-maxage=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: SharedLifetimeRules.findings)
    }
}

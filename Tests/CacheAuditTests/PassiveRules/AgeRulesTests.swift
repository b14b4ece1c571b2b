import Testing
@testable import CacheAudit

@Suite struct AgeRulesTests {
    static let cases: [CheckCase] = [
        c(.staleOnReceipt, cc("max-age=60", [("Age", "120"), ("Date", date(D - 120))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
        c(.servedFromCache, cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))]), cc("max-age=60")),
        c(.invalidAge, cc("max-age=60", [("Age", "10, 20"), ("Date", date(D - 10))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: AgeRules.findings)
    }
}

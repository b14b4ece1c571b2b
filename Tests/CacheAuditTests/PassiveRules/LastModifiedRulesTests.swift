import Testing
@testable import CacheAudit

@Suite struct LastModifiedRulesTests {
    static let cases: [CheckCase] = [
        c(.heuristicLifetime, exchange([("Last-Modified", date(D - 10_000))]), exchange([("Last-Modified", date(D - 10_000)), ("Cache-Control", "max-age=60")])),
        c(.lastModifiedAfterDate, cc("max-age=60", [("Last-Modified", date(D + 100))]), cc("max-age=60", [("Last-Modified", date(D - 100))])),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: LastModifiedRules.findings)
    }
}

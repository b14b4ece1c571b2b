import Testing
@testable import CacheAudit

@Suite struct ValidatorRulesTests {
    static let cases: [CheckCase] = [
        c(.noValidator, exchange([("Cache-Control", "max-age=60")]), cc("max-age=60")),
        c(.invalidETag, exchange([("Cache-Control", "max-age=60"), ("ETag", "v1")]), cc("max-age=60")),
        c(.weakETag, exchange([("Cache-Control", "max-age=60"), ("ETag", "W/\"v1\"")]), cc("max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: ValidatorRules.findings)
    }
}

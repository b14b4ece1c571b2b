import Testing
@testable import CacheAudit

@Suite struct DateRulesTests {
    static let cases: [CheckCase] = [
        c(.noDate, exchange([("Cache-Control", "max-age=60")], dated: false), cc("max-age=60")),
        c(.invalidDate, cc("max-age=60", [("Date", "yesterday")]), cc("max-age=60")),
        c(.clockSkew, cc("max-age=60", [("Date", date(D - 100))]), cc("max-age=60", [("Date", date(D - 100)), ("Age", "100")])),
        c(.agePenalty, cc("max-age=600", [("Age", "100")]), cc("max-age=600", [("Date", date(D - 100)), ("Age", "100")])),
        c(.obsoleteDateFormat, cc("max-age=60", [("Date", "Sunday, 06-Nov-94 08:49:37 GMT")]), cc("max-age=60", [("Date", "Sun, 06 Nov 1994 08:49:37 GMT")])),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: DateRules.findings)
    }
}

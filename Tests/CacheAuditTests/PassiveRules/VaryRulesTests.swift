import Testing
@testable import CacheAudit

@Suite struct VaryRulesTests {
    static let cases: [CheckCase] = [
        c(.varyStar, cc("max-age=60", [("Vary", "*")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
        c(.varyUserAgent, cc("max-age=60", [("Vary", "User-Agent")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
        c(.varyCookieOrAuthorization, cc("max-age=60", [("Vary", "Cookie")]), cc("private, max-age=60", [("Vary", "Cookie")])),
        c(.varyHost, cc("max-age=60", [("Vary", "Host")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
        c(.varyTooComplex, cc("max-age=60", [("Vary", "Accept-Encoding, Accept-Language, Accept, Origin")]), cc("max-age=60", [("Vary", "Accept-Encoding, Accept-Language, Origin")])),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: VaryRules.findings)
    }
}

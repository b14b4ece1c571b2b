import Testing
@testable import CacheAudit

@Suite struct TargetedFieldRulesTests {
    static let cases: [CheckCase] = [
        c(.cdnCacheControl, cc("max-age=60", [("CDN-Cache-Control", "max-age=600")]), cc("max-age=60")),
        c(.invalidTargetedField, cc("max-age=60", [("CDN-Cache-Control", "max-age=\"600\"")]), cc("max-age=60", [("CDN-Cache-Control", "max-age=600")])),
        c(.cloudflareCDNCacheControl, cc("max-age=60", [("Cloudflare-CDN-Cache-Control", "max-age=600")]), cc("max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: TargetedFieldRules.findings)
    }
}

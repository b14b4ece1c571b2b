import Testing
@testable import CacheAudit

@Suite struct CDNFieldRulesTests {
    static let cases: [CheckCase] = [
        c(.surrogateControl, cc("max-age=60", [("Surrogate-Control", "max-age=600")]), cc("max-age=60")),
        c(.purgeTags, cc("max-age=60", [("Surrogate-Key", "home product-1")]), cc("max-age=60")),
        c(.edgeControl, cc("max-age=60", [("Edge-Control", "!no-store, max-age=600")]), cc("max-age=60")),
        c(.cloudFront, cc("max-age=60", [("Via", "1.1 3a1b.cloudfront.net (CloudFront)")]), cc("max-age=60", [("Via", "1.1 varnish (Varnish/7.1)")])),
        c(.cacheStatusReported, cc("max-age=60", [("X-Cache", "HIT")]), cc("max-age=60")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: CDNFieldRules.findings)
    }
}

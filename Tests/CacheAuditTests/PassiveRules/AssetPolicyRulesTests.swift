import Testing
@testable import CacheAudit

@Suite struct AssetPolicyRulesTests {
    static let cases: [CheckCase] = [
        c(.fingerprintedShortLifetime, exchange([("Cache-Control", "max-age=3600"), ("ETag", "\"1\"")], url: "https://example.com/assets/app.3f9a1c2b.js"),
            exchange([("Cache-Control", "max-age=31536000, immutable"), ("ETag", "\"1\"")], url: "https://example.com/assets/app.3f9a1c2b.js")),
        c(.longLifetimeOnHTML, exchange([("Cache-Control", "max-age=604800"), ("Content-Type", "text/html"), ("ETag", "\"1\"")], url: "https://example.com/index.html"),
            exchange([("Cache-Control", "max-age=300"), ("Content-Type", "text/html"), ("ETag", "\"1\"")], url: "https://example.com/index.html")),
        c(.staticAssetShortLifetime, exchange([("Cache-Control", "max-age=60"), ("ETag", "\"1\"")], url: "https://example.com/style.css"),
            exchange([("Cache-Control", "max-age=31536000"), ("ETag", "\"1\"")], url: "https://example.com/style.css")),
    ]

    @Test(arguments: cases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: AssetPolicyRules.findings)
    }
}

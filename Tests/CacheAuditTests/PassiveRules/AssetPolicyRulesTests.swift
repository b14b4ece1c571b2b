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

    /// Second cases for checks whose corners the first does not reach.
    static let corners: [CheckCase] = [
        // A UUID in an API path is an identifier, not a content hash of a static asset.
        c(.fingerprintedShortLifetime, exchange([("Cache-Control", "private, max-age=60"), ("ETag", "\"1\""), ("Content-Type", "application/javascript")], url: "https://example.com/static/app.3f9a1c2b.js"),
          exchange([("Cache-Control", "private, max-age=60"), ("ETag", "\"1\""), ("Content-Type", "application/json")],
                   url: "https://example.com/v1/orders/550e8400-e29b-41d4-a716-446655440000")),
    ]

    @Test(arguments: cases + corners)
    func firesAndStaysQuiet(_ check: CheckCase) {
        check.expectFiresAndStaysQuiet(in: AssetPolicyRules.findings)
    }

    @Test(arguments: [
        // Hashes and versions on static assets.
        ("/assets/app.3f9a1c2b.js", nil, true), ("/lib-1.4.2.min.js", nil, true), ("/img/logo.5d41402abc4b2a76.png", nil, true),
        ("/bundle.3f9a1c2b", "text/css", true),
        // Identifiers, dates and versions outside static assets: API paths, HTML.
        ("/v1/orders/550e8400-e29b-41d4-a716-446655440000", "application/json", false),
        ("/v1/orders/550e8400-e29b-41d4-a716-446655440000", nil, false),
        ("/reports/2024.01.15/summary", "application/json", false), ("/v2.1.0/users/3f9a1c2b", nil, false),
        // A UUID-named upload is an identifier even on an image.
        ("/uploads/550e8400-e29b-41d4-a716-446655440000.png", nil, false),
    ] as [(String, String?, Bool)])
    func aFingerprintIsAHashOrVersionOnAStaticAsset(path: String, contentType: String?, expected: Bool) {
        #expect(URLPath.isFingerprintedAsset(path: path, contentType: contentType) == expected)
    }
}

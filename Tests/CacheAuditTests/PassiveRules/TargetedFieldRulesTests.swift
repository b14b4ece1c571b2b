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

    func detail(_ id: CheckID, _ x: Exchange) -> String? { CacheAudit.audit(x).findings.first { $0.id == id }?.detail }

    @Test func aNegativeLifetimeSaysWhichNumber() {
        // RFC 9213 §2.1: the directives' values keep their RFC 9111 meaning, and delta-seconds is
        // non-negative (RFC 9111 §1.2.2), though a Structured Field Integer may be negative.
        #expect(detail(.invalidTargetedField, cc("max-age=60", [("CDN-Cache-Control", "max-age=-1")]))
                == "CDN-Cache-Control: max-age must be a non-negative integer, not -1")
        #expect(detail(.invalidTargetedField, cc("max-age=60", [("CDN-Cache-Control", "max-age=1.5")]))
                == "CDN-Cache-Control: max-age must be a non-negative integer, not a decimal")
    }

    @Test func noStoreBesideACDNThatStoresIsToldOnce() {
        // RFC 9213 §2.2: a CDN with a valid CDN-Cache-Control ignores Cache-Control, so
        // "no cache may store it" (CACHE002) would contradict the CDN row.
        let x = cc("no-store", [("CDN-Cache-Control", "max-age=600")])
        let audit = CacheAudit.audit(x)
        #expect(audit.verdict(.cdn).storable)
        #expect(!audit.findings.map(\.id).contains(.noStore))
        #expect(detail(.cdnCacheControl, x) == "N = 600 s; Cache-Control no-store still keeps browsers and shared caches out")
        // Without the targeted field, no-store keeps everyone out and CACHE002 says so.
        #expect(ids(cc("no-store")).contains(.noStore))
    }
}

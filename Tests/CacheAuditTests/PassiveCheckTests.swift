import Testing
@testable import CacheAudit

/// One response on which a check must fire and a near-identical one on which it must not.
struct CheckCase: Sendable, CustomTestStringConvertible {
    var id: CheckID
    var fires: Exchange
    var quiet: Exchange
    var testDescription: String { id.rawValue }
}

private func c(_ id: CheckID, _ fires: Exchange, _ quiet: Exchange) -> CheckCase { CheckCase(id: id, fires: fires, quiet: quiet) }
private func cc(_ value: String, _ more: [(String, String)] = []) -> Exchange {
    exchange([("Cache-Control", value), ("ETag", "\"v1\"")] + more)
}

let passiveCases: [CheckCase] = [
    c(.methodNotCacheable, exchange([("Cache-Control", "max-age=60")], method: "POST"), exchange([("Cache-Control", "max-age=60")])),
    c(.noStore, cc("no-store"), cc("max-age=60")),
    c(.privateResponse, cc("private, max-age=60"), cc("public, max-age=60")),
    c(.authorizedRequest, exchange([("Cache-Control", "max-age=60")], request: [("Authorization", "Basic eDp5")]), cc("max-age=60")),
    c(.statusNotStorable, exchange([], status: 500), exchange([("Cache-Control", "max-age=60")], status: 500)),
    c(.noExplicitFreshness, exchange([("Last-Modified", date(D - 1000))]), exchange([("Last-Modified", date(D - 1000)), ("Cache-Control", "max-age=60")])),
    c(.setCookieOnSharedResponse, cc("max-age=60", [("Set-Cookie", "id=1")]), cc("private, max-age=60", [("Set-Cookie", "id=1")])),
    c(.publicUnnecessary, cc("public, max-age=60"), exchange([("Cache-Control", "public"), ("Last-Modified", date(D - 100))])),
    c(.publicAndPrivate, cc("public, private"), cc("private")),
    c(.inertBesideNoStore, cc("no-store, max-age=60"), cc("no-store, must-understand")),
    c(.mustUnderstandWithoutNoStore, cc("must-understand, max-age=60"), cc("must-understand, no-store")),
    c(.qualifiedPrivateOrNoCache, cc("private=\"Set-Cookie\", max-age=60"), cc("private, max-age=60")),
    c(.freshnessSummary, cc("max-age=60"), cc("no-store")),
    c(.staleOnArrival, exchange([("Cache-Control", "max-age=0")]), cc("max-age=0")),
    c(.noCacheWithoutValidator, exchange([("Cache-Control", "no-cache")]), cc("no-cache")),
    c(.noCacheRevalidates, cc("no-cache"), cc("max-age=0")),
    c(.expiresIgnored, cc("max-age=60", [("Expires", date(D + 60))]), exchange([("Expires", date(D + 60))])),
    c(.invalidExpires, cc("public", [("Expires", "0")]), cc("public", [("Expires", date(D + 60))])),
    c(.lifetimeOverflow, cc("max-age=9999999999"), cc("max-age=31536000")),
    c(.invalidDeltaSeconds, cc("max-age=-1"), cc("max-age=1")),
    c(.quotedDeltaSeconds, cc("max-age=\"60\""), cc("max-age=60")),
    c(.repeatedDirective, cc("max-age=60, max-age=120"), cc("max-age=60, max-age=60")),
    c(.sharedLifetimeDiffers, cc("max-age=60, s-maxage=300"), cc("max-age=60, s-maxage=60")),
    c(.sharedDirectiveOnPrivate, cc("private, s-maxage=60"), cc("public, s-maxage=60")),
    c(.noStaleServing, cc("max-age=60, must-revalidate"), cc("max-age=60")),
    c(.mustRevalidateWithStaleWindow, cc("max-age=60, must-revalidate, stale-while-revalidate=30"), cc("max-age=60, stale-while-revalidate=30")),
    c(.staleWindow, cc("max-age=60, stale-if-error=600"), cc("max-age=60")),
    c(.immutableShortLifetime, cc("max-age=60, immutable"), cc("max-age=31536000, immutable")),
    c(.heuristicLifetime, exchange([("Last-Modified", date(D - 10_000))]), exchange([("Last-Modified", date(D - 10_000)), ("Cache-Control", "max-age=60")])),
    c(.lastModifiedAfterDate, cc("max-age=60", [("Last-Modified", date(D + 100))]), cc("max-age=60", [("Last-Modified", date(D - 100))])),
    c(.staleOnReceipt, cc("max-age=60", [("Age", "120"), ("Date", date(D - 120))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
    c(.servedFromCache, cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))]), cc("max-age=60")),
    c(.invalidAge, cc("max-age=60", [("Age", "10, 20"), ("Date", date(D - 10))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
    c(.noDate, exchange([("Cache-Control", "max-age=60")], dated: false), cc("max-age=60")),
    c(.invalidDate, cc("max-age=60", [("Date", "yesterday")]), cc("max-age=60")),
    c(.clockSkew, cc("max-age=60", [("Date", date(D - 100))]), cc("max-age=60", [("Date", date(D - 100)), ("Age", "100")])),
    c(.agePenalty, cc("max-age=600", [("Age", "100")]), cc("max-age=600", [("Date", date(D - 100)), ("Age", "100")])),
    c(.obsoleteDateFormat, cc("max-age=60", [("Date", "Sunday, 06-Nov-94 08:49:37 GMT")]), cc("max-age=60", [("Date", "Sun, 06 Nov 1994 08:49:37 GMT")])),
    c(.noValidator, exchange([("Cache-Control", "max-age=60")]), cc("max-age=60")),
    c(.invalidETag, exchange([("Cache-Control", "max-age=60"), ("ETag", "v1")]), cc("max-age=60")),
    c(.weakETag, exchange([("Cache-Control", "max-age=60"), ("ETag", "W/\"v1\"")]), cc("max-age=60")),
    c(.varyStar, cc("max-age=60", [("Vary", "*")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
    c(.varyUserAgent, cc("max-age=60", [("Vary", "User-Agent")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
    c(.varyCookieOrAuthorization, cc("max-age=60", [("Vary", "Cookie")]), cc("private, max-age=60", [("Vary", "Cookie")])),
    c(.varyHost, cc("max-age=60", [("Vary", "Host")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
    c(.varyTooComplex, cc("max-age=60", [("Vary", "Accept-Encoding, Accept-Language, Accept, Origin")]), cc("max-age=60", [("Vary", "Accept-Encoding, Accept-Language, Origin")])),
    c(.directiveNotLowercase, cc("Max-Age=60"), cc("max-age=60")),
    c(.argumentNotAllowed, cc("no-store=1"), cc("no-store")),
    c(.misspeltDirective, cc("maxage=60"), cc("max-age=60, community=\"UCI\"")),
    c(.requestOnlyDirective, cc("max-age=60, max-stale=60"), cc("max-age=60")),
    c(.pragmaNoCache, cc("max-age=60", [("Pragma", "no-cache")]), cc("max-age=60")),
    c(.ieOnlyDirective, cc("max-age=60, pre-check=0, post-check=0"), cc("max-age=60")),
    c(.warningField, cc("max-age=60", [("Warning", "110 - \"Response is Stale\"")]), cc("max-age=60")),
    c(.cdnCacheControl, cc("max-age=60", [("CDN-Cache-Control", "max-age=600")]), cc("max-age=60")),
    c(.invalidTargetedField, cc("max-age=60", [("CDN-Cache-Control", "max-age=\"600\"")]), cc("max-age=60", [("CDN-Cache-Control", "max-age=600")])),
    c(.cloudflareCDNCacheControl, cc("max-age=60", [("Cloudflare-CDN-Cache-Control", "max-age=600")]), cc("max-age=60")),
    c(.surrogateControl, cc("max-age=60", [("Surrogate-Control", "max-age=600")]), cc("max-age=60")),
    c(.purgeTags, cc("max-age=60", [("Surrogate-Key", "home product-1")]), cc("max-age=60")),
    c(.edgeControl, cc("max-age=60", [("Edge-Control", "!no-store, max-age=600")]), cc("max-age=60")),
    c(.cloudFront, cc("max-age=60", [("Via", "1.1 3a1b.cloudfront.net (CloudFront)")]), cc("max-age=60", [("Via", "1.1 varnish (Varnish/7.1)")])),
    c(.cacheStatusReported, cc("max-age=60", [("X-Cache", "HIT")]), cc("max-age=60")),
    c(.fingerprintedShortLifetime, exchange([("Cache-Control", "max-age=3600"), ("ETag", "\"1\"")], url: "https://example.com/assets/app.3f9a1c2b.js"),
        exchange([("Cache-Control", "max-age=31536000, immutable"), ("ETag", "\"1\"")], url: "https://example.com/assets/app.3f9a1c2b.js")),
    c(.longLifetimeOnHTML, exchange([("Cache-Control", "max-age=604800"), ("Content-Type", "text/html"), ("ETag", "\"1\"")], url: "https://example.com/index.html"),
        exchange([("Cache-Control", "max-age=300"), ("Content-Type", "text/html"), ("ETag", "\"1\"")], url: "https://example.com/index.html")),
    c(.staticAssetShortLifetime, exchange([("Cache-Control", "max-age=60"), ("ETag", "\"1\"")], url: "https://example.com/style.css"),
        exchange([("Cache-Control", "max-age=31536000"), ("ETag", "\"1\"")], url: "https://example.com/style.css")),
]

@Suite struct PassiveCheckTests {
    @Test(arguments: passiveCases)
    func firesAndStaysQuiet(_ check: CheckCase) {
        #expect(ids(check.fires).contains(check.id), "\(check.id) should fire")
        #expect(!ids(check.quiet).contains(check.id), "\(check.id) should stay quiet")
    }

    @Test func everyPassiveCheckOfTheCatalogueHasACase() {
        let passive = CheckCatalogue.all.filter { !$0.active }.map(\.id)
        #expect(passiveCases.map(\.id) == passive)
    }

    @Test func findingsCarryTheCatalogueSeverityMessageAndCitation() {
        let finding = CacheAudit.audit(cc("max-age=60, max-age=120")).findings.first { $0.id == .repeatedDirective }
        #expect(finding?.severity == .warn)
        #expect(finding?.check.cite == "RFC9111 §4.2.1")
        #expect(finding?.detail == "max-age")
    }

    @Test func aHostileHeaderIsAFindingNotACrash() {
        let junk = String(repeating: "\"", count: 5000) + "max-age=\u{1}\u{FF}"
        let audit = CacheAudit.audit(exchange([("Cache-Control", junk), ("Age", "-3"), ("Date", "\u{0}"), ("ETag", "\"")]))
        #expect(audit.findings.contains { $0.id == .invalidAge })
        #expect(audit.findings.contains { $0.id == .invalidDate })
        #expect(audit.findings.contains { $0.id == .invalidETag })
    }
}

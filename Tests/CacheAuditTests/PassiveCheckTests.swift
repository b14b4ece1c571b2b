import ScaleCore
import Testing
import TestSupport
@testable import CacheAudit

/// One response on which a check must fire and a near-identical one on which it must not.
struct CheckCase: Sendable, CustomTestStringConvertible {
    var id: String
    var fires: Exchange
    var quiet: Exchange
    var testDescription: String { id }
}

private func c(_ id: String, _ fires: Exchange, _ quiet: Exchange) -> CheckCase { CheckCase(id: id, fires: fires, quiet: quiet) }
private func cc(_ value: String, _ more: [(String, String)] = []) -> Exchange {
    exchange([("Cache-Control", value), ("ETag", "\"v1\"")] + more)
}

let passiveCases: [CheckCase] = [
    c("CACHE001", exchange([("Cache-Control", "max-age=60")], method: "POST"), exchange([("Cache-Control", "max-age=60")])),
    c("CACHE002", cc("no-store"), cc("max-age=60")),
    c("CACHE003", cc("private, max-age=60"), cc("public, max-age=60")),
    c("CACHE004", exchange([("Cache-Control", "max-age=60")], request: [("Authorization", "Basic eDp5")]), cc("max-age=60")),
    c("CACHE005", exchange([], status: 500), exchange([("Cache-Control", "max-age=60")], status: 500)),
    c("CACHE006", exchange([("Last-Modified", date(D - 1000))]), exchange([("Last-Modified", date(D - 1000)), ("Cache-Control", "max-age=60")])),
    c("CACHE007", cc("max-age=60", [("Set-Cookie", "id=1")]), cc("private, max-age=60", [("Set-Cookie", "id=1")])),
    c("CACHE008", cc("public, max-age=60"), exchange([("Cache-Control", "public"), ("Last-Modified", date(D - 100))])),
    c("CACHE009", cc("public, private"), cc("private")),
    c("CACHE010", cc("no-store, max-age=60"), cc("no-store, must-understand")),
    c("CACHE011", cc("must-understand, max-age=60"), cc("must-understand, no-store")),
    c("CACHE012", cc("private=\"Set-Cookie\", max-age=60"), cc("private, max-age=60")),
    c("CACHE020", cc("max-age=60"), cc("no-store")),
    c("CACHE021", exchange([("Cache-Control", "max-age=0")]), cc("max-age=0")),
    c("CACHE022", exchange([("Cache-Control", "no-cache")]), cc("no-cache")),
    c("CACHE023", cc("no-cache"), cc("max-age=0")),
    c("CACHE024", cc("max-age=60", [("Expires", date(D + 60))]), exchange([("Expires", date(D + 60))])),
    c("CACHE025", cc("public", [("Expires", "0")]), cc("public", [("Expires", date(D + 60))])),
    c("CACHE026", cc("max-age=9999999999"), cc("max-age=31536000")),
    c("CACHE027", cc("max-age=-1"), cc("max-age=1")),
    c("CACHE028", cc("max-age=\"60\""), cc("max-age=60")),
    c("CACHE029", cc("max-age=60, max-age=120"), cc("max-age=60, max-age=60")),
    c("CACHE030", cc("max-age=60, s-maxage=300"), cc("max-age=60, s-maxage=60")),
    c("CACHE031", cc("private, s-maxage=60"), cc("public, s-maxage=60")),
    c("CACHE032", cc("max-age=60, must-revalidate"), cc("max-age=60")),
    c("CACHE033", cc("max-age=60, must-revalidate, stale-while-revalidate=30"), cc("max-age=60, stale-while-revalidate=30")),
    c("CACHE034", cc("max-age=60, stale-if-error=600"), cc("max-age=60")),
    c("CACHE035", cc("max-age=60, immutable"), cc("max-age=31536000, immutable")),
    c("CACHE036", exchange([("Last-Modified", date(D - 10_000))]), exchange([("Last-Modified", date(D - 10_000)), ("Cache-Control", "max-age=60")])),
    c("CACHE037", cc("max-age=60", [("Last-Modified", date(D + 100))]), cc("max-age=60", [("Last-Modified", date(D - 100))])),
    c("CACHE038", cc("max-age=60", [("Age", "120"), ("Date", date(D - 120))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
    c("CACHE039", cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))]), cc("max-age=60")),
    c("CACHE040", cc("max-age=60", [("Age", "10, 20"), ("Date", date(D - 10))]), cc("max-age=60", [("Age", "10"), ("Date", date(D - 10))])),
    c("CACHE041", exchange([("Cache-Control", "max-age=60")], dated: false), cc("max-age=60")),
    c("CACHE042", cc("max-age=60", [("Date", "yesterday")]), cc("max-age=60")),
    c("CACHE043", cc("max-age=60", [("Date", date(D - 100))]), cc("max-age=60", [("Date", date(D - 100)), ("Age", "100")])),
    c("CACHE044", cc("max-age=600", [("Age", "100")]), cc("max-age=600", [("Date", date(D - 100)), ("Age", "100")])),
    c("CACHE045", cc("max-age=60", [("Date", "Sunday, 06-Nov-94 08:49:37 GMT")]), cc("max-age=60", [("Date", "Sun, 06 Nov 1994 08:49:37 GMT")])),
    c("CACHE050", exchange([("Cache-Control", "max-age=60")]), cc("max-age=60")),
    c("CACHE051", exchange([("Cache-Control", "max-age=60"), ("ETag", "v1")]), cc("max-age=60")),
    c("CACHE052", exchange([("Cache-Control", "max-age=60"), ("ETag", "W/\"v1\"")]), cc("max-age=60")),
    c("CACHE060", cc("max-age=60", [("Vary", "*")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
    c("CACHE061", cc("max-age=60", [("Vary", "User-Agent")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
    c("CACHE062", cc("max-age=60", [("Vary", "Cookie")]), cc("private, max-age=60", [("Vary", "Cookie")])),
    c("CACHE063", cc("max-age=60", [("Vary", "Host")]), cc("max-age=60", [("Vary", "Accept-Encoding")])),
    c("CACHE064", cc("max-age=60", [("Vary", "Accept-Encoding, Accept-Language, Accept, Origin")]), cc("max-age=60", [("Vary", "Accept-Encoding, Accept-Language, Origin")])),
    c("CACHE070", cc("Max-Age=60"), cc("max-age=60")),
    c("CACHE071", cc("no-store=1"), cc("no-store")),
    c("CACHE072", cc("maxage=60"), cc("max-age=60, community=\"UCI\"")),
    c("CACHE073", cc("max-age=60, max-stale=60"), cc("max-age=60")),
    c("CACHE074", cc("max-age=60", [("Pragma", "no-cache")]), cc("max-age=60")),
    c("CACHE075", cc("max-age=60, pre-check=0, post-check=0"), cc("max-age=60")),
    c("CACHE076", cc("max-age=60", [("Warning", "110 - \"Response is Stale\"")]), cc("max-age=60")),
    c("CACHE080", cc("max-age=60", [("CDN-Cache-Control", "max-age=600")]), cc("max-age=60")),
    c("CACHE081", cc("max-age=60", [("CDN-Cache-Control", "max-age=\"600\"")]), cc("max-age=60", [("CDN-Cache-Control", "max-age=600")])),
    c("CACHE082", cc("max-age=60", [("Cloudflare-CDN-Cache-Control", "max-age=600")]), cc("max-age=60")),
    c("CACHE083", cc("max-age=60", [("Surrogate-Control", "max-age=600")]), cc("max-age=60")),
    c("CACHE084", cc("max-age=60", [("Surrogate-Key", "home product-1")]), cc("max-age=60")),
    c("CACHE085", cc("max-age=60", [("Edge-Control", "!no-store, max-age=600")]), cc("max-age=60")),
    c("CACHE086", cc("max-age=60", [("Via", "1.1 3a1b.cloudfront.net (CloudFront)")]), cc("max-age=60", [("Via", "1.1 varnish (Varnish/7.1)")])),
    c("CACHE087", cc("max-age=60", [("X-Cache", "HIT")]), cc("max-age=60")),
    c("CACHE090", exchange([("Cache-Control", "max-age=3600"), ("ETag", "\"1\"")], url: "https://example.com/assets/app.3f9a1c2b.js"),
        exchange([("Cache-Control", "max-age=31536000, immutable"), ("ETag", "\"1\"")], url: "https://example.com/assets/app.3f9a1c2b.js")),
    c("CACHE091", exchange([("Cache-Control", "max-age=604800"), ("Content-Type", "text/html"), ("ETag", "\"1\"")], url: "https://example.com/index.html"),
        exchange([("Cache-Control", "max-age=300"), ("Content-Type", "text/html"), ("ETag", "\"1\"")], url: "https://example.com/index.html")),
    c("CACHE092", exchange([("Cache-Control", "max-age=60"), ("ETag", "\"1\"")], url: "https://example.com/style.css"),
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
        let finding = CacheAudit.audit(cc("max-age=60, max-age=120")).findings.first { $0.id == "CACHE029" }
        #expect(finding?.severity == .warn)
        #expect(finding?.check.cite == "RFC9111 §4.2.1")
        #expect(finding?.detail == "max-age")
    }

    @Test func typosAreToldFromExtensions() {
        #expect(PassiveChecks.likelyTypo("maxage") == "max-age")
        #expect(PassiveChecks.likelyTypo("max_age") == "max-age")
        #expect(PassiveChecks.likelyTypo("s-max-age") == "s-maxage")
        #expect(PassiveChecks.likelyTypo("no_cache") == "no-cache")
        #expect(PassiveChecks.likelyTypo("max-age:60") == "max-age")
        #expect(PassiveChecks.likelyTypo("community") == nil)
    }

    @Test func aHostileHeaderIsAFindingNotACrash() {
        let junk = String(repeating: "\"", count: 5000) + "max-age=\u{1}\u{FF}"
        let audit = CacheAudit.audit(exchange([("Cache-Control", junk), ("Age", "-3"), ("Date", "\u{0}"), ("ETag", "\"")]))
        #expect(audit.findings.contains { $0.id == "CACHE040" })
        #expect(audit.findings.contains { $0.id == "CACHE042" })
        #expect(audit.findings.contains { $0.id == "CACHE051" })
    }
}

struct CatalogueNotAnArray: Error {}

/// The catalogue in code must match the contract file, check for check.
@Suite struct CatalogueContractTests {
    static let copy = RepositoryRoot.file("Tests/CacheAuditTests/cache-checks.json")

    static func load(_ path: String) throws -> [JSONValue] {
        let text = try #require(readTextFile(path), "cannot read \(path)")
        guard case .array(let entries) = try JSONParser.read(Array(text.utf8)) else { throw CatalogueNotAnArray() }
        return entries
    }

    @Test func codeMatchesTheCommittedCopy() throws {
        let entries = try Self.load(Self.copy)
        #expect(entries.count == CheckCatalogue.all.count)
        for (entry, check) in zip(entries, CheckCatalogue.all) {
            #expect(entry["id"]?.string == check.id)
            #expect(entry["severity"]?.string == check.severity.rawValue, "\(check.id)")
            #expect(entry["group"]?.string == check.group, "\(check.id)")
            #expect(entry["active"] == .bool(check.active), "\(check.id)")
            #expect(entry["message"]?.string == check.message, "\(check.id)")
            #expect(entry["cite"]?.string == check.cite, "\(check.id)")
        }
    }
}

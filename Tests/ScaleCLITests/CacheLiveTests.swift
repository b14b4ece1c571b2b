import CacheAudit
import Glibc
import Testing
import ScaleCore
import ScaleCLI
import TestSupport

/// `cache audit` against a real Debian nginx (expires, add_header, ETag/Last-Modified, gzip on
/// and off) and a real varnish in front of it, both on loopback.
@Suite(.serialized, .requires(NginxFixture.executable, package: "nginx-light"))
struct CacheLiveTests {
    static let css = Array(String(repeating: "body { color: black; margin: 0 auto; }\n", count: 40).utf8)

    static func nginx() throws -> NginxFixture {
        try NginxFixture(files: [
            "static/app.3f9a1c2b.css": css,
            "novary/app.css": css,
            "nocache/page.html": Array("<html>hello</html>\n".utf8),
            "index.html": Array("<html>index</html>\n".utf8),
            "sitemap.xml": Array("<urlset><url><loc>PLACEHOLDER/index.html</loc></url><url><loc>PLACEHOLDER/nocache/page.html</loc></url></urlset>".utf8),
        ], serverConfig: """
        location /static/ { expires 1y; add_header Cache-Control "public, immutable"; gzip_vary on; }
                location /novary/ { expires 1h; gzip_vary off; }
                location /nocache/ { add_header Cache-Control "no-cache"; }
                location = /moved { return 301 /index.html; }
                location = /sitemap.xml { sub_filter PLACEHOLDER http://$http_host; sub_filter_once off; sub_filter_types text/xml; types { text/xml xml; } }
                location / { add_header Cache-Control "max-age=60"; }
        """, httpConfig: "gzip on; gzip_min_length 1; gzip_types text/css;")
    }

    /// The result lines of `-o ndjson`, parsed.
    static func results(_ out: String) throws -> [JSONValue] {
        try out.split(separator: "\n").map { try JSONParser.read(Array($0.utf8)) }.filter { $0["type"]?.string == "result" }
    }

    static func findings(_ rows: [JSONValue], url: String) -> [String] {
        rows.filter { $0["kind"]?.string == "finding" && $0["url"]?.string == url }.compactMap { $0["check_id"]?.string }
    }

    static func verdict(_ rows: [JSONValue], url: String, _ cacheClass: String) -> JSONValue? {
        rows.first { $0["kind"]?.string == "verdict" && $0["url"]?.string == url && $0["cache_class"]?.string == cacheClass }
    }

    @Test func passiveVerdictsFromNginx() throws {
        let server = try Self.nginx()
        defer { server.stop() }
        let fingerprinted = server.baseURL + "/static/app.3f9a1c2b.css"
        let nocache = server.baseURL + "/nocache/page.html"
        let result = run(["cache", "audit", fingerprinted, nocache, "-o", "ndjson", "--fail-on", "none"])
        #expect(result.status == .ok, "\(result.err)")
        let rows = try Self.results(result.out)
        // expires 1y: max-age=31536000 (365 x 86400) plus an Expires that max-age overrides.
        let browser = try #require(Self.verdict(rows, url: fingerprinted, "browser"))
        #expect(browser["lifetime_seconds"] == .number(JSONNumber(text: "31536000")))
        #expect(browser["lifetime_source"]?.string == "max-age")
        #expect(browser["immutable"] == .bool(true))
        let staticIDs = Self.findings(rows, url: fingerprinted)
        #expect(staticIDs.contains("CACHE024"), "Expires beside max-age")
        #expect(!staticIDs.contains("CACHE090"), "fingerprinted, a year, immutable")
        #expect(!staticIDs.contains("CACHE050"), "nginx sends ETag and Last-Modified")
        let revalidate = try #require(Self.verdict(rows, url: nocache, "shared"))
        #expect(revalidate["state"]?.string == "revalidate")
        let nocacheIDs = Self.findings(rows, url: nocache)
        #expect(nocacheIDs.contains("CACHE023"))
        #expect(!nocacheIDs.contains("CACHE022"), "nginx's ETag makes revalidation cheap")
    }

    @Test func activeChecksSee304sAndAMissingVary() throws {
        let server = try Self.nginx()
        defer { server.stop() }
        let good = server.baseURL + "/static/app.3f9a1c2b.css"
        let novary = server.baseURL + "/novary/app.css"
        let result = run(["cache", "audit", "--active", good, novary, "-o", "ndjson", "--fail-on", "error"])
        let rows = try Self.results(result.out)
        let goodIDs = Self.findings(rows, url: good)
        // nginx answers If-None-Match and If-Modified-Since with 304 ...
        for id in ["CACHE053", "CACHE054", "CACHE056", "CACHE057", "CACHE058", "CACHE065", "CACHE066", "CACHE095"] {
            #expect(!goodIDs.contains(id), "\(id) on \(good): \(goodIDs)")
        }
        // ... but leaves out the Vary: Accept-Encoding its 200 carried (curl -sD- shows the same
        // with nginx 1.22): a real CACHE055, once per conditional request.
        let missing = rows.filter { $0["check_id"]?.string == "CACHE055" && $0["url"]?.string == good }.compactMap { $0["detail"]?.string }
        #expect(missing == ["if-none-match 304 lacks vary", "if-modified-since 304 lacks vary"])
        // gzip_vary off: a gzip-negotiated response without Vary: Accept-Encoding.
        let novaryIDs = Self.findings(rows, url: novary)
        #expect(novaryIDs.contains("CACHE065"), "\(novaryIDs)")
        #expect(result.status == .critical, "CACHE065 is an error")
    }

    @Test func redirectsAreFollowedAndEveryHopAudited() throws {
        let server = try Self.nginx()
        defer { server.stop() }
        let result = run(["cache", "audit", "-L", server.baseURL + "/moved", "-o", "ndjson", "--fail-on", "none"])
        let rows = try Self.results(result.out)
        let statuses = rows.filter { $0["kind"]?.string == "verdict" && $0["cache_class"]?.string == "browser" }.compactMap { $0["http_status"] }
        #expect(statuses == [.number(JSONNumber(text: "301")), .number(JSONNumber(text: "200"))])
        #expect(Self.verdict(rows, url: server.baseURL + "/index.html", "browser")?["lifetime_seconds"] == .number(JSONNumber(text: "60")))
        // nginx's `return 301` carries no freshness and no Last-Modified: stored (301 is
        // heuristically cacheable) with nothing to compute a lifetime from.
        #expect(Self.verdict(rows, url: server.baseURL + "/moved", "browser")?["lifetime_source"]?.string == "none")
        #expect(Self.findings(rows, url: server.baseURL + "/moved").contains("CACHE006"))
    }

    @Test func sitemapHEADAndAuthorization() throws {
        let server = try Self.nginx()
        defer { server.stop() }
        let result = run(["cache", "audit", "--sitemap", server.baseURL + "/sitemap.xml", "-X", "HEAD",
                          "-H", "Authorization: Bearer t0ken", "-o", "ndjson", "--fail-on", "none"])
        #expect(result.status == .ok, "\(result.err)")
        #expect(!result.out.contains("t0ken"))
        let rows = try Self.results(result.out)
        let index = server.baseURL + "/index.html"
        // max-age=60 without public: with Authorization, shared caches must not store (§3.5).
        #expect(Self.verdict(rows, url: index, "browser")?["stored"] == .bool(true))
        #expect(Self.verdict(rows, url: index, "shared")?["stored"] == .bool(false))
        #expect(Self.findings(rows, url: index).contains("CACHE004"))
        #expect(Self.verdict(rows, url: server.baseURL + "/nocache/page.html", "shared") != nil)
    }

    @Test(.requires(NginxFixture.opensslExecutable, package: "openssl"))
    func tlsIsVerifiedUnlessInsecure() throws {
        let server = try NginxFixture(files: ["index.html": Array("<html>tls</html>\n".utf8)], tls: true)
        defer { server.stop() }
        let url = server.baseURL + "/index.html"
        let verified = run(["cache", "audit", url])
        #expect(verified.status == .critical, "a self-signed certificate fails verification")
        #expect(verified.out.contains("failed: ") && verified.out.contains("(tls)"), "\(verified.out)")
        let insecure = run(["cache", "audit", url, "-k"])
        #expect(insecure.status == .ok, "\(insecure.out)")
        #expect(insecure.out.hasSuffix("note: TLS verification is off (--insecure)\n"))
    }

    @Test func anUnreachableURLExits2() throws {
        let port = try RefusedPort()
        let result = run(["cache", "audit", "http://127.0.0.1:\(port.port)/", "--timeout", "2s"])
        #expect(result.status == .critical)
        #expect(result.out.contains("failed: "))
        #expect(result.out.contains("FAILURES:  1"))
    }

    @Test(.requires(VarnishFixture.executable, package: "varnish"))
    func varnishHitsCarryAgeAndTwoIDs() throws {
        let origin = try Self.nginx()
        defer { origin.stop() }
        let varnish = try VarnishFixture(originPort: origin.port)
        defer { varnish.stop() }
        let url = varnish.baseURL + "/index.html"
        let miss = try Self.results(run(["cache", "audit", url, "-o", "ndjson", "--fail-on", "none"]).out)
        let missStatus = miss.first { $0["check_id"]?.string == "CACHE087" }?["detail"]?.string ?? ""
        #expect(missStatus.split(separator: " ").count == 2, "a miss names one transaction: \(missStatus)")
        usleep(1_100_000)
        let result = run(["cache", "audit", url, "-o", "ndjson", "--fail-on", "none", "--active"])
        let rows = try Self.results(result.out)
        let ids = Self.findings(rows, url: url)
        #expect(ids.contains("CACHE039"), "a hit from varnish carries Age: \(ids)")
        // A hit names two transactions in X-Varnish: this one and the one that stored it.
        let status = rows.first { $0["check_id"]?.string == "CACHE087" }?["detail"]?.string ?? ""
        let xids = status.split(separator: " ").dropFirst()
        #expect(status.hasPrefix("x-varnish: ") && xids.count == 2 && xids.allSatisfy { $0.allSatisfy(\.isNumber) }, "\(status)")
        let shared = try #require(Self.verdict(rows, url: url, "shared"))
        // Stored at least 1.1 s ago with max-age=60: age 1-3 s, so 57-59 s left.
        let age = try #require(shared["age_seconds"]?.double)
        #expect(age >= 1 && age <= 3, "age \(age)")
        #expect(shared["state"]?.string == "fresh")
        // varnish revalidates on behalf of the client: 304 to If-None-Match from its cache.
        #expect(!ids.contains("CACHE053"), "\(ids)")
        #expect(!ids.contains("CACHE057"), "one backend: stable validators")
    }
}

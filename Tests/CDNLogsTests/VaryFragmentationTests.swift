import CDNLogs
import Testing

/// `cdn why`'s vary-fragmentation and set-cookie findings on lines laid out as the vendors
/// document their fields; every expected number is counted by hand from the lines written.
/// Cookie values must never appear in any finding or note.
@Suite struct VaryFragmentationTests {
    /// An nginx `log_format` (variables of ngx_http_core_module and ngx_http_upstream_module:
    /// `$sent_http_vary` is the response's Vary, `$upstream_http_set_cookie` the origin's
    /// Set-Cookie) with the cache status after the combined fields.
    static let nginxFormat = "log_format cachevary '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
        + "\"$http_referer\" \"$http_user_agent\" $upstream_cache_status \"$sent_http_vary\" \"$upstream_http_set_cookie\"';"

    static func nginxLine(_ i: Int, _ path: String, agent: String, cache: String, vary: String, setCookie: String = "-") -> String {
        let s = i % 60
        return "192.0.2.1 - - [23/Nov/2026:08:00:\(s < 10 ? "0" : "")\(s) +0000] \"GET \(path) HTTP/1.1\" 200 1000 \"-\" \"\(agent)\" \(cache) \"\(vary)\" \"\(setCookie)\""
    }

    @Test func varyUserAgentAndSetCookieFromAnNginxLogFormat() throws {
        var lines: [String] = []
        // /page.html varies by User-Agent: 10 agents, each twice, a MISS then a HIT:
        // 10 variants over 20 requests, hit ratio 10 / 20 = 50%.
        for i in 0..<20 { lines.append(Self.nginxLine(i, "/page.html", agent: "Agent/\(i % 10)", cache: i < 10 ? "MISS" : "HIT", vary: "User-Agent")) }
        // /app.css varies by Accept-Encoding, which this format does not log: no variants counted.
        for i in 0..<20 { lines.append(Self.nginxLine(i, "/app.css", agent: "Agent/\(i)", cache: i < 2 ? "MISS" : "HIT", vary: "Accept-Encoding")) }
        // /account/: 25 MISS, 22 of them with Set-Cookie (a session cookie, which must not be shown).
        for i in 0..<25 {
            lines.append(Self.nginxLine(i, "/account/p\(i % 5)", agent: "Agent/1", cache: "MISS", vary: "-",
                                        setCookie: i < 22 ? "sid=s3cr3t\(i); Path=/; HttpOnly" : "-"))
        }
        let result = try analyze(lines.joined(separator: "\n") + "\n") { $0.template = try? LineTemplate.nginx(Self.nginxFormat) }
        let s = result.statistics
        #expect(s.malformedLines == 0)
        let findings = s.findings()
        let vary = findings.filter { $0.kind == .variantFragmentation }
        #expect(vary.map(\.target) == ["/page.html"], "\(vary)")
        #expect(vary.first?.evidence == "fragmented by Vary: User-Agent (10 variants over 20 requests, hit ratio 50%)")
        #expect(vary.first?.ratio == 0.5)
        #expect(vary.first?.originBytes == 10_000)
        let cookie = findings.filter { $0.kind == .setCookie }
        #expect(cookie.map(\.target) == ["/account/"])
        #expect(cookie.first?.evidence == "22 of 25 MISS/PASS responses carried Set-Cookie: likely not stored because of it")
        #expect(cookie.first?.requests == 25)
        // The never-hits finding for /account/ is the same prefix, already explained.
        #expect(!findings.contains { $0.kind == .neverHits && $0.target == "/account/" })
        let text = (findings.map { $0.evidence + $0.advice + $0.target } + s.variantNotes).joined(separator: "\n")
        #expect(!text.contains("s3cr3t"))
        #expect(s.variantNotes.first == "vary-fragmentation: variants counted from the logged Vary, Set-Cookie, User-Agent (cookie values kept only as hashes, never shown)")
    }

    /// A CloudFront standard log (the 33 fields of the AWS standard-log reference) with cookie
    /// logging on: cs(Cookie), field 13, holds the viewer's cookies.
    static func cloudfrontLine(_ path: String, cookie: String, result: String) -> String {
        ["2019-12-04", "21:02:31", "LAX1", "1000", "192.0.2.100", "GET", "d111111abcdef8.cloudfront.net", path, "200", "-",
         "Mozilla/5.0", "-", cookie, result, "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiN00==", "www.example.com", "https",
         "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", result, "HTTP/2.0", "-", "-", "11040", "0.001", result,
         "text/html", "1000", "-", "-"].joined(separator: "\t")
    }
    static let cloudfrontHeader = [
        "#Version: 1.0",
        "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end",
    ]

    @Test func cookieFragmentationFromCloudFrontCookieLogging() throws {
        var lines = Self.cloudfrontHeader
        // /index.html: 12 session cookies, each twice (Miss, then Hit): 12 variants, 24 requests, 50%.
        for i in 0..<24 { lines.append(Self.cloudfrontLine("/index.html", cookie: "session-id=tok\(i % 12)", result: i < 12 ? "Miss" : "Hit")) }
        // /logo.png: no cookies (`-`): not followed at all.
        for i in 0..<24 { lines.append(Self.cloudfrontLine("/logo.png", cookie: "-", result: i == 0 ? "Miss" : "Hit")) }
        let s = try analyze(lines.joined(separator: "\n") + "\n").statistics
        let vary = s.findings().filter { $0.kind == .variantFragmentation }
        #expect(vary.map(\.target) == ["/index.html"])
        #expect(vary.first?.evidence == "fragmented by Cookie (12 variants over 24 requests, hit ratio 50%)")
        #expect(!(vary.map(\.evidence) + s.variantNotes).joined().contains("tok"))
    }

    /// Fastly's JSON logging example (the members of Fastly's "JSON logging" guide) with the
    /// members docs/cdn.md tells a customer to add: "vary" and the request header it names.
    /// /home varies by Accept-Language over 15 languages, one request each and all MISS: 15
    /// variants, 0% hit ratio; a URL without "vary" is not split.
    @Test func varyAcceptLanguageFromFastlyJSON() throws {
        var lines: [String] = []
        for i in 0..<15 {
            lines.append("{\"timestamp\":\"2026-11-23T08:00:\(10 + i)+0000\",\"host\":\"www.example.com\",\"url\":\"/home\",\"request_method\":\"GET\","
                + "\"response_state\":\"MISS\",\"response_status\":200,\"response_body_size\":500,\"vary\":\"Accept-Language\",\"accept_language\":\"lang-\(i)\"}")
        }
        for i in 0..<20 {
            lines.append("{\"timestamp\":\"2026-11-23T08:01:\(10 + i)+0000\",\"host\":\"www.example.com\",\"url\":\"/logo.svg\",\"request_method\":\"GET\","
                + "\"response_state\":\"MISS\",\"response_status\":200,\"response_body_size\":500,\"accept_language\":\"lang-\(i)\"}")
        }
        let s = try analyze(lines.joined(separator: "\n") + "\n").statistics
        #expect(s.malformedLines == 0)
        var limits = FindingThresholds()
        limits.minRequests = 15
        let vary = s.findings(limits).filter { $0.kind == .variantFragmentation }
        #expect(vary.map(\.target) == ["/home"])
        #expect(vary.first?.evidence == "fragmented by Vary: Accept-Language (15 variants over 15 requests, hit ratio 0%)")
    }

    /// Cloudflare Logpush with custom fields: the headers a custom fields rule logs arrive as
    /// objects (`RequestHeaders`, `ResponseHeaders`, names in lower case) and cookies as `Cookies`.
    /// /page varies by User-Agent over 12 agents, each requested twice (miss, then hit): 12
    /// variants over 24 requests, 50%. /cart's `Cookies` object holds 10 distinct sessions, all
    /// misses: 10 variants, 0%. /account/ sets a cookie on each of its 16 misses.
    @Test func varyAndCookiesFromCloudflareCustomFields() throws {
        func line(_ uri: String, cache: String, extra: String) -> String {
            "{\"EdgeStartTimestamp\":\"2026-11-23T08:00:00Z\",\"ClientRequestHost\":\"www.example.com\",\"ClientRequestMethod\":\"GET\","
                + "\"ClientRequestURI\":\"\(uri)\",\"EdgeResponseStatus\":200,\"EdgeResponseBytes\":1000,\"CacheCacheStatus\":\"\(cache)\",\(extra)}"
        }
        var lines: [String] = []
        for i in 0..<24 {
            lines.append(line("/page", cache: i < 12 ? "miss" : "hit",
                              extra: "\"RequestHeaders\":{\"user-agent\":\"agent \\\"\(i % 12)\\\"\",\"x-other\":1},\"ResponseHeaders\":{\"Vary\":\"User-Agent\"}"))
        }
        for i in 0..<10 {
            lines.append(line("/cart", cache: "miss", extra: "\"Cookies\":{\"session\":\"s3cr3t-\(i)\"},\"RequestHeaders\":null"))
        }
        for _ in 0..<16 {
            lines.append(line("/account/login", cache: "miss", extra: "\"ResponseHeaders\":{\"set-cookie\":\"sid=s3cr3t; HttpOnly\"}"))
        }
        // Both a Cookie request header (the same on every line) and a Cookies object (a new
        // session each time), in either order: the header the request carried is the one kept,
        // so /mixed is one variant, whatever the order of the JSON members.
        for i in 0..<20 {
            let cookies = "\"Cookies\":{\"session\":\"s3cr3t-\(i)\"}", header = "\"RequestHeaders\":{\"cookie\":\"consent=yes\"}"
            lines.append(line("/mixed", cache: "miss", extra: i % 2 == 0 ? cookies + "," + header : header + "," + cookies))
        }
        let s = try analyze(lines.joined(separator: "\n") + "\n").statistics
        #expect(s.malformedLines == 0)
        var limits = FindingThresholds()
        limits.minRequests = 10
        let findings = s.findings(limits)
        let vary = findings.filter { $0.kind == .variantFragmentation }.sorted { $0.target < $1.target }
        #expect(vary.map(\.target) == ["/cart", "/page"])
        #expect(vary.map(\.evidence) == ["fragmented by Cookie (10 variants over 10 requests, hit ratio 0%)",
                                         "fragmented by Vary: User-Agent (12 variants over 24 requests, hit ratio 50%)"])
        #expect(findings.filter { $0.kind == .setCookie }.map(\.target) == ["/account/"])
        #expect(!(findings.map(\.evidence) + s.variantNotes).joined().contains("s3cr3t"))

        // Without the custom fields, the note says which to add.
        let plain = try analyze(line("/a", cache: "hit", extra: "\"EdgeColoCode\":\"FRA\"") + "\n").statistics
        let note = try #require(plain.variantNotes.first)
        #expect(note.contains("Logpush custom fields") && note.contains("secrets"), "\(note)")
    }

    /// Where the format logs neither header, the note says what to add, and that cookies are secrets.
    @Test func formatsWithoutTheFieldsSayWhatToAdd() throws {
        // The combined layout with the cache status last (no Vary, no Cookie).
        let plain = (0..<3).map { "192.0.2.1 - - [23/Nov/2026:08:00:0\($0) +0000] \"GET /a HTTP/1.1\" 200 10 \"-\" \"curl/8\" HIT" }
        let nginx = try analyze(plain.joined(separator: "\n") + "\n").statistics
        let note = try #require(nginx.variantNotes.first)
        #expect(note.contains("$sent_http_vary") && note.contains("secrets"), "\(note)")

        var lines = Self.cloudfrontHeader
        for _ in 0..<3 { lines.append(Self.cloudfrontLine("/a", cookie: "-", result: "Hit")) }
        let cloudfront = try analyze(lines.joined(separator: "\n") + "\n").statistics
        let cf = try #require(cloudfront.variantNotes.first)
        #expect(cf.contains("turning on cookie logging") && cf.contains("cs(Cookie)") && cf.contains("secrets"), "\(cf)")
    }
}

import CDNLogs
import Glibc
import ScaleHTTP
import Testing
import TestSupport

/// Logs written by real caches from Debian — nginx with proxy_cache and Varnish with
/// varnishncsa — in front of a scripted origin, driven by a request mix whose outcome is known.
/// Each analysis is checked three ways, none of them the parser's own output: the script's
/// expectation, the cache's own verdict or counters (X-Cache per response, varnishstat), and
/// the origin's count of requests that reached it.
@Suite("Logs of real caches", .serialized)
struct RealServerTests {
    static let body = [UInt8](repeating: 0x61, count: 1000)
    /// Origin latency of cacheable files, so misses are measurably slower than hits.
    static let originDelay = 0.05

    static func origin() throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer(routes: [
            "/static/*": .delayed(seconds: originDelay, then: .respond(status: 200, headers: [
                .init("Cache-Control", "public, max-age=60"), .init("Content-Type", "text/css"),
            ], body: body)),
            "/short/*": .respond(status: 200, headers: [.init("Cache-Control", "public, max-age=1")], body: Array(body.prefix(500))),
            "/private/*": .respond(status: 200, headers: [.init("Cache-Control", "private, no-store")], body: Array(body.prefix(300))),
        ])
    }

    @Test("nginx proxy_cache: the log's classes equal nginx's X-Cache verdicts, the script and the origin's count",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func nginxProxyCache() throws {
        let origin = try Self.origin()
        defer { origin.stop() }
        let nginx = try NginxFixture(cachingProxyTo: origin.port)
        defer { nginx.stop() }
        let client = HTTPClient()
        var verdicts: [String] = []
        func request(_ path: String, method: String = "GET") throws {
            let response = try #require(client.perform(HTTPRequest(method: method, url: nginx.baseURL + path)).value, "\(method) \(path)")
            #expect(response.status == 200, "\(method) \(path): \(nginx.errorLog)")
            verdicts.append(response.value(for: "X-Cache") ?? "")
        }
        // The script: five files four times each (a miss, then hits), a bypass, a response the
        // origin forbids storing, and a copy that expires.
        for name in ["a", "b", "c", "d", "e"] { for _ in 0..<4 { try request("/static/\(name).css") } }
        for _ in 0..<2 { try request("/static/a.css?nocache=1") }
        for _ in 0..<3 { try request("/private/p") }
        try request("/short/x")
        usleep(2_100_000)  // nginx keeps times in whole seconds: max-age=1 is past only after up to 2 s
        try request("/short/x")
        try request("/short/x")

        let expected: [String: UInt64] = ["HIT": 16, "MISS": 5 + 3 + 1, "EXPIRED": 1, "BYPASS": 2]
        var own: [String: UInt64] = [:]
        for v in verdicts { own[v, default: 0] += 1 }
        #expect(own == expected, "nginx's X-Cache verdicts follow the script")

        let log = try waitForLines(nginx.accessLogPath, count: verdicts.count)
        let result = try analyze(log, name: "access.log")
        let s = result.statistics
        #expect(result.inputs.first?.format.hasPrefix("nginx: combined + $upstream_cache_status") == true, "\(result.inputs)")
        #expect(s.malformedLines == 0)
        #expect(s.requests == UInt64(verdicts.count))
        // nginx's words to classes, as LOGFORMATS.md lists them (written out here, not taken from the library).
        let byClass: [String: UInt64] = ["HIT": own["HIT", default: 0], "MISS": own["MISS", default: 0] + own["EXPIRED", default: 0],
                                         "PASS": own["BYPASS", default: 0]]
        #expect(classCounts(s) == byClass)
        #expect(s.totals.expiredRequests == own["EXPIRED"])
        // Every request not answered from cache reached the origin, and no other did.
        #expect(UInt64(origin.requestCount) == s.requests - s.totals.servedFromCache)
        // Bytes: every response body is known from the script.
        #expect(s.totals.bytes(.hit) == 15 * 1000 + 500)
        #expect(s.totals.bytes(.miss) == 5 * 1000 + 3 * 300 + 2 * 500)
        #expect(s.totals.bytes(.pass) == 2 * 1000)
        // The hit ratio by the default definition: 16 / (16 + 10 + 2).
        #expect(RatioDefinition.cache.hitRatio(s.totals) == 16.0 / 28.0)
        // The five first requests of /static waited for the origin's delay (9 in 10 misses
        // include them at the 90th percentile); no hit did.
        let missP90 = try #require(s.missLatency.percentile(0.9))
        let hitP90 = try #require(s.hitLatency.percentile(0.9))
        #expect(missP90 >= Self.originDelay * 0.95, "miss p90 \(missP90)")
        #expect(hitP90 < Self.originDelay, "hit p90 \(hitP90)")

        // The same log read with the exact log_format gives the same counts.
        let exact = try analyze(log, name: "access.log") { $0.template = try? LineTemplate.nginx(NginxFixture.cacheLogFormat) }
        #expect(exact.statistics.totals == s.totals)
    }

    @Test("Varnish: the log's classes equal varnishstat's counters, the script and the origin's count",
          .requires(VarnishLogFixture.executable, package: "varnish"))
    func varnish() throws {
        let origin = try Self.origin()
        defer { origin.stop() }
        let varnish = try VarnishLogFixture(backendPort: origin.port)
        defer { varnish.stop() }
        let before = origin.requestCount
        let client = HTTPClient()
        var sent = 0
        func request(_ path: String, method: String = "GET") throws {
            let response = try #require(client.perform(HTTPRequest(method: method, url: varnish.baseURL + path)).value, "\(method) \(path)")
            #expect(response.status == 200, "\(method) \(path)")
            sent += 1
        }
        // Five files four times each (a miss, then hits); POST, which Varnish's built-in VCL passes.
        for name in ["a", "b", "c", "d", "e"] { for _ in 0..<4 { try request("/static/\(name).css") } }
        for _ in 0..<2 { try request("/static/a.css", method: "POST") }

        let log = try varnish.accessLog(lines: sent)
        let counters = try varnish.counters(requests: sent)
        let result = try analyze(log, name: "varnishncsa.log")
        let s = result.statistics
        #expect(result.inputs.first?.format.hasPrefix("varnish: combined") == true, "\(result.inputs)")
        #expect(s.malformedLines == 0)
        #expect(s.requests == UInt64(sent))
        #expect(classCounts(s) == ["HIT": 15, "MISS": 5, "PASS": 2], "the script's outcome")
        #expect(s.totals.requests(.hit) == counters["MAIN.cache_hit"], "varnishstat: \(counters)")
        #expect(s.totals.requests(.miss) == counters["MAIN.cache_miss"], "varnishstat: \(counters)")
        #expect(s.totals.requests(.pass) == counters["MAIN.s_pass"], "varnishstat: \(counters)")
        #expect(UInt64(origin.requestCount - before) == s.requests - s.totals.servedFromCache)
        // varnishncsa logs the absolute URL: the host comes from it, the path stays a path.
        #expect(s.rows(.host, top: 5).map(\.key) == ["127.0.0.1"])
        #expect(Set(s.rows(.url, top: 10).map(\.key)) == Set(["a", "b", "c", "d", "e"].map { "/static/\($0).css" }))
        #expect(s.hitLatency.total == 0, "varnishncsa's format here has no duration")
    }

    /// The file once it has `count` lines (a server writes a request's line after answering).
    func waitForLines(_ path: String, count: Int) throws -> [UInt8] {
        for _ in 0..<250 {
            let text = readTextFile(path) ?? ""
            if text.split(separator: "\n").count >= count { return Array(text.utf8) }
            usleep(20_000)
        }
        throw LogWait(description: "\(path) has fewer than \(count) lines after 5 s")
    }

    struct LogWait: Error, CustomStringConvertible { var description: String }
}

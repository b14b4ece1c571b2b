import CDNLogs
import Testing

/// `cdn why`'s never-hits and grouped short-TTL findings on logs whose counts are known by
/// construction (each number below is counted from the lines written, not from the library).
@Suite struct WhyFindingsTests {
    static func line(_ i: Int, _ path: String, _ cache: String, method: String = "GET", bytes: Int = 1000) -> String {
        let s = i % 60, m = i / 60 % 60
        return "192.0.2.1 - - [23/Nov/2026:08:\(m < 10 ? "0" : "")\(m):\(s < 10 ? "0" : "")\(s) +0000] \"\(method) \(path) HTTP/1.1\" 200 \(bytes) \"-\" \"curl/8.5.0\" \(cache)"
    }

    /// /api/ never hits: 44 MISS of the log's 100 MISS+PASS (44%), each URL with its own query
    /// string; /static/ hits. /forms/ is all POST. /assets/ is PASS on non-static paths.
    @Test func aPrefixThatNeverHitsIsFoundWithItsShareAndCause() throws {
        var lines: [String] = []
        for i in 0..<44 { lines.append(Self.line(i, "/api/items?id=\(i)", "MISS")) }
        for i in 0..<56 { lines.append(Self.line(i, "/static/app\(i % 4).js", i < 20 ? "MISS" : "HIT")) }
        // 36 more MISS+PASS: 20 POSTs and 16 BYPASS (cacheable-pass needs static files, these are not).
        for i in 0..<20 { lines.append(Self.line(i, "/forms/submit", "MISS", method: "POST")) }
        for i in 0..<16 { lines.append(Self.line(i, "/account/page\(i)", "BYPASS")) }
        let s = try analyze(lines.joined(separator: "\n") + "\n").statistics
        let never = s.findings().filter { $0.kind == .neverHits }
        #expect(never.map(\.target) == ["/api/", "/forms/"], "\(never)")
        // MISS + PASS in the log: 44 + 20 + 20 + 16 = 100.
        let api = try #require(never.first { $0.target == "/api/" })
        #expect(api.requests == 44)
        #expect(api.ratio == 0.44)
        #expect(api.originBytes == 44_000)
        #expect(api.evidence == "44 requests, none from the cache (44 MISS, 0 PASS): 44% of all MISS and PASS; 44 of 44 URLs carry a query string (one copy each)")
        let forms = try #require(never.first { $0.target == "/forms/" })
        #expect(forms.evidence.hasSuffix("; 20 are methods no cache stores (POST, PUT, …)"))
        // 16 requests: under --min-requests, not reported.
        #expect(!never.contains { $0.target == "/account/" })
        let withLowerBar = s.findings({ var t = FindingThresholds(); t.minRequests = 10; return t }()).filter { $0.kind == .neverHits }
        #expect(withLowerBar.first { $0.target == "/account/" }?.evidence.hasSuffix("(PASS/BYPASS: a bypass rule, or no-store/private/Set-Cookie from the origin)") == true)
    }

    /// Past `--max-keys` the URL table keeps only the most requested URLs: the count of URLs with
    /// a query string is of those kept, and the evidence says so. 44 distinct URLs, a limit of 20:
    /// the table holds 20 of them, all with a query string.
    @Test func neverHitsQualifiesTheURLCountWhenTheTableIsAnEstimate() throws {
        let lines = (0..<44).map { Self.line($0, "/api/items?id=\($0)", "MISS") }
        let s = try analyze(lines.joined(separator: "\n") + "\n") { $0.maxKeys = 20; $0.threads = 1 }.statistics
        let api = try #require(s.findings().first { $0.kind == .neverHits && $0.target == "/api/" })
        #expect(api.evidence.hasSuffix("; 20 of the 20 URLs kept under it carry a query string (one copy each; the URL table kept only the most requested 20 URLs)"),
                "\(api.evidence)")
    }

    /// Three files under /static/ that each expire on 5 of 20 requests make one short-ttl row for
    /// the prefix, naming the file with the most; a lone path keeps its own row.
    @Test func shortTTLFilesUnderOnePrefixAreOneRow() throws {
        var lines: [String] = []
        for (k, name) in ["a.js", "b.js", "c.js"].enumerated() {
            for i in 0..<20 { lines.append(Self.line(i * 60, "/static/" + name, i % 4 == 0 || (k == 1 && i == 1) ? "EXPIRED" : "HIT")) }
        }
        for i in 0..<20 { lines.append(Self.line(i * 60, "/api/prices", i % 2 == 0 ? "EXPIRED" : "HIT")) }
        let s = try analyze(lines.joined(separator: "\n") + "\n").statistics
        let ttl = s.findings().filter { $0.kind == .shortTTL }.sorted { $0.target < $1.target }
        #expect(ttl.map(\.target) == ["/api/prices", "/static/"])
        let statics = ttl[1]
        #expect(statics.requests == 60)
        // 5 + 6 + 5 expired of 60.
        #expect(statics.evidence.hasPrefix("16 of 60 requests to 3 paths under it found the stored copy expired; most: /static/b.js (6 of 20)"), "\(statics.evidence)")
        #expect(ttl[0].evidence.hasPrefix("10 of 20 requests found the stored copy expired"))
    }
}

import CDNLogs
import Glibc
import ScaleCore
import Testing
import TestSupport

/// The numbers the reports print, each against a figure computed independently in the test:
/// hand counts, an exact sort, a dictionary of true counts.
@Suite struct StatisticsTests {
    /// One request per line: `(class word, method, bytes)`.
    static func log(_ rows: [(String, String, Int)]) -> String {
        rows.enumerated().map { i, r in
            "192.0.2.1 - - [23/Nov/2026:08:00:\(i < 10 ? "0" : "")\(i % 60) +0000] \"\(r.1) /r\(i) HTTP/1.1\" 200 \(r.2) \"-\" \"t\" \(r.0)"
        }.joined(separator: "\n") + "\n"
    }

    /// 4 HIT (100 B), 1 STALE (50 B), 1 REVAL (10 B), 3 MISS on GET (1000 B), 1 MISS on POST
    /// (500 B), 2 BYPASS (200 B), 1 `-` (7 B), plus one nginx-unknown word (3 B).
    static let mix = log(Array(repeating: ("HIT", "GET", 100), count: 4) + [("STALE", "GET", 50), ("REVALIDATED", "GET", 10)]
        + Array(repeating: ("MISS", "GET", 1000), count: 3) + [("MISS", "POST", 500)]
        + Array(repeating: ("BYPASS", "GET", 200), count: 2) + [("-", "GET", 7), ("WHATEVER", "GET", 3)])

    @Test func everyRatioDefinitionByHand() throws {
        let t = try analyze(Self.mix).statistics.totals
        // served 6 requests / 460 bytes; MISS 4 / 3500 (POST 1 / 500); PASS 2 / 400; NONE 1 / 7; UNKNOWN 1 / 3.
        let cases: [(RatioDefinition, Double, Double)] = [
            (.cache, 6.0 / 12, 460.0 / 4360),
            (.fastly, 6.0 / 10, 460.0 / 3960),
            (.cloudfront, 6.0 / 9, 460.0 / 3460),
            (.cloudflare, 6.0 / 13, 460.0 / 4367),
            (.akamai, 6.0 / 13, 460.0 / 4367),
        ]
        for (definition, requests, bytes) in cases {
            #expect(definition.hitRatio(t) == requests, "\(definition)")
            #expect(definition.byteHitRatio(t) == bytes, "\(definition)")
        }
        // Origin offload: MISS and PASS bytes are what the origin sent, over the bytes of known
        // classes (NONE 7 and UNKNOWN 3 are neither): 1 - 3900 / 4360; over every byte when the
        // log measured origin bytes for every request.
        #expect(t.unclassifiedBytes == 10)
        #expect(t.originOffload(originMeasured: false) == 1 - 3900.0 / 4360)
        #expect(t.originOffload(originMeasured: true) == 1 - 3900.0 / 4370)
    }

    @Test func percentilesAgreeWithAnExactSortWithinABucket() throws {
        var generator = SplitMix64(seed: 3)
        var micros: [UInt64] = []
        var histogram = LatencyHistogram()
        for _ in 0..<20_000 {
            // A long-tailed mix from microseconds to minutes.
            let v = generator.next() % 1000 == 0 ? generator.next() % 200_000_000 : generator.next() % 400_000
            micros.append(v)
            histogram.record(micros: v)
        }
        let sorted = micros.sorted()
        for p in [0.01, 0.5, 0.9, 0.99, 0.999, 1.0] {
            let rank = Int((p * Double(sorted.count)).rounded(.up))
            let exact = Double(sorted[rank - 1]) / 1e6
            let estimate = try #require(histogram.percentile(p))
            #expect(abs(estimate - exact) <= max(exact / 32, 1e-6), "p\(p): \(estimate) vs \(exact)")
        }
        #expect(LatencyHistogram().percentile(0.5) == nil)
    }

    /// With room for 50 keys and 2,000 distinct ones, every kept key's count brackets its true
    /// count (tally ≤ true ≤ tally + error), no key outside has more than the floor, and every
    /// key above N/k is kept (Metwally et al., Lemma 3.4), for one thread and merged threads.
    @Test(arguments: [1, 3])
    func spaceSavingKeepsItsPromises(threads: Int) throws {
        var generator = SplitMix64(seed: 11)
        var truth: [String: UInt64] = [:]
        var lines: [String] = []
        for i in 0..<20_000 {
            // Zipf-like: key k with weight 1/(k+1) over 2,000 keys.
            let u = Double(generator.next() % 1_000_000) / 1_000_000
            let k = Int(pow(2000.0, u)) - 1
            let path = "/k\(k)"
            truth[path, default: 0] += 1
            lines.append(HostileInputTests.line(i, path))
        }
        let s = try analyze(lines.joined(separator: "\n") + "\n") {
            $0.maxKeys = 50
            $0.threads = threads
        }.statistics
        #expect(s.requests == 20_000)
        let accuracy = try #require(s.accuracy(.url))
        #expect(accuracy.isSketch)
        let rows = s.rows(.url, top: 10_000)
        #expect(rows.count == 50)
        for row in rows {
            let real = truth[row.key] ?? 0
            #expect(row.tally.totalRequests <= real && real <= row.tally.totalRequests + row.error, "\(row.key)")
        }
        let kept = Set(rows.map(\.key))
        for (key, real) in truth where !kept.contains(key) {
            #expect(real <= accuracy.floor, "\(key) has \(real) > floor \(accuracy.floor)")
        }
        // Keys above N/k are kept (for merged sketches, N/k of each part adds up to the same bound).
        for (key, real) in truth where real > 20_000 / 50 {
            #expect(kept.contains(key), "\(key) with \(real) requests")
        }
        // The totals never depend on the sketch.
        #expect(classCounts(s) == ["HIT": 20_000])
    }

    @Test func breakdownsByHand() throws {
        let log = [
            HostileInputTests.line(0, "/static/img/a.PNG?v=1", cache: "HIT"),
            HostileInputTests.line(61, "/static/img/b.png", cache: "MISS"),
            HostileInputTests.line(125, "/static/css/site.css", cache: "HIT"),
            HostileInputTests.line(3599, "/api/v1/items", cache: "BYPASS"),
            HostileInputTests.line(30, "/", cache: "HIT"),
            HostileInputTests.line(31, "/robots.txt", cache: "MISS"),
        ].joined(separator: "\n") + "\n"
        let s = try analyze(log) { $0.depth = 2 }.statistics
        func keys(_ b: Breakdown, bucket: Int64? = nil) -> [String: UInt64] {
            Dictionary(uniqueKeysWithValues: s.rows(b, top: 100, bucket: bucket).map { ($0.key, $0.tally.totalRequests) })
        }
        #expect(keys(.prefix) == ["/static/img/": 2, "/static/css/": 1, "/api/v1/": 1, "/": 1, "/robots.txt": 1])
        #expect(keys(.ext) == ["png": 2, "css": 1, "(none)": 2, "txt": 1])
        #expect(keys(.status) == ["2xx": 6])
        // 08:00:00, 08:00:30, 08:00:31, 08:01:01, 08:02:05, 08:59:59 in 5-minute buckets.
        #expect(keys(.time, bucket: 300) == ["2026-11-23T08:00:00Z": 5, "2026-11-23T08:55:00Z": 1])
        #expect(s.rows(.time, top: 100).map(\.key).first == "2026-11-23T08:00:00Z")
        #expect(keys(.uncacheable) == ["/api/v1/items": 1])
        // Top misses by origin bytes: both misses sent 100 bytes; ties go by key.
        #expect(s.rows(.url, top: 2).map(\.key) == ["/robots.txt", "/static/img/b.png"])
    }

    /// Prefix and extension tallies are sums of their URLs' tallies, taken once at the end;
    /// once the URL table may evict keys, lines are added to them one by one. Both ways, and
    /// switching from one to the other mid-run, give the counts added up here by hand.
    @Test(arguments: [(1_000_000, 1), (1_000_000, 2), (100, 1), (100, 2)])
    func prefixAndExtensionCountsWhetherSummedOrCountedByLine(maxKeys: Int, threads: Int) throws {
        var lines: [String] = []
        var expectedPrefix: [String: (UInt64, UInt64)] = [:]
        var expectedExt: [String: (UInt64, UInt64)] = [:]
        for i in 0..<3_000 {
            let dir = ["img", "css", "api"][i % 3], ext = ["png", "css", "json", "PNG"][i % 4]
            let path = "/\(dir)/item-\(i % 700).\(ext)"
            let bytes = 100 + i % 37
            lines.append(HostileInputTests.line(i % 3600, path, cache: i % 5 == 0 ? "MISS" : "HIT", bytes: bytes))
            let p = expectedPrefix["/\(dir)/"] ?? (0, 0), e = expectedExt[ext.lowercased()] ?? (0, 0)
            expectedPrefix["/\(dir)/"] = (p.0 + 1, p.1 + UInt64(bytes))
            expectedExt[ext.lowercased()] = (e.0 + 1, e.1 + UInt64(bytes))
        }
        // Small blocks: each thread gets many, and the URL table fills mid-run at 100 keys.
        let s = try analyze(lines.joined(separator: "\n") + "\n") {
            $0.maxKeys = maxKeys
            $0.threads = threads
            $0.blockSize = 4096
        }.statistics
        func counts(_ b: Breakdown) -> [String: (UInt64, UInt64)] {
            Dictionary(uniqueKeysWithValues: s.rows(b, top: 100).map { ($0.key, ($0.tally.totalRequests, $0.tally.totalBytes)) })
        }
        #expect(counts(.prefix).mapValues { [$0.0, $0.1] } == expectedPrefix.mapValues { [$0.0, $0.1] })
        #expect(counts(.ext).mapValues { [$0.0, $0.1] } == expectedExt.mapValues { [$0.0, $0.1] })
        #expect(s.accuracy(.url)?.isSketch == (maxKeys < 2_100))
        #expect(s.accuracy(.prefix)?.isSketch == false)
    }

    @Test func filtersLeaveOutWhatTheySay() throws {
        let lines = [
            HostileInputTests.line(0, "/a", cache: "HIT"), HostileInputTests.line(10, "/b", cache: "MISS"),
            HostileInputTests.line(20, "/a/x", cache: "HIT"), HostileInputTests.line(30, "/c", cache: "MISS"),
        ]
        let log = lines.joined(separator: "\n") + "\n"
        let base: Int64 = 1_795_420_800
        let windowed = try analyze(log) {
            $0.since = base + 10
            $0.until = base + 30
        }.statistics
        #expect(windowed.requests == 2)
        #expect(windowed.filteredLines == 2)
        #expect(classCounts(windowed) == ["MISS": 1, "HIT": 1])
        let prefixed = try analyze(log) { $0.pathPrefixes = ["/a"] }.statistics
        #expect(prefixed.requests == 2)
        let hosted = try analyze(log) { $0.hosts = ["www.example.com"] }.statistics
        #expect(hosted.requests == 0, "this layout logs no host")
    }

    /// The demo log was generated with four known problems; each is found, with evidence that
    /// matches an independent count over the file's text.
    @Test func findingsOfTheDemoLog() throws {
        let text = try #require(readTextFile(RepositoryRoot.file("demo/cdn/nginx-access.log")))
        let s = try analyze(text, name: "nginx-access.log").statistics
        let findings = s.findings()
        // never-hits: the demo's prefixes without a hit (/search, /assets/) are the ones
        // query-fragmentation and cacheable-pass explain, so they are not repeated. The combined
        // layout logs no Vary, Cookie or Set-Cookie: no finding can rest on them.
        #expect(Set(findings.map(\.kind)) == Set(Finding.Kind.allCases).subtracting([.neverHits, .variantFragmentation, .setCookie]))
        let lines = text.split(separator: "\n").filter { $0.hasSuffix("MISS") || $0.hasSuffix("HIT") || $0.hasSuffix("BYPASS") || $0.hasSuffix("EXPIRED") || $0.hasSuffix("UPDATING") || $0.hasSuffix("REVALIDATED") || $0.hasSuffix(" -") }
        let searches = lines.filter { $0.contains("\"GET /search?") }
        let fragmentation = try #require(findings.first { $0.kind == .queryFragmentation })
        #expect(fragmentation.target == "/search")
        #expect(fragmentation.requests == UInt64(searches.count))
        #expect(fragmentation.evidence.hasPrefix("\(Set(searches.map { $0.split(separator: " ")[6] }).count) distinct query strings"))
        #expect(findings.first { $0.kind == .staticMisses }?.target == ".mp4")
        #expect(findings.first { $0.kind == .cacheablePass }?.target == "/assets/")
        let prices = lines.filter { $0.contains("/api/prices") }
        let ttl = try #require(findings.first { $0.kind == .shortTTL })
        #expect(ttl.target == "/api/prices")
        #expect(ttl.requests == UInt64(prices.count))
        #expect(ttl.evidence.hasPrefix("\(prices.filter { $0.hasSuffix("EXPIRED") }.count) of \(prices.count) requests"))
        // Sorted by origin bytes at stake.
        #expect(findings.map(\.originBytes) == findings.map(\.originBytes).sorted(by: >))
    }
}

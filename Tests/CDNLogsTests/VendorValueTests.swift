import CDNLogs
import ScaleCore
import Testing

/// Vendor values that earlier tables got wrong, each line built from the vendor's own text (the
/// source named at each test); the expected classes are counted by hand from that text.
@Suite struct VendorValueTests {
    // MARK: - Apache mod_cache

    /// The reasons mod_cache writes to `cache-status` when it declines to store a response, and
    /// the stale-on-error hit: httpd modules/cache/mod_cache.c, cache_save_filter
    /// (https://github.com/apache/httpd/blob/trunk/modules/cache/mod_cache.c), logged with
    /// `%{cache-status}e` as https://httpd.apache.org/docs/2.4/mod/mod_cache.html#status shows.
    static let apacheDeclines = [
        "Cache-Control: private present",
        "No Last-Modified; Etag; Expires; Cache-Control:max-age or Cache-Control:s-maxage headers",
        "Query string present but no explicit expiration time",
        "Response status 500",
        "Authorization required",
        "Vary header contains '*'",
        "Expires header already expired; not cacheable",
        "environment variable 'no-cache' is set",
        "Cache-Control: no-store present",
        "HTTP Status 304 Not Modified",
        "Broken expires header: yesterday",
        "s-maxage or max-age zero and no Last-Modified or Etag; not cacheable",
    ]

    static func apacheLine(_ second: Int, _ path: String, _ status: Int, _ value: String) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let s = two(second / 60) + ":" + two(second % 60)
        return "192.0.2.9 - - [23/Nov/2026:08:\(s) +0000] \"GET \(path) HTTP/1.1\" \(status) 100 \"-\" \"curl/8.5.0\" \"\(value)\""
    }

    @Test func apacheDeclineReasonsArePassAndAStaleErrorHitIsStale() throws {
        var lines = Self.apacheDeclines.enumerated().map { Self.apacheLine($0.offset, "/d\($0.offset)?q=1", 200, $0.element) }
        lines.append(Self.apacheLine(20, "/a", 503, "cache hit: 503 status; stale content returned"))
        lines.append(Self.apacheLine(21, "/a", 200, "cache hit"))
        let result = try analyze(lines.joined(separator: "\n") + "\n")
        #expect(result.inputs.first?.format.hasPrefix("apache:") == true, "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["PASS": UInt64(Self.apacheDeclines.count), "STALE": 1, "HIT": 1])
    }

    /// A site whose first thousand requests are dynamic pages mod_cache never saw (`-`) is still
    /// found to be Apache once the cached ones begin.
    @Test func apacheDetectedAfterAThousandDynamicPages() throws {
        var lines = (0..<1000).map { Self.apacheLine($0 % 3600, "/page\($0).php", 200, "-") }
        lines.append(Self.apacheLine(1, "/s.css", 200, "cache miss: attempting entity save"))
        lines.append(Self.apacheLine(2, "/s.css", 200, "cache hit"))
        lines.append(Self.apacheLine(3, "/p", 200, "Cache-Control: private present"))
        let result = try analyze(lines.joined(separator: "\n") + "\n")
        #expect(result.inputs.first?.format.hasPrefix("apache:") == true, "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["NONE": 1000, "MISS": 1, "HIT": 1, "PASS": 1])
    }

    // MARK: - CloudFront

    /// Standard log, 33 fields (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/standard-logs-reference.html):
    /// x-edge-detailed-result-type (field 29) is `OriginShieldHit` when Origin Shield served an
    /// object the edge (field 14) missed. A hit, and its bytes never came from the origin.
    @Test func cloudfrontOriginShieldHitIsAHitWithoutOriginBytes() throws {
        func line(_ path: String, _ bytes: Int, _ result: String, _ detailed: String) -> String {
            ["2019-12-04", "21:02:31", "LAX1", "\(bytes)", "192.0.2.100", "GET", "d111111abcdef8.cloudfront.net", path, "200", "-",
             "Mozilla/5.0", "-", "-", result, "SOX4xwn4XV6Q4rgb7XiVGOHms_BGlTAC4KyHmureZmBNrjGdRLiN00==", "www.example.com", "https",
             "23", "0.001", "-", "TLSv1.2", "ECDHE-RSA-AES128-GCM-SHA256", result, "HTTP/2.0", "-", "-", "11040", "0.001", detailed,
             "text/html", "\(bytes)", "-", "-"].joined(separator: "\t")
        }
        let log = [
            "#Version: 1.0",
            "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end",
            line("/shield.jpg", 5000, "Miss", "OriginShieldHit"),
            line("/origin.jpg", 7000, "Miss", "Miss"),
            line("/edge.jpg", 300, "Hit", "Hit"),
        ].joined(separator: "\n") + "\n"
        let s = try analyze(log).statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 2, "MISS": 1])
        #expect(s.totals.bytes(.hit) == 5300)
        #expect(s.totals.originBytes == 7000)
        // --by value keeps the word that decided, with its class.
        #expect(s.rows(.value, top: 10).map(\.key) == ["HIT: Hit", "HIT: OriginShieldHit", "MISS: Miss"])
        #expect(s.rows(.value, top: 10).map(\.tally.originBytes) == [0, 0, 7000])
    }

    /// `--by value` counts a vendor's own words by their table entry and others by their bytes;
    /// two formats in one run share entry numbers (nginx's 0 is `HIT`, varnish's `hit`), and
    /// must still come out under their own words. Counted by hand from the lines below.
    @Test func valuesOfTwoVocabulariesInOneRunKeepTheirWords() throws {
        let nginx = (0..<3).map { "192.0.2.1 - - [23/Nov/2026:08:00:0\($0) +0000] \"GET /n\($0) HTTP/1.1\" 200 10 \"-\" \"curl/8\" \($0 == 2 ? "MISS" : "HIT")" }
        let varnish = (0..<2).map { "192.0.2.1 - - [23/Nov/2026:08:00:0\($0) +0000] \"GET http://example.com/v\($0) HTTP/1.1\" 200 10 \"-\" \"curl/8\" hit" }
        var options = AnalysisOptions()
        options.threads = 1
        let result = try LogAnalyzer.analyze([.bytes("a.log", Array((nginx.joined(separator: "\n") + "\n").utf8)),
                                              .bytes("b.log", Array((varnish.joined(separator: "\n") + "\n").utf8))], options: options)
        let rows = result.statistics.rows(.value, top: 10)
        #expect(Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.tally.totalRequests) }) == ["HIT: HIT": 2, "MISS: MISS": 1, "HIT: hit": 2])
    }

    /// Real-time logs with every field selected: the 40 fields in the order of
    /// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/real-time-logs.html
    /// ("Fields"), no header. Detected without being told; field 33 is the detailed result type.
    @Test func cloudfrontRealtimeWithAllFortyFieldsIsDetected() throws {
        func line(_ ts: String, _ path: String, _ bytes: Int, _ result: String, _ detailed: String) -> String {
            [ts, "192.0.2.1", "0.001", "200", "\(bytes)", "GET", "https", "d111111abcdef8.cloudfront.net", path, "390",
             "IAD89-C1", "Zk1gAfTCzqvmXmTABKgdvh4aafo0rrxHRZ0TvsnjQe6n_ymTfv-jkQ==", "www.example.com", "0.002", "HTTP/2.0", "IPv4",
             "curl/8.5.0", "-", "-", "-", result, "-", "TLSv1.3", "TLS_AES_128_GCM_SHA256", result, "-", "-", "text/html", "\(bytes)",
             "-", "-", "54321", detailed, "US", "gzip", "*/*", "*", "-", "-", "0"].joined(separator: "\t")
        }
        let log = [
            line("1597116242.123", "/a", 1000, "Hit", "Hit"),
            line("1597116243.456", "/b", 2000, "Miss", "OriginShieldHit"),
            line("1597116244.000", "/c", 3000, "Miss", "Miss"),
        ].joined(separator: "\n") + "\n"
        let result = try analyze(log)
        #expect(result.inputs.first?.format == "cloudfront real-time, 40 fields", "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["HIT": 2, "MISS": 1])
        #expect(result.statistics.totals.originBytes == 3000)
        #expect(result.statistics.firstTime == 1_597_116_242)
    }

    /// Fewer fields selected: the order cannot be known, and the error says which flags read it.
    @Test func cloudfrontRealtimeWithSomeFieldsNamesTheFlags() {
        let log = "1597116242.123\t192.0.2.1\t200\t1000\tGET\td111111abcdef8.cloudfront.net\t/a\tIAD89-C1\t0.002\t-\tHit\tHit\n"
        #expect {
            _ = try analyze(log)
        } throws: { error in
            let what = (error as! ScaleError).what
            return what.contains("the closest is cloudfront-realtime") && what.contains("12 fields")
                && what.contains("cloudfront-fields") && what.contains("cloudfront-realtime")
        }
    }

    // MARK: - nginx rt_cache

    /// rtCamp's EasyEngine guide (https://easyengine.io/tutorials/nginx/upstream-cache-status-in-access-log/):
    /// `log_format rt_cache '$remote_addr - $upstream_cache_status [$time_local]  "$request" $status
    /// $body_bytes_sent "$http_referer" "$http_user_agent"'`, two spaces after the time.
    @Test func nginxRtCacheLayoutIsDetected() throws {
        let log = """
        192.0.2.1 - HIT [23/Nov/2026:08:00:00 +0000]  "GET /a.css HTTP/1.1" 200 512 "-" "Mozilla/5.0"
        192.0.2.1 - - [23/Nov/2026:08:00:01 +0000]  "GET /wp-login.php HTTP/1.1" 403 10 "-" "Mozilla/5.0"
        192.0.2.1 - BYPASS [23/Nov/2026:08:00:02 +0000]  "GET /?p=1 HTTP/1.1" 200 2048 "-" "Mozilla/5.0"
        192.0.2.1 - EXPIRED [23/Nov/2026:08:00:03 +0000]  "GET /feed/ HTTP/1.1" 200 4096 "-" "Mozilla/5.0"
        192.0.2.1 - MISS [23/Nov/2026:08:00:04 +0000]  "GET /b.js HTTP/1.1" 200 100 "-" "Mozilla/5.0"

        """
        let result = try analyze(log)
        #expect(result.inputs.first?.format.hasPrefix("nginx:") == true, "\(result.inputs)")
        #expect(result.inputs.first?.format.contains("$remote_user") == true, "\(result.inputs)")
        let s = result.statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 1, "NONE": 1, "PASS": 1, "MISS": 2])
        #expect(s.totals.expiredRequests == 1)
        // EXPIRED is a MISS, shown apart from MISS; ties in key order.
        #expect(s.rows(.value, top: 10).map(\.key) == ["HIT: HIT", "MISS: EXPIRED", "MISS: MISS", "NONE: -", "PASS: BYPASS"])
        #expect(s.rows(.value, top: 2).count == 2)
    }

    // MARK: - Squid and Traffic Server

    /// Squid's tags as src/LogTags.cc writes them (https://www.squid-cache.org/Doc/code/LogTags_8cc_source.dyn):
    /// `TAG_NONE` for a request that failed before any lookup, `CF_` after `TCP_` when collapsed
    /// forwarding joined the request to another's fetch, `_IGNORED`/`_ABORTED` suffixes. An old
    /// Squid's `DIRECT/` hierarchy tags (https://wiki.squid-cache.org/SquidFaq/SquidLogs) do not make it Traffic Server.
    @Test func squidTagsAndOldHierarchyCodes() throws {
        let log = """
        1286536308.779    180 192.168.0.224 TCP_MISS/200 411 GET http://www.example.com/ - DIRECT/93.184.216.34 text/html
        1286536309.123      2 192.168.0.224 TCP_CF_HIT/200 411 GET http://www.example.com/ - NONE/- text/html
        1286536309.500      0 192.168.0.224 TAG_NONE/400 3900 NONE error:invalid-request - NONE/- text/html
        1286536310.001     15 192.168.0.224 TCP_REFRESH_MODIFIED/200 1024 GET http://www.example.com/logo.png - DIRECT/93.184.216.34 image/png
        1286536310.500     15 192.168.0.224 TCP_REFRESH_UNMODIFIED/304 0 GET http://www.example.com/logo.png - DIRECT/93.184.216.34 image/png
        1286536311.000      0 192.168.0.224 TCP_DENIED/403 3900 GET http://blocked.example/ - NONE/- text/html
        1286536312.000  40000 192.168.0.224 TCP_TUNNEL/200 5000 CONNECT www.example.com:443 - DIRECT/93.184.216.34 -
        1286536313.000     90 192.168.0.224 TCP_CF_MISS_ABORTED/200 9000 GET http://www.example.com/big.iso - DIRECT/93.184.216.34 application/octet-stream
        1286536314.000      3 192.168.0.224 TCP_MEM_HIT_IGNORED_ABORTED/200 411 GET http://www.example.com/ - NONE/- text/html

        """
        let result = try analyze(log)
        #expect(result.inputs.first?.format == "squid native", "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["MISS": 3, "HIT": 2, "REVAL": 1, "ERROR": 2, "PASS": 1])
        #expect(result.statistics.totals.expiredRequests == 1)
    }

    /// Traffic Server's codes (https://docs.trafficserver.apache.org/admin-guide/logging/cache-results.en.html):
    /// `TCP_CF_HIT`, a collapsed-forwarding hit, is a hit there too.
    @Test func trafficServerCollapsedForwardingHit() throws {
        let log = """
        1362081813.000 1 127.0.0.1 TCP_CF_HIT/200 3577 GET http://example.com/ - NONE/- text/html
        1362081814.000 120 127.0.0.1 TCP_MISS/200 3577 GET http://example.com/a - DIRECT/example.com text/html
        1362081815.000 30 127.0.0.1 TCP_REFRESH_HIT/304 0 GET http://example.com/ - DIRECT/example.com text/html

        """
        let result = try analyze(log)
        #expect(result.inputs.first?.format == "ats native", "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["HIT": 1, "MISS": 1, "REVAL": 1])
    }
}

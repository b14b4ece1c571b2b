import CDNLogs
import Testing
import TestSupport

/// One sample per format, written from the vendor's documented field list (named at each test),
/// with the expected classes counted by hand from LOGFORMATS.md's mapping — not from the library.
@Suite struct FormatTests {
    // MARK: - nginx

    /// nginx's combined format plus `$upstream_cache_status` (nginx docs, ngx_http_log_module;
    /// quotes inside fields are written `\x22`). Every value nginx documents for the variable.
    @Test func nginxCombinedWithEveryCacheStatus() throws {
        let log = """
        192.0.2.1 - - [23/Nov/2026:08:00:00 +0000] "GET /a.css HTTP/1.1" 200 100 "-" "Mozilla/5.0 (X11; Linux x86_64)" HIT
        192.0.2.1 - - [23/Nov/2026:08:00:01 +0000] "GET /a.css HTTP/1.1" 200 100 "-" "Mozilla/5.0 (X11; Linux x86_64)" MISS
        192.0.2.1 - alice [23/Nov/2026:08:00:02 +0000] "GET /b?q=\\x22x\\x22 HTTP/1.1" 200 200 "https://example.com/p?a=1 b" "agent \\x22quoted\\x22" BYPASS
        192.0.2.1 - - [23/Nov/2026:08:00:03 +0000] "GET /c HTTP/1.1" 200 300 "-" "-" EXPIRED
        192.0.2.1 - - [23/Nov/2026:08:00:04 +0000] "GET /c HTTP/1.1" 200 300 "-" "-" STALE
        192.0.2.1 - - [23/Nov/2026:08:00:05 +0000] "GET /c HTTP/1.1" 200 300 "-" "-" UPDATING
        192.0.2.1 - - [23/Nov/2026:08:00:06 +0000] "GET /c HTTP/1.1" 304 0 "-" "-" REVALIDATED
        192.0.2.1 - - [23/Nov/2026:08:00:07 +0000] "POST /api HTTP/1.1" 201 5 "-" "-" -
        192.0.2.1 - - [23/Nov/2026:09:00:07 +0100] "GET /d HTTP/1.1" 200 7 "-" "-" SOMETHING-NEW

        """
        let s = try analyze(log).statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 1, "MISS": 2, "PASS": 1, "STALE": 2, "REVAL": 1, "NONE": 1, "UNKNOWN": 1])
        #expect(s.totals.expiredRequests == 1)
        #expect(s.unknownValues.map(\.name) == ["SOMETHING-NEW"])
        #expect(s.totals.bytes(.miss) == 400)
        // 09:00:07 +0100 is 08:00:07 UTC; 2026-11-23T08:00:00Z is 1795420800 (Python's datetime).
        #expect(s.firstTime == 1_795_420_800)
        #expect(s.lastTime == 1_795_420_800 + 7)
        #expect(Set(s.rows(.url, top: 10).map(\.key)).contains("/b?q=\\x22x\\x22"))
    }

    /// Any layout through `--nginx-log-format`, given as the whole directive from nginx.conf.
    @Test func nginxCustomLayoutFromTheDirective() throws {
        let directive = """
        log_format cdn escape=default '$host $remote_addr [$time_iso8601] "$request" $status $bytes_sent '
                                      'rt=$request_time ucs="$upstream_cache_status" ct="$sent_http_content_type" ub=$upstream_bytes_received';
        """
        let log = """
        www.example.com 192.0.2.7 [2026-11-23T08:00:00+00:00] "GET /img/a.png HTTP/2.0" 200 5120 rt=0.002 ucs="HIT" ct="image/png" ub=-
        WWW.EXAMPLE.COM:443 192.0.2.7 [2026-11-23T08:00:01+00:00] "GET /img/b.png HTTP/2.0" 200 9000 rt=0.120 ucs="MISS" ct="image/png; q=1" ub=8800
        api.example.com 192.0.2.8 [2026-11-23T08:00:02+00:00] "GET /v1/x HTTP/2.0" 200 300 rt=0.050 ucs="BYPASS" ct="application/json" ub=290

        """
        let template = try LineTemplate.nginx(directive)
        let result = try analyze(log) { $0.template = template }
        let s = result.statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 1, "MISS": 1, "PASS": 1])
        // Hosts fold case and drop the port; content types drop parameters.
        #expect(Dictionary(uniqueKeysWithValues: s.rows(.host, top: 5).map { ($0.key, $0.tally.totalRequests) }) == ["www.example.com": 2, "api.example.com": 1])
        #expect(Set(s.rows(.type, top: 5).map(\.key)) == ["image/png", "application/json"])
        // $upstream_bytes_received is the measured origin traffic: 8800 + 290 (the HIT's "-" is none).
        #expect(s.totals.originBytes == 9090)
        #expect(s.originMeasuredRequests == 2)
        #expect(s.hitLatency.percentile(0.5).map { abs($0 - 0.002) < 0.0001 } == true)
        #expect(result.inputs.first?.format == "nginx, layout given")
    }

    @Test func nginxLogFormatMistakesAreExplained() {
        #expect(throws: TemplateError.self) { try LineTemplate.nginx("$remote_addr$remote_user") }
        #expect(throws: TemplateError.self) { try LineTemplate.nginx("no variables here") }
        #expect(throws: TemplateError.self) { try LineTemplate.nginx("log_format x '$a") }
    }

    // MARK: - Varnish, Apache, Fastly lines

    /// varnishncsa with `%{Varnish:handling}x` (varnishncsa(1)): `%r` carries the absolute URL,
    /// quotes inside fields are written `\"`.
    @Test func varnishncsaHandling() throws {
        let log = #"""
        192.0.2.5 - - [23/Nov/2026:08:00:00 +0000] "GET http://www.example.com/a HTTP/1.1" 200 512 "-" "curl/8.5.0" hit
        192.0.2.5 - - [23/Nov/2026:08:00:01 +0000] "GET http://www.example.com/b?x=1 HTTP/1.1" 200 512 "-" "say \"hi\" there" miss
        192.0.2.5 - - [23/Nov/2026:08:00:02 +0000] "POST http://www.example.com/form HTTP/1.1" 200 20 "-" "curl/8.5.0" pass
        192.0.2.5 - - [23/Nov/2026:08:00:03 +0000] "GET http://www.example.com/ws HTTP/1.1" 101 0 "-" "curl/8.5.0" pipe
        192.0.2.5 - - [23/Nov/2026:08:00:04 +0000] "GET http://www.example.com/old HTTP/1.1" 301 0 "-" "curl/8.5.0" synth

        """#
        let result = try analyze(log)
        let s = result.statistics
        #expect(result.inputs.first?.format.hasPrefix("varnish:") == true, "\(result.inputs)")
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 1, "MISS": 1, "PASS": 2, "EDGE": 1])
        #expect(s.rows(.host, top: 3).map(\.key) == ["www.example.com"])
        #expect(Set(s.rows(.url, top: 10).map(\.key)) == ["/a", "/b?x=1", "/form", "/ws", "/old"])
    }

    /// Apache httpd with mod_cache's `%{cache-status}e` (mod_cache docs, "Cache Status and Logging").
    @Test func apacheCacheStatus() throws {
        let log = """
        192.0.2.9 - - [23/Nov/2026:08:00:00 +0000] "GET /a HTTP/1.1" 200 100 "-" "curl/8.5.0" "cache hit"
        192.0.2.9 - - [23/Nov/2026:08:00:01 +0000] "GET /b HTTP/1.1" 200 100 "-" "curl/8.5.0" "cache miss: attempting entity save"
        192.0.2.9 - - [23/Nov/2026:08:00:02 +0000] "GET /a HTTP/1.1" 304 0 "-" "curl/8.5.0" "conditional cache hit: entity refreshed"
        192.0.2.9 - - [23/Nov/2026:08:00:03 +0000] "GET /p HTTP/1.1" 200 100 "-" "curl/8.5.0" "cache miss: cache unwilling to store response"
        192.0.2.9 - - [23/Nov/2026:08:00:04 +0000] "POST /a HTTP/1.1" 200 10 "-" "curl/8.5.0" "cache invalidated by POST"
        192.0.2.9 - - [23/Nov/2026:08:00:05 +0000] "GET /x HTTP/1.1" 200 10 "-" "curl/8.5.0" "-"

        """
        let result = try analyze(log)
        #expect(result.inputs.first?.format.hasPrefix("apache:") == true, "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["HIT": 1, "MISS": 1, "REVAL": 1, "PASS": 2, "NONE": 1])
    }

    /// Fastly's common log format with `%{fastly_info.state}V` appended (Fastly "Useful log
    /// formats"; state values from Fastly's fastly_info.state reference).
    @Test func fastlyCommonLogWithState() throws {
        let log = """
        192.0.2.3 - - [23/Nov/2026:08:00:00 +0000] "GET /a HTTP/1.1" 200 100 HIT
        192.0.2.3 - - [23/Nov/2026:08:00:01 +0000] "GET /a HTTP/1.1" 200 100 HIT-CLUSTER
        192.0.2.3 - - [23/Nov/2026:08:00:02 +0000] "GET /b HTTP/1.1" 200 100 MISS
        192.0.2.3 - - [23/Nov/2026:08:00:03 +0000] "GET /b HTTP/1.1" 200 100 MISS-WAIT-CLUSTER
        192.0.2.3 - - [23/Nov/2026:08:00:04 +0000] "GET /c HTTP/1.1" 200 100 HIT-STALE
        192.0.2.3 - - [23/Nov/2026:08:00:05 +0000] "GET /c HTTP/1.1" 304 0 MISS-REFRESH
        192.0.2.3 - - [23/Nov/2026:08:00:06 +0000] "GET /d HTTP/1.1" 200 100 PASS
        192.0.2.3 - - [23/Nov/2026:08:00:07 +0000] "GET /d HTTP/1.1" 200 100 HITPASS
        192.0.2.3 - - [23/Nov/2026:08:00:08 +0000] "GET /e HTTP/1.1" 301 0 HIT-SYNTH
        192.0.2.3 - - [23/Nov/2026:08:00:09 +0000] "GET /f HTTP/1.1" 503 0 ERROR-LOSTHDR

        """
        let result = try analyze(log)
        #expect(result.inputs.first?.format.hasPrefix("fastly: common") == true, "\(result.inputs)")
        #expect(classCounts(result.statistics) == ["HIT": 2, "MISS": 2, "STALE": 1, "REVAL": 1, "PASS": 2, "EDGE": 1, "ERROR": 1])
        // Fastly's definition leaves PASS out: (2 + 1 + 1) / (4 + 2).
        #expect(RatioDefinition.fastly.hitRatio(result.statistics.totals) == 4.0 / 6.0)
        #expect(RatioDefinition.cache.hitRatio(result.statistics.totals) == 4.0 / 8.0)
    }

    /// Fastly's JSON log example (Fastly "Useful log formats": timestamp, client_ip, host, url,
    /// request_method, response_state, response_status, response_body_size, fastly_server).
    @Test func fastlyJSON() throws {
        let log = """
        {"timestamp":"2026-11-23T08:00:00+0000","client_ip":"192.0.2.4","geo_country":"germany","host":"www.example.com","url":"/a.js?v=1","request_method":"GET","request_protocol":"HTTP/2","response_state":"HIT","response_status":200,"response_reason":null,"response_body_size":1200,"fastly_server":"cache-fra19128-FRA","fastly_is_edge":true}
        {"timestamp":"2026-11-23T08:00:01+0000","client_ip":"192.0.2.4","geo_country":"germany","host":"www.example.com","url":"/a.js?v=2","request_method":"GET","request_protocol":"HTTP/2","response_state":"MISS-CLUSTER","response_status":200,"response_reason":null,"response_body_size":1300,"fastly_server":"cache-fra19128-FRA","fastly_is_edge":true}
        {"timestamp":"2026-11-23T08:00:02+0000","client_ip":"192.0.2.4","geo_country":"united states","host":"api.example.com","url":"/v1","request_method":"POST","request_protocol":"HTTP/2","response_state":"PASS","response_status":201,"response_reason":"Created","response_body_size":40,"fastly_server":"cache-iad2120-IAD","fastly_is_edge":true}

        """
        let result = try analyze(log)
        let s = result.statistics
        #expect(result.inputs.first?.format == "fastly JSON")
        #expect(classCounts(s) == ["HIT": 1, "MISS": 1, "PASS": 1])
        #expect(Dictionary(uniqueKeysWithValues: s.rows(.pop, top: 5).map { ($0.key, $0.tally.totalRequests) }) == ["FRA": 2, "IAD": 1])
        #expect(s.totals.totalBytes == 2540)
    }

    // MARK: - CDN logs

    /// CloudFront standard log, all 33 documented fields (AWS CloudFront Developer Guide,
    /// "Standard logging reference"): demo/cdn/cloudfront.log. Counted by hand: lines 1, 2, 4, 8
    /// and 9 (Error in x-edge-result-type, Hit in the response type: the viewer went away) are
    /// HIT; 6 REVAL (RefreshHit); 3, 5 and 7 (a POST) MISS; 10 EDGE (Redirect); 11, 12 ERROR.
    @Test func cloudfrontStandard() throws {
        let text = try #require(readTextFile(RepositoryRoot.file("demo/cdn/cloudfront.log")))
        let s = try analyze(text, name: "cloudfront.log").statistics
        #expect(s.malformedLines == 0)
        #expect(s.commentLines == 2)
        #expect(classCounts(s) == ["HIT": 5, "REVAL": 1, "MISS": 3, "EDGE": 1, "ERROR": 2])
        #expect(s.totals.unsafeMissRequests == 1)
        // CloudFront's CacheHitRate: 6 from cache / 8 cacheable (the POST and the errors are not).
        #expect(RatioDefinition.cloudfront.hitRatio(s.totals) == 6.0 / 8.0)
        #expect(Dictionary(uniqueKeysWithValues: s.rows(.pop, top: 5).map { ($0.key, $0.tally.totalRequests) }) == ["LAX1": 5, "SFO5-C1": 4, "IAD89-C2": 3])
        #expect(s.rows(.host, top: 5).map(\.key) == ["www.example.com"], "x-host-header, not the distribution's domain")
        #expect(Set(s.rows(.url, top: 20).map(\.key)).contains("/api/time?tz=UTC"))
        // 2019-12-04T21:02:31Z.
        #expect(s.firstTime == 1_575_493_351)
    }

    /// CloudFront real-time logs: no header, the configured fields in CloudFront's fixed order.
    @Test func cloudfrontRealtime() throws {
        let fields = "timestamp,c-ip,sc-status,sc-bytes,cs-method,cs-host,cs-uri-stem,x-edge-location,time-taken,cs-uri-query,x-edge-response-result-type,x-edge-result-type"
        let log = [
            "1597116242.123\t192.0.2.1\t200\t1000\tGET\td111111abcdef8.cloudfront.net\t/a\tIAD89-C1\t0.002\t-\tHit\tHit",
            "1597116243.456\t192.0.2.2\t200\t2000\tGET\td111111abcdef8.cloudfront.net\t/b\tIAD89-C1\t0.250\tx=1\tMiss\tMiss",
            "1597116244.000\t192.0.2.3\t502\t300\tGET\td111111abcdef8.cloudfront.net\t/c\tFRA2-C1\t1.000\t-\tError\tError",
        ].joined(separator: "\n") + "\n"
        let s = try analyze(log) {
            $0.format = .cloudfrontRealtime
            $0.cloudfrontFields = fields.split(separator: ",").map(String.init)
        }.statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 1, "MISS": 1, "ERROR": 1])
        #expect(s.firstTime == 1_597_116_242)
        #expect(Set(s.rows(.url, top: 5).map(\.key)) == ["/a", "/b?x=1", "/c"])
    }

    /// Cloudflare Logpush `http_requests` (Cloudflare's dataset field reference), timestamps as
    /// RFC 3339 in one job and unixnano in another.
    @Test func cloudflareLogpush() throws {
        let log = """
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/a.css","EdgeResponseStatus":200,"EdgeResponseBytes":1000,"CacheCacheStatus":"hit","EdgeColoCode":"FRA","EdgeStartTimestamp":"2026-11-23T08:00:00Z","EdgeTimeToFirstByteMs":3,"EdgeResponseContentType":"text/css","OriginResponseStatus":0}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/b","EdgeResponseStatus":200,"EdgeResponseBytes":2000,"CacheCacheStatus":"miss","EdgeColoCode":"FRA","EdgeStartTimestamp":"2026-11-23T08:00:01Z","EdgeTimeToFirstByteMs":120,"EdgeResponseContentType":"text/html","OriginResponseStatus":200}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/b","EdgeResponseStatus":200,"EdgeResponseBytes":2000,"CacheCacheStatus":"expired","EdgeColoCode":"AMS","EdgeStartTimestamp":1795420802000000000,"EdgeTimeToFirstByteMs":90,"OriginResponseStatus":200}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/api","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"dynamic","EdgeColoCode":"AMS","EdgeStartTimestamp":1795420803000000000,"OriginResponseStatus":200}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/c","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"revalidated","EdgeColoCode":"AMS","EdgeStartTimestamp":1795420804000000000,"OriginResponseStatus":304}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/c","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"updating","EdgeColoCode":"AMS","EdgeStartTimestamp":1795420805000000000,"OriginResponseStatus":0}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/r","EdgeResponseStatus":301,"EdgeResponseBytes":10,"CacheCacheStatus":"unknown","EdgeColoCode":"AMS","EdgeStartTimestamp":1795420806000000000,"OriginResponseStatus":0}
        {"ClientRequestHost":"www.example.com","ClientRequestMethod":"GET","ClientRequestURI":"/i","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"ignored","EdgeColoCode":"AMS","EdgeStartTimestamp":1795420807000000000,"OriginResponseStatus":200}

        """
        let result = try analyze(log)
        let s = result.statistics
        #expect(result.inputs.first?.format == "cloudflare JSON")
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["HIT": 1, "MISS": 2, "PASS": 1, "REVAL": 1, "STALE": 1, "EDGE": 1, "UNKNOWN": 1])
        #expect(s.unknownValues.map(\.name) == ["ignored"], "counted separately, by name")
        #expect(s.totals.expiredRequests == 1)
        #expect(s.lastTime == 1_795_420_807)
        // Cloudflare's definition: 3 from cache over the 7 requests with a known status.
        #expect(RatioDefinition.cloudflare.hitRatio(s.totals) == 3.0 / 7.0)
        #expect(s.missLatency.percentile(1.0).map { abs($0 - 0.120) < 0.004 } == true)
    }

    /// Akamai DataStream 2 JSON: the default field set's sample (numbers as strings).
    @Test func akamaiDataStream() throws {
        let log = """
        {"version":1,"cp":"123456","reqId":"1239f220","reqTimeSec":"1573840000","bytes":"4995","cliIP":"128.147.28.68","statusCode":"206","proto":"HTTPS","reqHost":"test.hostname.net","reqMethod":"GET","reqPath":"/path1/path2/file.ext","reqPort":"443","rspContentLen":"5000","rspContentType":"text/html","UA":"Mozilla%2F5.0","tlsOverheadTimeMSec":"0","tlsVersion":"TLSv1","objSize":"484","uncompressedSize":"484","overheadBytes":"232","totalBytes":"0","queryStr":"cmcd=//1.0@V/bl=21600,br=1426,cid=%22akam-email%22","breadcrumbs":"//BC/%5Ba=23.33.41.20,c=g,k=0,l=1%5D","accLang":"en-US","cookie":"cookie-content","range":"37334-42356","referer":"https%3A%2F%2Ftest.referrer.net%2Fen-US%2Fdocs%2FWeb%2Ftest","xForwardedFor":"8.47.28.38","maxAgeSec":"3600","reqEndTimeMSec":"3","errorCode":"ERR_ACCESS_DENIED|fwd_acl","turnAroundTimeMSec":"11","transferTimeMSec":"125","dnsLookupTimeMSec":"50","customField":"any-custom-value","cacheStatus":"1","cacheable":"1","country":"US","state":"Virginia","city":"HERNDON"}
        {"version":1,"reqTimeSec":"1573840001","bytes":"800","statusCode":"200","reqHost":"test.hostname.net","reqMethod":"GET","reqPath":"/path1/other.ext","turnAroundTimeMSec":"140","cacheStatus":"0","cacheable":"1"}
        {"version":1,"reqTimeSec":"1573840002","bytes":"60","statusCode":"200","reqHost":"test.hostname.net","reqMethod":"POST","reqPath":"/api","turnAroundTimeMSec":"80","cacheStatus":"0","cacheable":"0"}

        """
        let result = try analyze(log)
        let s = result.statistics
        #expect(result.inputs.first?.format == "akamai JSON")
        #expect(classCounts(s) == ["HIT": 1, "MISS": 1, "PASS": 1])
        #expect(s.firstTime == 1_573_840_000)
        #expect(s.totals.totalBytes == 4995 + 800 + 60)
        #expect(Set(s.rows(.url, top: 5).map(\.key)).contains("/path1/path2/file.ext?cmcd=//1.0@V/bl=21600,br=1426,cid=%22akam-email%22"))
    }

    // MARK: - Proxies

    /// Squid's native access.log (Squid wiki, "SquidFaq/SquidLogs": `time elapsed remotehost
    /// code/status bytes method URL rfc931 peerstatus/peerhost type`), elapsed padded with spaces.
    @Test func squidNative() throws {
        let log = """
        1286536308.779    180 192.168.0.224 TCP_MISS/200 411 GET http://www.google.com/ - HIER_DIRECT/72.14.213.99 text/html
        1286536309.123      2 192.168.0.224 TCP_MEM_HIT/200 411 GET http://www.google.com/ - HIER_NONE/- text/html
        1286536310.001     15 192.168.0.224 TCP_REFRESH_UNMODIFIED/200 1024 GET http://www.example.com/logo.png - HIER_DIRECT/93.184.216.34 image/png
        1286536311.500   3000 192.168.0.224 TCP_MISS_ABORTED/200 9000 GET http://www.example.com/big.iso - HIER_DIRECT/93.184.216.34 application/octet-stream
        1286536312.000  40000 192.168.0.224 TCP_TUNNEL/200 5000 CONNECT www.example.com:443 - HIER_DIRECT/93.184.216.34 -
        1286536313.000      0 192.168.0.224 TCP_DENIED/403 3900 GET http://blocked.example/ - HIER_NONE/- text/html
        1286536314.000      0 192.168.0.224 NONE_NONE/000 0 - error:transaction-end-before-headers - HIER_NONE/- -

        """
        let result = try analyze(log)
        let s = result.statistics
        #expect(result.inputs.first?.format == "squid native")
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["MISS": 2, "HIT": 1, "REVAL": 1, "PASS": 1, "ERROR": 2])
        #expect(Set(s.rows(.host, top: 5).map(\.key)) == ["www.google.com", "www.example.com", "blocked.example"])
        #expect(s.missLatency.percentile(1.0).map { abs($0 - 3.0) < 0.1 } == true)
    }

    /// Apache Traffic Server's squid format (ATS docs, "Log Formats": `%<cqtq> %<ttms> %<chi>
    /// %<crc>/%<pssc> %<psql> %<cqhm> %<cquc> %<caun> %<phr>/%<shn> %<psct>`).
    @Test func trafficServerSquidFormat() throws {
        let log = """
        1362081813.000 1 127.0.0.1 TCP_HIT/200 3577 GET http://example.com/ - NONE/- text/html
        1362081814.000 120 127.0.0.1 TCP_MISS/200 3577 GET http://example.com/a - DIRECT/example.com text/html
        1362081815.000 30 127.0.0.1 TCP_REFRESH_HIT/304 0 GET http://example.com/ - DIRECT/example.com text/html
        1362081816.000 95 127.0.0.1 TCP_REFRESH_MISS/200 3577 GET http://example.com/b - DIRECT/example.com text/html
        1362081817.000 2 127.0.0.1 TCP_REF_FAIL_HIT/200 3577 GET http://example.com/c - DIRECT/example.com text/html
        1362081818.000 0 127.0.0.1 ERR_CONNECT_FAIL/502 300 GET http://example.com/d - DIRECT/example.com text/html

        """
        let result = try analyze(log)
        #expect(result.inputs.first?.format == "ats native")
        #expect(classCounts(result.statistics) == ["HIT": 1, "MISS": 2, "REVAL": 1, "STALE": 1, "ERROR": 1])
        #expect(result.statistics.totals.expiredRequests == 1)
    }

    /// HAProxy `option httplog` (HAProxy configuration manual, 8.2.3 "HTTP log format" example),
    /// then its cache answering (`<CACHE>`) and an upstream's X-Cache captured in `{…}`.
    @Test func haproxyHTTPLog() throws {
        let log = """
        Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"
        Feb  6 12:14:15 localhost haproxy[14389]: 10.0.1.2:33318 [06/Feb/2009:12:14:15.001] http-in static/<CACHE> 0/0/0/0/1 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"
        10.0.1.3:40000 [06/Feb/2009:12:14:16.000] fe be/app1 1/0/1/20/22 200 500 - - ---- 1/1/1/1/0 0/0 {www.example.com} {HIT} "GET /app.js HTTP/1.1"
        10.0.1.3:40001 [06/Feb/2009:12:14:17.000] fe be/app1 1/0/1/20/22 200 500 - - ---- 1/1/1/1/0 0/0 {www.example.com} {MISS} "GET /app2.js HTTP/1.1"
        10.0.1.4:40002 [06/Feb/2009:12:14:18.000] fe fe/<NOSRV> 0/-1/-1/-1/0 403 200 - - PR-- 1/1/1/0/0 0/0 "GET /admin HTTP/1.1"

        """
        let result = try analyze(log)
        let s = result.statistics
        #expect(result.inputs.first?.format == "haproxy httplog")
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["MISS": 2, "HIT": 2, "EDGE": 1])
        #expect(s.missLatency.percentile(1.0).map { abs($0 - 0.109) < 0.004 } == true)
    }
}

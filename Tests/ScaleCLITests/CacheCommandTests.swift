import CacheAudit
import Testing
import ScaleCore
@testable import ScaleCLI
import TestSupport

/// Golden output, exit statuses and hostile input for `cache explain` and `cache audit --headers/--har`.
@Suite struct CacheCommandTests {
    static let demo = "demo/cache-headers.txt"
    /// The demo's responses carry Date: Sun, 06 Nov 1994 08:49:37 GMT; a minute later:
    static let minuteLater = "Sun, 06 Nov 1994 08:50:37 GMT"

    /// `swift test` runs from the package root, as the examples do, so demo/ paths resolve.
    func inRepo(_ arguments: [String], stdin: String = "") -> (out: String, err: String, status: ExitCode) {
        run(arguments, stdin: stdin)
    }

    @Test func auditSavedHeadersGolden() {
        let result = inRepo(["cache", "audit", "--headers", Self.demo, "--now", Self.minuteLater, "-o", "csv", "--fail-on", "none"])
        #expect(result.status == .ok)
        #expect(result.err == "")
        let lines = result.out.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "kind,url,line,http_status,cache_class,stored,state,lifetime_seconds,lifetime_source,age_seconds,left_seconds,stale_policy,immutable,reason,check_id,severity,message,detail,cite,detected_by")
        // Response 1: Age 20, received at its Date (none given), now 60 s later:
        // age = 20 + 60 = 80 s; max-age=600 leaves 520 s. Response 2: age 60, max-age=60 leaves 0.
        #expect(lines[1] == "verdict,demo/cache-headers.txt,1,200,browser,true,fresh,600,max-age,80,520,swr 30s,false,stored,,,,,,")
        #expect(lines[2] == "verdict,demo/cache-headers.txt,1,200,shared,true,fresh,600,max-age,80,520,swr 30s,false,stored,,,,,,")
        #expect(lines.contains("verdict,demo/cache-headers.txt,11,200,shared,true,revalidate,60,max-age,60,0,none (no-cache),false,stored,,,,,,"))
        #expect(lines.contains("finding,demo/cache-headers.txt,11,200,,,,,,,,,,,CACHE025,warn,\"Expires is not a valid HTTP-date (e.g. 0, -1): caches treat the response as already expired\",Expires: 0,RFC9111 §5.3,"))
        #expect(!result.out.contains("session=secret"), "Set-Cookie values are never echoed")
    }

    @Test func auditTableGolden() {
        let result = inRepo(["cache", "audit", "--headers", Self.demo, "--now", Self.minuteLater])
        #expect(result.status == .critical, "CACHE007 is an error")
        #expect(result.out.hasPrefix("""
        == demo/cache-headers.txt:1 200 HTTP/1.1
        CACHE    STORED  STATE  LIFETIME  SOURCE      AGE    LEFT  STALE
        browser  yes     fresh       10m  max-age  1m 20s  8m 40s  swr 30s
        shared   yes     fresh       10m  max-age  1m 20s  8m 40s  swr 30s
        cdn      yes     fresh       10m  max-age  1m 20s  8m 40s  swr 30s

        """))
        #expect(result.out.hasSuffix("""
        RESPONSES: 2
        FAILURES:  0
        ERRORS:    1
        WARNINGS:  5
        INFOS:     8
        RESULT:    CRITICAL

        """))
    }

    @Test(arguments: [
        ("none", ExitCode.ok), ("error", .critical), ("warn", .critical), ("info", .critical),
    ])
    func failOnWithAnErrorFinding(level: String, expected: ExitCode) {
        #expect(inRepo(["cache", "audit", "--headers", Self.demo, "--fail-on", level, "-o", "json"]).status == expected)
    }

    @Test func failOnThresholdsWithWarningsAndInfosOnly() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cache")
        defer { dir.remove() }
        // CACHE050 (warn: no validator) and infos, nothing at error level.
        try dir.write("warn.txt", Array("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nCache-Control: max-age=60\r\n\r\n".utf8))
        // Only infos: a validator, CACHE020 summary.
        try dir.write("info.txt", Array("HTTP/2 200\nDate: Sun, 06 Nov 1994 08:49:37 GMT\nCache-Control: max-age=60\nETag: \"a\"\n".utf8))
        let warn = dir.path + "/warn.txt", info = dir.path + "/info.txt"
        #expect(run(["cache", "audit", "--headers", warn]).status == .ok)
        #expect(run(["cache", "audit", "--headers", warn, "--fail-on", "warn"]).status == .warning)
        #expect(run(["cache", "audit", "--headers", info, "--fail-on", "warn"]).status == .ok)
        #expect(run(["cache", "audit", "--headers", info, "--fail-on", "info"]).status == .warning)
    }

    @Test func sarifIsValidSARIF210() throws {
        let result = inRepo(["cache", "audit", "--headers", Self.demo, "-o", "sarif", "--fail-on", "none"])
        let dir = try TemporaryDirectory(prefix: "scalectl-sarif")
        defer { dir.remove() }
        try dir.write("out.sarif", Array(result.out.utf8))
        // Checked by Python's json module, not our own reader: the structure SARIF 2.1.0 requires.
        let script = """
        import json, sys
        d = json.load(open(sys.argv[1]))
        assert d["version"] == "2.1.0", d["version"]
        assert d["$schema"].endswith("sarif-2.1.0.json")
        run = d["runs"][0]
        driver = run["tool"]["driver"]
        assert driver["name"] == "scalectl"
        ids = [r["id"] for r in driver["rules"]]
        assert len(ids) == len(set(ids))
        for r in run["results"]:
            assert r["level"] in ("error", "warning", "note"), r["level"]
            assert ids[r["ruleIndex"]] == r["ruleId"]
            assert r["message"]["text"]
            loc = r["locations"][0]["physicalLocation"]
            assert loc["artifactLocation"]["uri"] == "demo/cache-headers.txt"
            assert loc["region"]["startLine"] in (1, 11)
        levels = {r["ruleId"]: r["level"] for r in run["results"]}
        assert levels["CACHE007"] == "error" and levels["CACHE025"] == "warning" and levels["CACHE020"] == "note", levels
        print(len(run["results"]))
        """
        try dir.write("check.py", Array(script.utf8))
        let python = Subprocess.run(["python3", dir.path + "/check.py", dir.path + "/out.sarif"])
        #expect(python.status == 0, "\(python.errors)")
        #expect(python.output == "14\n", "1 error + 5 warnings + 8 infos")
    }

    @Test func explainWithExtraHeadersAndJSON() throws {
        let result = run(["cache", "explain", "no-store", "-H", "CDN-Cache-Control: max-age=600", "-o", "ndjson"])
        #expect(result.status == .ok)
        let rows = try result.out.split(separator: "\n").map { try JSONParser.read(Array($0.utf8)) }
        let cdn = rows.first { $0["cache_class"]?.string == "cdn" }
        #expect(cdn?["stored"] == .bool(true))
        #expect(cdn?["lifetime_seconds"] == .number(JSONNumber(text: "600")))
        #expect(cdn?["lifetime_source"]?.string == "cdn-cache-control max-age")
        #expect(rows.first { $0["cache_class"]?.string == "browser" }?["stored"] == .bool(false))
        #expect(rows.first?["kind"]?.string == "directive")
        #expect(rows.contains { $0["check_id"]?.string == "CACHE080" })
    }

    @Test func explainTypos() {
        let result = run(["cache", "explain", "maxage=60, s-maxage=\"300\""])
        #expect(result.out.contains("maxage=60       unknown; did you mean max-age?"))
        #expect(result.out.contains("CACHE072  warn"))
        #expect(result.out.contains("CACHE028  warn"))
    }

    @Test func harEntriesAreAuditedAndSecretsNeverEchoed() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-har")
        defer { dir.remove() }
        let har = """
        {"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": [
          {"startedDateTime": "1994-11-06T08:49:37.000Z", "time": 2500,
           "request": {"method": "GET", "url": "https://user:hunter2@example.com/app.3f9a1c2b.js",
                       "headers": [{"name": "Authorization", "value": "Bearer s3cr3t-token"}, {"name": "Cookie", "value": "sid=c00kie"}]},
           "response": {"status": 200, "httpVersion": "HTTP/2", "headers": [
             {"name": ":status", "value": "200"},
             {"name": "date", "value": "Sun, 06 Nov 1994 08:49:37 GMT"},
             {"name": "cache-control", "value": "max-age=3600"},
             {"name": "etag", "value": "\\"x\\""}]}}
        ]}}
        """
        try dir.write("a.har", Array(har.utf8))
        let result = run(["cache", "audit", "--har", dir.path + "/a.har", "-o", "json", "--fail-on", "none"])
        #expect(result.status == .ok, "\(result.err)")
        for secret in ["hunter2", "s3cr3t-token", "c00kie"] { #expect(!result.out.contains(secret)) }
        #expect(result.out.contains("https://user:***@example.com/app.3f9a1c2b.js"))
        // Authorization without public/s-maxage/must-revalidate: shared caches do not store it (§3.5).
        #expect(result.out.contains("\"cache_class\": \"shared\", \"stored\": false"))
        #expect(result.out.contains("\"check_id\": \"CACHE004\""))
        // A fingerprinted URL with an hour of lifetime and no immutable.
        #expect(result.out.contains("\"check_id\": \"CACHE090\""))
        // Received 2.5 s after it started, 2 s after Date (rounded down): age 2 s.
        #expect(result.out.contains("\"cache_class\": \"browser\", \"stored\": true, \"state\": \"fresh\", \"lifetime_seconds\": 3600, \"lifetime_source\": \"max-age\", \"age_seconds\": 2,"))
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\nCache-Control max-age=60\n\n", "line 2"),
        ("no response here\n", "no HTTP response head found"),
        ("HTTP/1.1 200 OK\n   folded before any header\n", "continuation line"),
    ])
    func unreadableHeadersExit3(text: String, message: String) throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-bad")
        defer { dir.remove() }
        try dir.write("bad.txt", Array(text.utf8))
        let result = run(["cache", "audit", "--headers", dir.path + "/bad.txt"])
        #expect(result.status == .unknown)
        #expect(result.out == "")
        #expect(result.err.contains("scalectl: error: \(dir.path)/bad.txt"))
        #expect(result.err.contains(message) || result.err.contains(":2: "), "\(result.err)")
    }

    @Test func binaryJunkAndHugeInputsDoNotCrash() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-junk")
        defer { dir.remove() }
        var junk: [UInt8] = Array("HTTP/1.1 200 OK\r\nCache-Control: ".utf8)
        junk += (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }.map { $0 == 0x0A || $0 == 0x0D ? 0x41 : $0 }
        junk += Array("\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: \"a\"\r\n\r\n".utf8)
        try dir.write("junk.txt", junk)
        let result = run(["cache", "audit", "--headers", dir.path + "/junk.txt", "-o", "json", "--fail-on", "none"])
        #expect(result.status == .ok, "\(result.err)")
        #expect(result.out.contains("\"responses\": 2"))
        let long = "HTTP/1.1 200 OK\nX: " + String(repeating: "a", count: 70_000) + "\n\n"
        try dir.write("long.txt", Array(long.utf8))
        let tooLong = run(["cache", "audit", "--headers", dir.path + "/long.txt"])
        #expect(tooLong.status == .unknown)
        #expect(tooLong.err.contains("longer than 64 KiB"))
    }

    @Test func aMissingFileExits3() {
        let result = run(["cache", "audit", "--headers", "/nonexistent/h.txt"])
        #expect(result.status == .unknown)
        #expect(result.err == "scalectl: error: --headers: cannot open /nonexistent/h.txt: No such file or directory; check the path\n")
    }

    @Test(arguments: [
        (["cache", "audit"], "nothing to audit"),
        (["cache", "audit", "--headers", "x", "http://a/"], "not both"),
        (["cache", "audit", "http://a/", "--received-at", "0"], "--received-at: applies only to saved responses"),
        (["cache", "audit", "--headers", "x", "-L"], "--location: applies only to live URLs"),
        (["cache", "audit", "http://a/", "--now", "yesterday"], "--now: 'yesterday' is not a time"),
        (["cache", "audit", "http://a/", "-H", "nocolon"], "--header: 'nocolon' is not a header field"),
        (["cache", "audit", "http://a/", "--fail-on", "fatal"], "fail-on"),
        (["cache", "explain"], "missing VALUE"),
    ])
    func usageErrorsExit64(arguments: [String], message: String) {
        let result = run(arguments)
        #expect(result.status == .usage)
        #expect(result.err.contains(message), "\(result.err)")
    }

    @Test func urlsFromStandardInputAndFailuresExit2() throws {
        let port = try RefusedPort()
        let url = "http://127.0.0.1:\(port.port)/a"
        let result = run(["cache", "audit", "-", "-o", "ndjson", "--timeout", "2s"], stdin: "# comment\n\n\(url)\n\(url)?b\n")
        #expect(result.status == .critical)
        let failures = result.out.split(separator: "\n").filter { $0.contains("\"kind\": \"failure\"") }
        #expect(failures.count == 2)
        #expect(result.out.contains("\"failures\": 2"))
    }

    @Test func fastlyVendorRowGolden() {
        // Age 100 and a minute since receipt: 160 s. Fastly takes Surrogate-Control max-age=86400
        // over Cache-Control max-age=300: left 86400 - 160 = 86240 s = 23h 57m 20s.
        // The whole table is the command table's example (ExampleTests checks it exactly).
        let table = inRepo(["cache", "audit", "--headers", "demo/cache-headers-fastly.txt", "--now", Self.minuteLater])
        #expect(table.status == .ok && table.err == "")
        #expect(table.out.contains("fastly   yes     fresh        1d  surrogate-control max-age  2m 40s  23h 57m 20s"))
        // The machine formats: the vendor row with what showed it, and the note once.
        let json = inRepo(["cache", "audit", "--headers", "demo/cache-headers-fastly.txt", "-o", "json"])
        #expect(json.out.contains("\"cache_class\": \"fastly\", \"stored\": true, \"state\": \"fresh\", \"lifetime_seconds\": 86400, \"lifetime_source\": \"surrogate-control max-age\", \"age_seconds\": 100, \"left_seconds\": 86300,"))
        #expect(json.out.contains("\"detected_by\": \"surrogate-control, x-served-by\""))
        #expect(json.out.contains("\"notes\": [\"vendor rows model each vendor's documented default configuration; yours may differ\"]"))
        // No vendor, no vendor rows and no note.
        let plain = inRepo(["cache", "audit", "--headers", Self.demo, "-o", "json", "--fail-on", "none"])
        #expect(!plain.out.contains("documented default"))
        #expect(!plain.out.contains("\"cache_class\": \"fastly\""))
    }

    @Test func cloudflareRowsJudgeTheURLFromAHAR() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-har-cf")
        defer { dir.remove() }
        func entry(_ url: String, _ extra: String = "") -> String {
            """
            {"startedDateTime": "1994-11-06T08:49:37.000Z", "time": 0, "request": {"method": "GET", "url": "\(url)", "headers": []},
             "response": {"status": 200, "httpVersion": "HTTP/2", "headers": [
               {"name": "date", "value": "Sun, 06 Nov 1994 08:49:37 GMT"}, {"name": "cache-control", "value": "public, max-age=600"},
               {"name": "cf-ray", "value": "8a1b2c3d4e5f-FRA"}\(extra)]}}
            """
        }
        let har = "{\"log\": {\"version\": \"1.2\", \"creator\": {\"name\": \"t\", \"version\": \"1\"}, \"entries\": ["
            + [entry("https://example.com/app.js"), entry("https://example.com/"),
               entry("https://example.com/b.css", ", {\"name\": \"set-cookie\", \"value\": \"sid=c00kie\"}")].joined(separator: ",") + "]}}"
        try dir.write("cf.har", Array(har.utf8))
        let result = run(["cache", "audit", "--har", dir.path + "/cf.har", "-o", "csv", "--fail-on", "none"])
        #expect(result.status == .ok, "\(result.err)")
        let rows = result.out.split(separator: "\r\n").filter { $0.contains(",cloudflare,") }.map(String.init)
        #expect(rows == [
            "verdict,https://example.com/app.js,,200,cloudflare,true,fresh,600,max-age,0,600,cache's choice,false,stored,,,,,,cf-ray",
            "verdict,https://example.com/,,200,cloudflare,false,not stored,,,0,,-,false,no file extension: Cloudflare does not cache HTML or extensionless paths by default,,,,,,cf-ray",
            "verdict,https://example.com/b.css,,200,cloudflare,false,not stored,,,0,,-,false,Set-Cookie (Cloudflare bypasses the cache),,,,,,cf-ray",
        ])
        #expect(!result.out.contains("c00kie"))
    }

    @Test func fetchFailuresAreSARIFToolExecutionNotifications() throws {
        let port = try RefusedPort()
        let url = "http://user:hunter2@127.0.0.1:\(port.port)/a"
        let result = run(["cache", "audit", url, "-o", "sarif", "--timeout", "2s"])
        #expect(result.status == .critical, "a URL that cannot be fetched exits 2")
        #expect(!result.out.contains("hunter2"))
        let dir = try TemporaryDirectory(prefix: "scalectl-sarif-fail")
        defer { dir.remove() }
        try dir.write("out.sarif", Array(result.out.utf8))
        try dir.write("ok.sarif", Array(inRepo(["cache", "audit", "--headers", Self.demo, "-o", "sarif", "--fail-on", "none"]).out.utf8))
        // Python's json module, against SARIF 2.1.0's property names: run.invocations[] (§3.14.11),
        // invocation.executionSuccessful (§3.20.14, required), toolExecutionNotifications
        // (§3.20.21) of notification objects (§3.58: message.text, level, locations).
        let script = """
        import json, sys
        failed = json.load(open(sys.argv[1]))
        assert failed["version"] == "2.1.0"
        run = failed["runs"][0]
        assert run["results"] == [], run["results"]
        inv = run["invocations"]
        assert len(inv) == 1 and inv[0]["executionSuccessful"] is False, inv
        notes = inv[0]["toolExecutionNotifications"]
        assert len(notes) == 1, notes
        n = notes[0]
        assert set(n) <= {"locations", "message", "level", "threadId", "timeUtc", "exception", "descriptor", "associatedRule", "properties"}, n
        assert n["level"] == "error"
        redacted = sys.argv[3]
        assert n["message"]["text"].startswith("cannot examine " + redacted + ": "), n["message"]["text"]
        assert n["message"]["text"].endswith("(refused)"), n["message"]["text"]
        assert n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == redacted
        assert n["properties"]["failureKind"] == "refused"
        ok = json.load(open(sys.argv[2]))["runs"][0]["invocations"]
        assert ok == [{"executionSuccessful": True}], ok
        print("ok")
        """
        try dir.write("check.py", Array(script.utf8))
        let redacted = "http://user:***@127.0.0.1:\(port.port)/a"
        let python = Subprocess.run(["python3", dir.path + "/check.py", dir.path + "/out.sarif", dir.path + "/ok.sarif", redacted])
        #expect(python.status == 0, "\(python.errors)")
        #expect(python.output == "ok\n")
    }

    @Test(arguments: [
        ("1700000000", Int64(1_700_000_000)), ("@784111777", 784_111_777),
        ("Sun, 06 Nov 1994 08:49:37 GMT", 784_111_777), ("1994-11-06T08:49:37Z", 784_111_777),
    ])
    func timeArguments(text: String, seconds: Int64) {
        #expect(TimeText.parse(text) == seconds)
    }

    @Test func harTimestamps() {
        // 08:49:37.500 at +01:00 is 07:49:37.5 UTC = 784111777 - 3600 + 0.5.
        #expect(TimeText.iso8601("1994-11-06T08:49:37.500+01:00") == 784_108_177.5)
        #expect(TimeText.iso8601("1994-11-06T08:49:37Z") == 784_111_777)
        #expect(TimeText.iso8601("1994-11-06 08:49") == nil)
    }

    @Test func sitemapLocations() {
        let xml = Array("""
        <?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>https://example.com/a?x=1&amp;y=2</loc></url>
        <url><loc>
          https://example.com/b
        </loc><lastmod>2024-01-01</lastmod></url></urlset>
        """.utf8)
        #expect(Sitemap.locations(xml) == ["https://example.com/a?x=1&y=2", "https://example.com/b"])
        #expect(!Sitemap.isIndex(xml))
        #expect(Sitemap.isIndex(Array("<sitemapindex><sitemap><loc>x</loc></sitemap></sitemapindex>".utf8)))
    }
}

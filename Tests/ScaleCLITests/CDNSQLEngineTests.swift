import ScaleCLI
import ScaleCore
import Testing
import TestSupport

/// `cdn sql` on real engines: the DDL and query it prints are run by DuckDB, ClickHouse (chdb,
/// in-process) and Spark SQL (local mode, one JVM for every query) through
/// Tests/Fixtures/sql/run_engine.py over the same logs, and every count and byte total must equal
/// what `cdn hits -o json` reports for the file, ratios to 1e-12. Skipped where the engine's
/// Python package is missing, except under CI=true.
@Suite struct CDNSQLEngineTests {
    struct Case {
        var format: String
        var file: String
        var arguments: [String]
    }

    /// The demo logs and two small fixtures with the awkward parts: unknown values, a lower-case
    /// word nginx does not know, POST and DELETE misses (CloudFront's definition leaves them out),
    /// `-` bytes, time zones other than UTC, absolute URLs with ports and upper-case hosts.
    static let cases: [Case] = [
        Case(format: "nginx", file: "demo/cdn/nginx-access.log", arguments: []),
        Case(format: "nginx", file: "demo/cdn/nginx-access.log",
             arguments: ["--by", "status", "--by", "class", "--ratio", "fastly", "--since", "2026-11-23T08:30", "--until", "2026-11-23T09:30",
                         "--path-prefix", "/static/", "--path-prefix", "/api/"]),
        Case(format: "cloudfront", file: "demo/cdn/cloudfront.log",
             arguments: ["--by", "class", "--by", "pop", "--by", "host", "--by", "status", "--ratio", "cloudfront", "--top", "2"]),
        Case(format: "cloudfront", file: "demo/cdn/cloudfront.log", arguments: ["--ratio", "akamai", "--host", "www.example.com", "--by", "host"]),
        // The demo log plus Origin Shield hits the edge logged as Miss (x-edge-detailed-result-type
        // OriginShieldHit), a viewer that went away (Error over Hit) and a plain miss.
        Case(format: "cloudfront", file: "Tests/Fixtures/sql/cloudfront-shield.log", arguments: ["--by", "class", "--by", "status"]),
        Case(format: "nginx", file: "Tests/Fixtures/sql/nginx-edge.log", arguments: ["--by", "class", "--by", "status", "--ratio", "cloudfront"]),
        Case(format: "nginx", file: "Tests/Fixtures/sql/nginx-edge.log",
             arguments: ["--ratio", "cloudflare", "--path-prefix", "/static/", "--since", "2026-11-23T07:00:02", "--until", "2026-11-23T14:00:08"]),
        Case(format: "varnish", file: "Tests/Fixtures/sql/varnish-access.log",
             arguments: ["--by", "class", "--by", "host", "--by", "status", "--ratio", "akamai"]),
        Case(format: "varnish", file: "Tests/Fixtures/sql/varnish-access.log", arguments: ["--host", "WWW.example.com", "--by", "host"]),
        // The ranked breakdowns: extensions (none, upper case, too long, after a query), prefixes
        // at two depths (a path with fewer slashes, a query before the slash), the top misses and
        // the top uncacheable URLs, cut by --top.
        Case(format: "nginx", file: "Tests/Fixtures/sql/nginx-paths.log",
             arguments: ["--by", "ext", "--by", "prefix", "--by", "url", "--by", "uncacheable", "--top", "20"]),
        Case(format: "nginx", file: "Tests/Fixtures/sql/nginx-paths.log", arguments: ["--by", "prefix", "--depth", "3", "--by", "ext", "--top", "4"]),
        Case(format: "nginx", file: "demo/cdn/nginx-access.log",
             arguments: ["--by", "prefix", "--depth", "2", "--by", "ext", "--by", "url", "--by", "uncacheable", "--top", "3"]),
        Case(format: "cloudfront", file: "demo/cdn/cloudfront.log",
             arguments: ["--by", "ext", "--by", "prefix", "--by", "url", "--by", "uncacheable", "--ratio", "cloudfront"]),
        Case(format: "varnish", file: "Tests/Fixtures/sql/varnish-access.log", arguments: ["--by", "prefix", "--by", "url", "--top", "2"]),
        // Raw cache-status values with their class: unknown and lower-case words, CloudFront's
        // Origin Shield hits under Miss, varnish handlings; cut by --top.
        Case(format: "nginx", file: "Tests/Fixtures/sql/nginx-edge.log", arguments: ["--by", "value", "--by", "class"]),
        Case(format: "nginx", file: "demo/cdn/nginx-access.log", arguments: ["--by", "value", "--top", "2"]),
        Case(format: "cloudfront", file: "Tests/Fixtures/sql/cloudfront-shield.log", arguments: ["--by", "value"]),
        Case(format: "varnish", file: "Tests/Fixtures/sql/varnish-access.log", arguments: ["--by", "value", "--ratio", "akamai"]),
        // Time buckets: chosen from the span (1h over nginx-edge's 7 hours, its zones other than
        // UTC; 1m over the demo's), and given (--bucket 5m, 2h); CloudFront's date and time columns.
        Case(format: "nginx", file: "Tests/Fixtures/sql/nginx-edge.log", arguments: ["--by", "time"]),
        Case(format: "nginx", file: "demo/cdn/nginx-access.log", arguments: ["--by", "time", "--by", "class"]),
        Case(format: "nginx", file: "demo/cdn/nginx-access.log", arguments: ["--by", "time", "--bucket", "5m", "--since", "2026-11-23T08:30"]),
        Case(format: "cloudfront", file: "demo/cdn/cloudfront.log", arguments: ["--by", "time"]),
        Case(format: "cloudfront", file: "Tests/Fixtures/sql/cloudfront-shield.log", arguments: ["--by", "time", "--bucket", "2h"]),
        // Layouts given as nginx.conf and varnishncsa -F write them (no --log-format): the cache
        // status in the middle, $msec time, $host ('-', a port, upper case), absolute URLs, a
        // request without a protocol, '-' bytes, an escaped quote and malformed lines.
        Case(format: "", file: "Tests/Fixtures/sql/nginx-custom.log",
             arguments: ["--nginx-log-format", customNginx, "--by", "class", "--by", "host", "--by", "time", "--by", "url", "--by", "status"]),
        Case(format: "", file: "Tests/Fixtures/sql/nginx-custom.log",
             arguments: ["--nginx-log-format", customNginx, "--ratio", "cloudflare", "--host", "www.example.com", "--by", "prefix"]),
        Case(format: "", file: "Tests/Fixtures/sql/varnish-access.log",
             arguments: ["--apache-log-format", #"%h %l %u %t "%r" %s %b "%{Referer}i" "%{User-agent}i" %{Varnish:handling}x"#,
                         "--by", "class", "--by", "host", "--by", "url"]),
    ]

    static let customNginx = #"$msec $host "$request" $status $body_bytes_sent $upstream_cache_status "$http_user_agent" $request_time"#

    static func hasModule(_ name: String) -> Bool {
        Subprocess.run(["python3", "-c", "import \(name)"]).status == 0
    }

    static let hasDuckDB = hasModule("duckdb")
    static let hasCHDB = hasModule("chdb")
    static let hasSpark = hasModule("pyspark") && Subprocess.which("java") != nil

    func scalectl(_ arguments: [String]) -> (out: String, err: String, status: ExitCode) {
        let console = CapturingConsole()
        let status = ScaleCLI.run(arguments: arguments, console: console)
        return (console.output, console.errors, status)
    }

    /// Writes each case's DDL and query, runs them all in one engine process, and compares.
    func check(engine: String) throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cdnsql")
        var jobs: [String] = []
        for (i, c) in Self.cases.enumerated() {
            let base = ["cdn", "sql", "--engine", engine] + (c.format.isEmpty ? [] : ["--log-format", c.format])
            let ddl = scalectl(base + ["--ddl", "--location", RepositoryRoot.file(c.file)] + c.arguments)
            let query = scalectl(base + c.arguments)
            try #require(ddl.status == .ok && query.status == .ok, "\(ddl.err)\(query.err)")
            try dir.write("ddl\(i).sql", Array(ddl.out.utf8))
            try dir.write("query\(i).sql", Array(query.out.utf8))
            jobs.append("{\"ddl\": \"\(dir.path)/ddl\(i).sql\", \"query\": \"\(dir.path)/query\(i).sql\"}")
        }
        try dir.write("jobs.json", Array(("[" + jobs.joined(separator: ", ") + "]").utf8))
        // Spark starts a JVM and plans each query: far more than the default minute on a busy machine.
        let run = Subprocess.start(["python3", RepositoryRoot.file("Tests/Fixtures/sql/run_engine.py"), engine, dir.path + "/jobs.json", dir.path + "/warehouse"])
            .wait(timeout: 600)
        try #require(run.status == 0, "\(engine): \(run.errors.suffix(3000))")
        let results = try #require(Self.array(try JSONParser.read(Array(run.output.utf8))["results"]))
        try #require(results.count == Self.cases.count)

        for (c, got) in zip(Self.cases, results) {
            let label = "\(engine) \(c.file) \(c.arguments.joined(separator: " "))"
            let hits = scalectl(["cdn", "hits", RepositoryRoot.file(c.file), "-o", "json"] + (c.format.isEmpty ? [] : ["--log-format", c.format]) + c.arguments)
            let reference = try JSONParser.read(Array(hits.out.utf8))
            let rows = try #require(Self.array(got))
            let summary = rows.filter { $0["dimension"]?.string == "summary" }
            let keyed = rows.filter { $0["dimension"]?.string != "summary" }
            let expected = try #require(Self.array(reference["results"]))
            #expect(summary.count == 1, "\(label)")
            #expect(keyed.count == expected.count, "\(label): \(keyed.count) rows, cdn hits has \(expected.count)")
            // Every row in cdn hits' order, every field of it.
            for (row, want) in zip(keyed, expected) {
                for name in ["dimension", "key", "requests", "share_ratio", "hit_ratio", "byte_hit_ratio", "misses", "passes", "bytes", "origin_bytes"] {
                    #expect(Self.same(row[name], want[name]), "\(label): \(want["dimension"]?.string ?? "") \(want["key"]?.string ?? "") \(name): \(String(describing: row[name])) vs \(String(describing: want[name]))")
                }
            }
            let wantSummary = try #require(reference["summary"])
            for name in ["format", "total_requests", "overall_hit_ratio", "ratio_definition", "overall_byte_hit_ratio", "origin_offload_ratio",
                         "unclassified_bytes", "total_bytes", "total_origin_bytes", "origin_bytes_source", "first_request", "last_request"] {
                #expect(Self.same(summary.first?[name], wantSummary[name]), "\(label): summary \(name): \(String(describing: summary.first?[name])) vs \(String(describing: wantSummary[name]))")
            }
            #expect((wantSummary["total_requests"]?.int64 ?? 0) > 0, "\(label): the case must count something")
        }
    }

    static func array(_ v: JSONValue?) -> [JSONValue]? {
        if case .array(let items)? = v { return items }
        return nil
    }

    /// Integers exactly, ratios to 1e-12, text exactly, null as null.
    static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a ?? .null, b ?? .null) {
        case (.null, .null): return true
        case (.number(let x), .number(let y)):
            if let i = x.int64, let j = y.int64 { return i == j }
            return abs(x.double - y.double) <= 1e-12
        case (.string(let x), .string(let y)): return x == y
        default: return false
        }
    }

    @Test(.enabled(if: hasDuckDB || ServerRequirement.isCI, "python3 -m pip install duckdb"))
    func duckdbGivesTheNumbersOfCdnHits() throws { try check(engine: "duckdb") }

    @Test(.enabled(if: hasCHDB || ServerRequirement.isCI, "python3 -m pip install chdb"))
    func clickhouseGivesTheNumbersOfCdnHits() throws { try check(engine: "clickhouse") }

    @Test(.enabled(if: hasSpark || ServerRequirement.isCI, "python3 -m pip install pyspark; apt-get install openjdk-17-jre-headless"))
    func sparkGivesTheNumbersOfCdnHits() throws { try check(engine: "spark") }
}

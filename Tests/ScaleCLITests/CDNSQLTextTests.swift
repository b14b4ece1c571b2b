import CDNLogs
import ScaleCLI
import ScaleCore
import Testing
import TestSupport

/// What `cdn sql` prints where no engine runs here (Athena, Trino, BigQuery): the table AWS
/// documents, each dialect's own functions; and, for every engine, that the classes and ratios
/// classify as the vendors document, and the usage errors.
@Suite struct CDNSQLTextTests {
    func sql(_ arguments: [String]) -> (out: String, err: String, status: ExitCode) {
        let console = CapturingConsole()
        let status = ScaleCLI.run(arguments: ["cdn", "sql"] + arguments, console: console)
        return (console.output, console.errors, status)
    }

    /// The CREATE TABLE of "Create a table for CloudFront standard logs (legacy)" in the Amazon
    /// Athena User Guide, as AWS prints it (table name and LOCATION are the user's).
    static let awsCloudFrontTable = """
    CREATE EXTERNAL TABLE IF NOT EXISTS cloudfront_standard_logs (
      `date` DATE,
      time STRING,
      x_edge_location STRING,
      sc_bytes BIGINT,
      c_ip STRING,
      cs_method STRING,
      cs_host STRING,
      cs_uri_stem STRING,
      sc_status INT,
      cs_referrer STRING,
      cs_user_agent STRING,
      cs_uri_query STRING,
      cs_cookie STRING,
      x_edge_result_type STRING,
      x_edge_request_id STRING,
      x_host_header STRING,
      cs_protocol STRING,
      cs_bytes BIGINT,
      time_taken FLOAT,
      x_forwarded_for STRING,
      ssl_protocol STRING,
      ssl_cipher STRING,
      x_edge_response_result_type STRING,
      cs_protocol_version STRING,
      fle_status STRING,
      fle_encrypted_fields INT,
      c_port INT,
      time_to_first_byte FLOAT,
      x_edge_detailed_result_type STRING,
      sc_content_type STRING,
      sc_content_len BIGINT,
      sc_range_start BIGINT,
      sc_range_end BIGINT
    )
    ROW FORMAT DELIMITED
    FIELDS TERMINATED BY '\\t'
    LOCATION 's3://amzn-s3-demo-bucket/'
    TBLPROPERTIES ( 'skip.header.line.count'='2' );

    """

    @Test func athenaCloudFrontTableIsTheOneAWSDocuments() {
        let r = sql(["--engine", "athena", "--log-format", "cloudfront", "--ddl", "--location", "s3://amzn-s3-demo-bucket/", "--table", "cloudfront_standard_logs"])
        #expect(r.status == .ok)
        let body = r.out.split(separator: "\n", omittingEmptySubsequences: false).drop { $0.hasPrefix("--") }.joined(separator: "\n")
        #expect(body == Self.awsCloudFrontTable)
    }

    /// Each dialect's own spelling of the parts that differ; the regular expressions carry no
    /// backslash (Spark, ClickHouse and BigQuery would read it as an escape) and BigQuery's
    /// REGEXP_EXTRACT gets patterns with one capturing group.
    @Test(arguments: [
        ("athena", ["regexp_extract(\"line\", '", "regexp_like(", "TRY(parse_datetime(", "from_unixtime(", "TRY_CAST(", "CAST(NULL AS bigint)"]),
        ("trino", ["regexp_extract(\"line\", '", "regexp_like(", "parse_datetime(", "from_unixtime(", "TRY_CAST(", "CAST(NULL AS double)"]),
        ("bigquery", ["REGEXP_EXTRACT(`line`, '", "REGEXP_CONTAINS(", "SAFE.PARSE_TIMESTAMP('%d/%b/%Y:%H:%M:%S %z'", "TIMESTAMP_SECONDS(", "SAFE_CAST(", "CAST(NULL AS INT64)"]),
        ("spark", ["regexp_extract(`line`, '", " RLIKE ", "unix_timestamp(try_to_timestamp(", "TRY_CAST("]),
        ("clickhouse", ["regexpExtract(`line`, '", "match(", "parseDateTimeBestEffortOrNull(", "toInt64OrNull("]),
        ("duckdb", ["regexp_extract(\"line\", '", "regexp_matches(", "try_strptime(", "TRY_CAST("]),
    ])
    func dialectSpellings(engine: String, parts: [String]) {
        let r = sql(["--engine", engine, "--log-format", "varnish", "--by", "class", "--by", "host"])
        #expect(r.status == .ok, "\(r.err)")
        for part in parts { #expect(r.out.contains(part), "\(engine) lacks \(part)") }
        #expect(!r.out.contains("\\"), "\(engine): a backslash in the query")
        if engine == "bigquery" {
            // Every pattern passed to REGEXP_EXTRACT has exactly one group not written (?:.
            for call in r.out.components("REGEXP_EXTRACT(").dropFirst() {
                let afterQuote = call.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                guard afterQuote.count > 1 else { continue }
                let pattern = Array(afterQuote[1])
                let groups = pattern.indices.filter { pattern[$0] == "(" && ($0 + 1 == pattern.count || pattern[$0 + 1] != "?") }
                #expect(groups.count == 1, "pattern \(String(pattern))")
            }
        }
    }

    /// Vendor values and the class each vendor's documentation gives them, written out here by
    /// hand (nginx `$upstream_cache_status` in the ngx_http_upstream module docs; varnishncsa's
    /// `%{Varnish:handling}x`; CloudFront's x-edge-result-type in the standard-log field list),
    /// not read from the tables the generator uses: a value mapped wrongly there fails here.
    static let documentedValues: [(format: String, value: String, cls: String)] = [
        ("nginx", "HIT", "HIT"), ("nginx", "STALE", "STALE"), ("nginx", "UPDATING", "STALE"),
        ("nginx", "REVALIDATED", "REVAL"), ("nginx", "MISS", "MISS"), ("nginx", "EXPIRED", "MISS"),
        ("nginx", "BYPASS", "PASS"), ("nginx", "-", "NONE"),
        ("varnish", "hit", "HIT"), ("varnish", "miss", "MISS"), ("varnish", "pass", "PASS"),
        ("varnish", "pipe", "PASS"), ("varnish", "synth", "EDGE"),
        ("cloudfront", "Hit", "HIT"), ("cloudfront", "RefreshHit", "REVAL"), ("cloudfront", "OriginShieldHit", "HIT"),
        ("cloudfront", "Miss", "MISS"), ("cloudfront", "Error", "ERROR"), ("cloudfront", "LimitExceeded", "ERROR"),
        ("cloudfront", "CapacityExceeded", "ERROR"), ("cloudfront", "Redirect", "EDGE"),
    ]

    @Test(arguments: documentedValues)
    func documentedValuesAreClassifiedInTheQuery(format: String, value: String, cls: String) {
        let r = sql(["--engine", "duckdb", "--log-format", format])
        #expect(r.out.contains("WHEN v = '\(value)' THEN '\(cls)'"), "\(format): \(value) → \(cls)")
    }

    @Test func cloudfrontReadsTheResponseTypeWhenTheViewerWentAway() {
        let r = sql(["--engine", "duckdb", "--log-format", "cloudfront"])
        #expect(r.out.contains("x_edge_response_result_type"))
        #expect(r.out.contains("x_edge_detailed_result_type"))
    }

    /// Each definition's numerator and denominator as the vendors state them (see RatioDefinition's
    /// sentences, restated in docs/cdn.md), written out by hand.
    @Test(arguments: [
        (RatioDefinition.cache, "'HIT', 'STALE', 'REVAL'", "'HIT', 'STALE', 'REVAL', 'MISS', 'PASS'", false),
        (.fastly, "'HIT', 'STALE', 'REVAL'", "'HIT', 'STALE', 'REVAL', 'MISS'", false),
        (.cloudfront, "'HIT', 'STALE', 'REVAL'", "'HIT', 'STALE', 'REVAL', 'MISS'", true),
        (.cloudflare, "'HIT', 'STALE', 'REVAL'", "'HIT', 'STALE', 'REVAL', 'MISS', 'PASS', 'ERROR', 'EDGE', 'NONE'", false),
        (.akamai, "'HIT', 'STALE', 'REVAL', 'EDGE'", "'HIT', 'STALE', 'REVAL', 'MISS', 'PASS', 'ERROR', 'EDGE', 'NONE'", false),
    ])
    func ratioClassesAreTheVendorsDefinitions(ratio: RatioDefinition, served: String, base: String, unsafe: Bool) {
        let r = sql(["--engine", "duckdb", "--log-format", "nginx", "--ratio", ratio.rawValue])
        #expect(r.out.contains("WHEN cls IN (\(served)) THEN 1"))
        #expect(r.out.contains("WHEN cls IN (\(base)) THEN 1 ELSE 0 END)\(unsafe ? " - SUM(unsafe_miss)" : "") AS n_base_requests"))
        // DuckDB doubles the quote in "Fastly's".
        #expect(r.out.contains("'" + String(ratio.text.flatMap { $0 == "'" ? ["'", "'"] as [Character] : [$0] }) + "'"))
    }

    @Test func usageErrorsNameWhatIsSupported() {
        let format = sql(["--engine", "duckdb", "--log-format", "akamai"])
        #expect(format.status == .usage)
        #expect(format.err.contains("cdn sql does not read akamai logs; use one of: nginx, varnish, cloudfront"))
        let by = sql(["--engine", "duckdb", "--log-format", "nginx", "--by", "type"])
        #expect(by.status == .usage)
        #expect(by.err.contains("--by type is not written in SQL; use class, status, ext, prefix, host, pop, time, url, uncacheable, value"))
        let ddl = sql(["--engine", "spark", "--log-format", "nginx", "--ddl"])
        #expect(ddl.status == .usage)
        #expect(ddl.err.contains("--location"))
        let location = sql(["--engine", "duckdb", "--log-format", "nginx", "--location", "/var/log/nginx/"])
        #expect(location.status == .usage)
        #expect(location.err.contains("add --ddl"))
        let table = sql(["--engine", "spark", "--log-format", "nginx", "--table", "logs; DROP TABLE x"])
        #expect(table.status == .usage)
        let noCache = sql(["--engine", "duckdb", "--nginx-log-format", #"$remote_addr [$time_local] "$request" $status $body_bytes_sent"#])
        #expect(noCache.status == .usage)
        #expect(noCache.err.contains("--nginx-log-format: the layout given has no cache-status field"), "\(noCache.err)")
        let measured = sql(["--engine", "duckdb", "--nginx-log-format", #"[$time_local] "$request" $status $body_bytes_sent $upstream_cache_status $upstream_bytes_received"#])
        #expect(measured.status == .usage, "\(measured.out)")
        #expect(measured.err.contains("origin bytes measured per request are not summed in SQL"), "\(measured.err)")
        let disagree = sql(["--engine", "duckdb", "--log-format", "varnish", "--nginx-log-format", #"[$time_local] "$request" $status $body_bytes_sent $upstream_cache_status"#])
        #expect(disagree.status == .usage)
        #expect(disagree.err.contains("--log-format varnish disagrees with the layout given"))
        let engine = sql(["--log-format", "nginx"])
        #expect(engine.status == .usage)
        #expect(engine.err.contains("athena|trino|spark|bigquery|clickhouse|duckdb"))
    }

    /// A host or prefix with a quote stays inside its literal, each engine's way.
    @Test func literalsAreQuotedPerDialect() {
        #expect(sql(["--engine", "duckdb", "--log-format", "nginx", "--path-prefix", "/it's"]).out.contains("= '/it''s'"))
        #expect(sql(["--engine", "spark", "--log-format", "nginx", "--path-prefix", "/it's\\"]).out.contains("= '/it\\'s\\\\'"))
    }
}

private extension String {
    func components(_ separator: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: separator) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}

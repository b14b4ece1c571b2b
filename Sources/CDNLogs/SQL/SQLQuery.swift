/// The SQL `cdn sql` prints: a query returning the rows and summary of `cdn hits` (same field
/// names) over a table of logs, and the CREATE TABLE it expects. The cache classes come from
/// the format's `CacheVocabulary` and the ratios from `RatioDefinition`'s class lists, the
/// same values the Swift counting uses, so a vendor value is changed in one place.
public struct SQLQuery: Sendable {
    public var engine: SQLEngine
    public var format: LogFormat
    /// A layout given as a log format string; nil reads the format's own layout.
    public var template: LineTemplate?
    public var table = "logs"
    public var breakdowns: [Breakdown] = [.class]
    public var ratio = RatioDefinition.cache
    public var top = 10
    public var since: Int64?
    public var until: Int64?
    public var hosts: [String] = []
    public var pathPrefixes: [String] = []
    /// Path segments in a `--by prefix` key, as `cdn hits --depth`.
    public var depth = 1
    /// `--by time`'s bucket in seconds; nil chooses it from the span, as `cdn hits` does.
    public var bucket: Int64?

    /// The breakdowns written in SQL exactly as `cdn hits` counts them.
    public static let supportedBreakdowns: [Breakdown] = [.class, .status, .ext, .prefix, .host, .pop, .time, .url, .uncacheable, .value]
    public static var supportedFormats: [LogFormat] { SQLTableLayout.supported }

    public init(engine: SQLEngine, format: LogFormat) {
        self.engine = engine
        self.format = format
    }

    private var dialect: SQLDialect { engine.dialect }

    private func layout() throws(SQLError) -> SQLTableLayout {
        if let template { return try SQLTableLayout.template(template) }
        guard let layout = SQLTableLayout.layout(format) else { throw .unsupportedFormat(format) }
        return layout
    }

    // MARK: - The query

    public func query() throws(SQLError) -> String {
        let d = dialect
        let layout = try layout()
        let f = try layout.fields(d)
        for b in breakdowns where !Self.supportedBreakdowns.contains(b) { throw .unsupportedBreakdown(b) }
        let vocabulary = template?.cacheVocabulary ?? format.vocabulary

        let host = "host"
        let noPort = "(CASE WHEN substr(\(host), 1, 1) <> '[' AND \(d.matches(host, "^.+:[^:]*$")) THEN \(d.extract(host, "^(.+):[^:]*$")) ELSE \(host) END)"
        var filters: [String] = []
        if let since { filters.append("t >= " + d.literal(Timestamps.iso(since))) }
        if let until { filters.append("t < " + d.literal(Timestamps.iso(until))) }
        if since != nil || until != nil { filters.insert("t IS NOT NULL", at: 0) }
        if !hosts.isEmpty { filters.append("host <> '' AND host_key IN (" + hosts.map { d.literal($0.lowercased()) }.joined(separator: ", ") + ")") }
        if !pathPrefixes.isEmpty {
            filters.append("(" + pathPrefixes.map { p in
                p.isEmpty ? "1 = 1" : "substr(target, 1, \(p.utf8.count)) = \(d.literal(p))"
            }.joined(separator: " OR ") + ")")
        }
        let cacheable = ["GET", "HEAD", ""].map(d.literal).joined(separator: ", ")
        let unclassified = [CacheClass.none, .unknown].map { d.literal($0.name) }.joined(separator: ", ")

        var sql = """
        -- scalectl cdn sql --engine \(engine.rawValue) --log-format \(format.rawValue): the rows and summary of cdn hits
        WITH lines AS (
          SELECT \(f.raw.isEmpty ? "*" : f.raw.map { "\($0.sql) AS \($0.name)" }.joined(separator: ",\n         "))
          FROM \(table)
          WHERE \(f.valid)
        ),
        parsed AS (
          SELECT \(f.time) AS t,
                 \(f.epoch) AS e,
                 \(f.host) AS host,
                 \(f.target) AS target,
                 \(f.method) AS method,
                 \(f.status) AS status,
                 \(f.bytes) AS bytes,
                 \(f.pop) AS pop,
                 \(f.cacheValue) AS cache_value
          FROM lines
        ),
        folded AS (
          SELECT t, e, host, target, method, status, bytes, pop, cache_value,
                 lower(\(noPort)) AS host_key,
                 \(Self.matchable("cache_value", vocabulary, d)) AS v
          FROM parsed
        ),
        classified AS (
          SELECT t, e, host, host_key, target, method, status, bytes, pop, cache_value,
                 \(Self.classify("cache_value", "v", vocabulary, d)) AS cls
          FROM folded
          WHERE \(filters.isEmpty ? "1 = 1" : filters.joined(separator: "\n            AND "))
        ),
        requests AS (
          SELECT t, e, host, host_key, target, status, bytes, pop, cache_value, cls,
                 CASE WHEN cls IN (\(d.literal(CacheClass.miss.name)), \(d.literal(CacheClass.pass.name))) THEN bytes ELSE 0 END AS origin,
                 CASE WHEN cls = \(d.literal(CacheClass.miss.name)) AND method NOT IN (\(cacheable)) THEN 1 ELSE 0 END AS unsafe_miss,
                 CASE WHEN cls IN (\(unclassified)) THEN bytes ELSE 0 END AS unclassified
          FROM classified
        ),
        totals AS (
          SELECT \(aggregates()),
                 SUM(unclassified) AS n_unclassified_bytes, MIN(t) AS first_t, MAX(t) AS last_t, MIN(e) AS first_e, MAX(e) AS last_e
          FROM requests
        ),
        bucket AS (
          SELECT \(bucketSize) AS size FROM totals
        ),
        """
        var parts: [String] = []
        for (rank, b) in breakdowns.enumerated() {
            parts.append(rows(b, rank: rank))
        }
        sql += """

        by_key AS (
        \(parts.joined(separator: "\nUNION ALL\n"))
        ),
        report AS (
          SELECT dimension, \(d.identifier("key")), d_rank, k_rank, m1, m2,
                 \(d.castInteger("b.n_requests")) AS requests,
                 \(ratio("b.n_requests", "totals.n_requests")) AS share_ratio,
                 \(ratio("b.n_served_requests", "b.n_base_requests")) AS hit_ratio,
                 \(ratio("b.n_served_bytes", "b.n_base_bytes")) AS byte_hit_ratio,
                 \(d.castInteger("b.n_misses")) AS misses, \(d.castInteger("b.n_passes")) AS passes,
                 \(d.castInteger("b.n_bytes")) AS bytes, \(d.castInteger("b.n_origin_bytes")) AS origin_bytes,
                 \(nullSummary)
          FROM by_key b CROSS JOIN totals
          UNION ALL
          SELECT 'summary', CAST(NULL AS \(d.textType)), 1000, 0, 0, 0,
                 \(nullRow),
                 \(d.literal(format.rawValue)),
                 \(d.castInteger("n_requests")),
                 \(ratio("n_served_requests", "n_base_requests")),
                 \(d.literal(ratio.text)),
                 \(ratio("n_served_bytes", "n_base_bytes")),
                 CASE WHEN COALESCE(n_bytes, 0) - COALESCE(n_unclassified_bytes, 0) = 0 THEN NULL
                      ELSE 1 - \(d.toDouble("n_origin_bytes")) / \(d.toDouble("n_bytes - n_unclassified_bytes")) END,
                 \(d.castInteger("COALESCE(n_unclassified_bytes, 0)")),
                 \(d.castInteger("COALESCE(n_bytes, 0)")),
                 \(d.castInteger("COALESCE(n_origin_bytes, 0)")),
                 CASE WHEN n_requests = 0 THEN '-' ELSE 'estimated from MISS and PASS responses' END,
                 first_t, last_t
          FROM totals
        )
        SELECT dimension, \(d.identifier("key")), \(Self.rowColumns.dropFirst(2).joined(separator: ", ")),
               \(Self.summaryColumns.joined(separator: ", "))
        FROM report
        ORDER BY d_rank, k_rank, m1 DESC, m2 DESC, \(d.identifier("key"))
        """
        return sql + "\n"
    }

    /// The row and summary fields of `cdn hits`' JSON (minus latency percentiles, line counts and
    /// the threshold status, which need what SQL does not see).
    public static let rowColumns = ["dimension", "key", "requests", "share_ratio", "hit_ratio", "byte_hit_ratio", "misses", "passes", "bytes", "origin_bytes"]
    public static let summaryColumns = [
        "format", "total_requests", "overall_hit_ratio", "ratio_definition", "overall_byte_hit_ratio", "origin_offload_ratio",
        "unclassified_bytes", "total_bytes", "total_origin_bytes", "origin_bytes_source", "first_request", "last_request",
    ]

    private var nullSummary: String {
        let d = dialect
        let types = [d.textType, d.integerType, d.doubleType, d.textType, d.doubleType, d.doubleType,
                     d.integerType, d.integerType, d.integerType, d.textType, d.textType, d.textType]
        return zip(Self.summaryColumns, types).map { "CAST(NULL AS \($1)) AS \($0)" }.joined(separator: ", ")
    }

    private var nullRow: String {
        let d = dialect
        let types = [d.integerType, d.doubleType, d.doubleType, d.doubleType, d.integerType, d.integerType, d.integerType, d.integerType]
        return types.map { "CAST(NULL AS \($0))" }.joined(separator: ", ")
    }

    /// `--bucket`, or as `cdn hits` chooses it (`LogStatistics.autoBucketSeconds`, counting in
    /// minutes): the first size giving fewer than its limit of buckets over the span from the
    /// first request to the last, else the largest.
    private var bucketSize: String {
        if let bucket { return "\(bucket)" }
        let span = "(last_e - first_e + 1)"
        let sizes = LogStatistics.autoBucketSizes
        return "CASE " + sizes.dropLast().map { "WHEN \(span) < \(LogStatistics.autoBucketsBelow * $0) THEN \($0)" }.joined(separator: " ")
            + " ELSE \(sizes.last!) END"
    }

    /// served / base as a double, NULL when nothing is in the denominator (as `cdn hits`).
    private func ratio(_ served: String, _ base: String) -> String {
        let d = dialect
        return "CASE WHEN COALESCE(\(base), 0) = 0 THEN NULL ELSE \(d.toDouble(served)) / \(d.toDouble(base)) END"
    }

    /// The counts one key needs: requests, bytes, and the ratio definition's numerator and
    /// denominator, from its class lists.
    private func aggregates() -> String {
        let d = dialect
        func list(_ classes: [CacheClass]) -> String { classes.map { d.literal($0.name) }.joined(separator: ", ") }
        let served = list(ratio.servedClasses), base = list(ratio.baseClasses)
        let unsafeRequests = ratio.excludesUnsafeMisses ? " - SUM(unsafe_miss)" : ""
        let unsafeBytes = ratio.excludesUnsafeMisses ? " - SUM(unsafe_miss * bytes)" : ""
        return """
        COUNT(*) AS n_requests, SUM(bytes) AS n_bytes, SUM(origin) AS n_origin_bytes,
                 SUM(CASE WHEN cls = \(d.literal(CacheClass.miss.name)) THEN 1 ELSE 0 END) AS n_misses,
                 SUM(CASE WHEN cls = \(d.literal(CacheClass.pass.name)) THEN 1 ELSE 0 END) AS n_passes,
                 SUM(CASE WHEN cls = \(d.literal(CacheClass.pass.name)) THEN bytes ELSE 0 END) AS n_pass_bytes,
                 SUM(CASE WHEN cls IN (\(served)) THEN 1 ELSE 0 END) AS n_served_requests,
                 SUM(CASE WHEN cls IN (\(served)) THEN bytes ELSE 0 END) AS n_served_bytes,
                 SUM(CASE WHEN cls IN (\(base)) THEN 1 ELSE 0 END)\(unsafeRequests) AS n_base_requests,
                 SUM(CASE WHEN cls IN (\(base)) THEN bytes ELSE 0 END)\(unsafeBytes) AS n_base_bytes
        """
    }

    /// What `aggregates()` names its counts (not the names of any column read: ClickHouse lets an
    /// alias shadow a column within its SELECT).
    private static let countColumns = ["n_requests", "n_bytes", "n_origin_bytes", "n_misses", "n_passes", "n_pass_bytes", "n_served_requests",
                                       "n_served_bytes", "n_base_requests", "n_base_bytes"]

    /// One breakdown's keys, with d_rank (the breakdown's place), k_rank (a fixed order of keys)
    /// and m1, m2 (larger first), then the key: the order `cdn hits` prints.
    private func rows(_ b: Breakdown, rank: Int) -> String {
        let d = dialect
        let counts = Self.countColumns.joined(separator: ", ")
        switch b {
        case .class:
            // Every class but UNKNOWN, counted or not; then unknown values by name, most first.
            let names = CacheClass.allCases.filter { $0 != .unknown }.enumerated()
                .map { "SELECT \(d.literal($1.name)) AS k, \($0) AS k_rank" }.joined(separator: " UNION ALL ")
            let zeroed = Self.countColumns.map { "COALESCE(c.\($0), 0) AS \($0)" }.joined(separator: ", ")
            return """
              SELECT 'class' AS dimension, n.k AS \(d.identifier("key")), \(rank) AS d_rank, n.k_rank, 0 AS m1, 0 AS m2, \(zeroed)
              FROM (\(names)) n
              LEFT JOIN (SELECT cls, \(aggregates()) FROM requests GROUP BY cls) c ON c.cls = n.k
              UNION ALL
              SELECT 'class' AS dimension, concat('unknown: ', cache_value) AS \(d.identifier("key")), \(rank) AS d_rank, 100 AS k_rank,
                     n_requests AS m1, 0 AS m2, \(counts)
              FROM (SELECT cache_value, \(aggregates()) FROM requests WHERE cls = \(d.literal(CacheClass.unknown.name)) GROUP BY cache_value) u
            """
        case .time:
            // Buckets in time order; a bucket starts at a whole multiple of its size since the epoch.
            let start = "x.e - \(d.mod("x.e", "x.size")) - CASE WHEN \(d.mod("x.e", "x.size")) < 0 THEN x.size ELSE 0 END"
            return """
              SELECT 'time' AS dimension, \(d.isoFromEpoch("k")) AS \(d.identifier("key")), \(rank) AS d_rank, \(d.castInteger("k")) AS k_rank,
                     0 AS m1, 0 AS m2, \(counts)
              FROM (SELECT k, \(aggregates())
                    FROM (SELECT x.*, \(start) AS k FROM (SELECT r.*, b.size FROM requests r CROSS JOIN bucket b) x WHERE x.e IS NOT NULL) y
                    GROUP BY k) g
            """
        case .status:
            let key = "CASE WHEN status >= 100 AND status < 200 THEN '1xx' WHEN status >= 200 AND status < 300 THEN '2xx' "
                + "WHEN status >= 300 AND status < 400 THEN '3xx' WHEN status >= 400 AND status < 500 THEN '4xx' "
                + "WHEN status >= 500 AND status < 600 THEN '5xx' ELSE 'other' END"
            return """
              SELECT 'status' AS dimension, k AS \(d.identifier("key")), \(rank) AS d_rank,
                     CASE WHEN k = 'other' THEN 6 ELSE \(d.toBigint("substr(k, 1, 1)")) END AS k_rank, 0 AS m1, 0 AS m2, \(counts)
              FROM (SELECT \(key) AS k, \(aggregates()) FROM requests GROUP BY \(key)) s
            """
        default:
            // The top N keys in cdn hits' order (its measure, larger first, then the key's
            // bytes), numbered: k_rank keeps that order whatever name an empty key is shown by.
            let (key, measure, only) = ranked(b)
            let empty = d.literal(b == .ext ? "(none)" : "(empty)")
            return """
              SELECT \(d.literal(b.rawValue)) AS dimension, CASE WHEN k = '' THEN \(empty) ELSE k END AS \(d.identifier("key")), \(rank) AS d_rank,
                     \(d.castInteger("rn")) AS k_rank, 0 AS m1, 0 AS m2, \(counts)
              FROM (SELECT k, \(counts), ROW_NUMBER() OVER (ORDER BY \(measure.0) DESC, \(measure.1) DESC, k) AS rn
                    FROM (SELECT \(key) AS k, \(aggregates()) FROM requests WHERE \(only.requests) GROUP BY \(key)) g
                    WHERE \(only.keys)) r
              WHERE rn <= \(top)
            """
        }
    }

    /// A ranked breakdown's key, its measure (as `cdn hits` ranks it) and which requests and
    /// keys it counts.
    private func ranked(_ b: Breakdown) -> (key: String, measure: (String, String), only: (requests: String, keys: String)) {
        let d = dialect
        let all = (requests: "1 = 1", keys: "1 = 1")
        switch b {
        case .ext:
            // After the last dot of the path's last segment, before any '?': 1-10 letters or
            // digits, lower-cased; else none.
            let path = d.extract("target", "^([^?]*)")
            let ext = "COALESCE(" + d.extract(path, "[.]([A-Za-z0-9]{1,10})$") + ", '')"
            return ("lower(\(ext))", ("n_requests", "n_bytes"), all)
        case .prefix:
            // Up to and with the (depth + 1)-th '/', or the whole path when it has fewer; a
            // '?' or '#' ends it first.
            let slashes = "(?:[^/?#]*/){\(depth + 1)}"
            let key = "(CASE WHEN \(d.matches("target", "^" + slashes)) THEN \(d.extract("target", "^(" + slashes + ")")) "
                + "ELSE COALESCE(\(d.extract("target", "^([^?#]*)")), '') END)"
            return (key, ("n_requests", "n_bytes"), all)
        case .url:
            return ("target", ("n_origin_bytes", "n_misses"), all)
        case .uncacheable:
            return ("target", ("n_passes", "n_pass_bytes"), (requests: "1 = 1", keys: "n_passes > 0"))
        case .value:
            // Each cache-status value as logged (its first 200 characters, as cdn hits keeps
            // it) with its class, `MISS: EXPIRED`, by requests; a value classifies one way in one
            // format, so each is one row with all its counts.
            return ("concat(cls, ': ', substr(cache_value, 1, 200))", ("n_requests", "0"),
                    (requests: "cache_value IS NOT NULL AND cache_value <> ''", keys: "1 = 1"))
        default:
            // host and pop, where the log names one.
            return b == .host ? ("host_key", ("n_requests", "n_bytes"), (requests: "host <> ''", keys: "1 = 1"))
                              : ("pop", ("n_requests", "n_bytes"), (requests: "pop <> ''", keys: "1 = 1"))
        }
    }

    // MARK: - Classification, from the vocabulary

    /// The value as the vocabulary compares it: folded to lower case where it ignores case,
    /// with the first of its stripped suffixes removed.
    static func matchable(_ value: String, _ v: CacheVocabulary, _ d: SQLDialect) -> String {
        let folded = v.caseInsensitive ? "lower(\(value))" : value
        guard !v.strippedSuffixes.isEmpty else { return folded }
        let cases = v.strippedSuffixes.map { suffix in
            let s = v.caseInsensitive ? suffix.lowercased() : suffix
            let n = s.utf8.count
            return "WHEN length(\(folded)) > \(n) AND substr(\(folded), length(\(folded)) - \(n - 1)) = \(d.literal(s)) "
                + "THEN substr(\(folded), 1, length(\(folded)) - \(n))"
        }
        return "(CASE " + cases.joined(separator: " ") + " ELSE \(folded) END)"
    }

    /// The class name of each value: '' is NONE, exact values first, then prefixes and suffixes
    /// in table order (as `CacheVocabulary.lookup`), anything else UNKNOWN.
    static func classify(_ raw: String, _ value: String, _ v: CacheVocabulary, _ d: SQLDialect) -> String {
        func text(_ s: String) -> String { d.literal(v.caseInsensitive ? s.lowercased() : s) }
        var whens = ["WHEN \(raw) IS NULL OR \(raw) = '' THEN \(d.literal(CacheClass.none.name))"]
        for entry in v.entries {
            if case .exact(let s) = entry.rule { whens.append("WHEN \(value) = \(text(s)) THEN \(d.literal(entry.cacheClass.name))") }
        }
        for entry in v.entries {
            switch entry.rule {
            case .exact: continue
            case .prefix(let s):
                whens.append("WHEN substr(\(value), 1, \(s.utf8.count)) = \(text(s)) THEN \(d.literal(entry.cacheClass.name))")
            case .suffix(let s):
                let n = s.utf8.count
                whens.append("WHEN length(\(value)) >= \(n) AND substr(\(value), length(\(value)) - \(n - 1)) = \(text(s)) THEN \(d.literal(entry.cacheClass.name))")
            }
        }
        return "CASE " + whens.joined(separator: "\n                      ") + "\n                      ELSE \(d.literal(CacheClass.unknown.name)) END"
    }

    // MARK: - The table

    /// The CREATE TABLE (or view) the query reads, over files at `location` (a path, a glob,
    /// or an object-store prefix such as s3://bucket/prefix/).
    public func ddl(location: String) throws(SQLError) -> String {
        let d = dialect
        let layout = try layout()
        let columns = layout.columns.map { "  \(d.identifier($0.name)) \(d.type($0.type))" }.joined(separator: ",\n")
        let loc = d.literal(location)
        let isLine = layout.headerLines == 0
        let comment = "-- scalectl cdn sql --ddl --engine \(engine.rawValue) --log-format \(format.rawValue)\n"
        switch engine {
        case .athena:
            // The table AWS documents for the format (ROW FORMAT DELIMITED, LazySimpleSerDe).
            let rowFormat = isLine ? "" : "ROW FORMAT DELIMITED\nFIELDS TERMINATED BY '\\t'\n"
            let properties = isLine ? "" : "\nTBLPROPERTIES ( 'skip.header.line.count'='\(layout.headerLines)' )"
            // Hive DDL: Athena's type names, and backticks around the reserved `date`.
            let hiveColumns = layout.columns.map { "  \($0.name == "date" ? "`date`" : $0.name) \($0.type)" }.joined(separator: ",\n")
            return comment + "CREATE EXTERNAL TABLE IF NOT EXISTS \(table) (\n\(hiveColumns)\n)\n\(rowFormat)LOCATION \(loc)\(properties);\n"
        case .trino:
            var with = ["format = 'TEXTFILE'", "external_location = \(loc)"]
            if !isLine { with += ["textfile_field_separator = U&'\\0009'", "skip_header_line_count = \(layout.headerLines)"] }
            return comment + "CREATE TABLE IF NOT EXISTS \(table) (\n\(columns)\n)\nWITH (\(with.joined(separator: ", ")));\n"
        case .bigquery:
            let options = isLine
                ? "format = 'CSV', field_delimiter = '\\x01', quote = '', uris = [\(loc)]"
                : "format = 'CSV', field_delimiter = '\\t', quote = '', null_marker = '-', skip_leading_rows = \(layout.headerLines), uris = [\(loc)]"
            return comment + "CREATE EXTERNAL TABLE IF NOT EXISTS \(table) (\n\(columns)\n)\nOPTIONS (\(options));\n"
        case .spark:
            if isLine {
                return comment + "CREATE TABLE IF NOT EXISTS \(table) (line STRING) USING text OPTIONS (path \(loc));\n"
            }
            return comment + "CREATE TABLE IF NOT EXISTS \(table) (\n\(columns)\n)\nUSING csv OPTIONS (path \(loc), sep '\\t', comment '#', nullValue '-', quote '', mode 'PERMISSIVE');\n"
        case .duckdb:
            let types = layout.columns.map { "\(d.literal($0.name)): \(d.literal(d.type($0.type)))" }.joined(separator: ", ")
            if isLine {
                return comment + "CREATE OR REPLACE VIEW \(table) AS SELECT line FROM read_csv(\(loc), columns = {\(types)}, header = false, "
                    + "delim = '\\x01', quote = '', escape = '', auto_detect = false);\n"
            }
            return comment + "CREATE OR REPLACE VIEW \(table) AS SELECT * FROM read_csv(\(loc), columns = {\(types)}, header = false, "
                + "delim = '\\t', quote = '', escape = '', comment = '#', nullstr = '-', auto_detect = false);\n"
        case .clickhouse:
            let source = location.hasPrefix("s3://") || location.hasPrefix("https://")
                ? "s3(\(loc), 'LineAsString', 'line String')" : "file(\(loc), 'LineAsString', 'line String')"
            if isLine { return comment + "CREATE OR REPLACE VIEW \(table) AS SELECT line FROM \(source);\n" }
            let split = layout.columns.enumerated().map { "fields[\($0.offset + 1)] AS \(d.identifier($0.element.name))" }.joined(separator: ", ")
            return comment + "CREATE OR REPLACE VIEW \(table) AS SELECT \(split)\nFROM (SELECT splitByChar('\\t', line) AS fields FROM \(source) "
                + "WHERE NOT startsWith(line, '#') AND length(splitByChar('\\t', line)) >= \(layout.columns.count));\n"
        }
    }
}

extension SQLDialect {
    func castInteger(_ e: String) -> String { "CAST(\(e) AS \(integerType))" }
}

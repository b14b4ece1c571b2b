/// The SQL engines `cdn sql` writes for.
public enum SQLEngine: String, CaseIterable, Sendable {
    case athena, trino, spark, bigquery, clickhouse, duckdb

    var dialect: SQLDialect {
        switch self {
        case .athena: return .athena
        case .trino: return .trino
        case .spark: return .spark
        case .bigquery: return .bigquery
        case .clickhouse: return .clickhouse
        case .duckdb: return .duckdb
        }
    }
}

/// What differs between engines, in one table: every other part of the query is written in
/// the SQL they share (CASE, SUM, COUNT, substr, length, lower, concat, ROW_NUMBER, UNION ALL).
/// Regular expressions are kept free of backslashes, since Spark, ClickHouse and BigQuery read
/// backslashes in string literals and the others do not.
struct SQLDialect: Sendable {
    /// Quotes a string literal.
    var literal: @Sendable (String) -> String
    /// Quotes an identifier (`date` is reserved everywhere).
    var identifier: @Sendable (String) -> String
    /// The first capture group of a pattern (patterns have exactly one, as BigQuery requires).
    var extract: @Sendable (_ text: String, _ pattern: String) -> String
    var matches: @Sendable (_ text: String, _ pattern: String) -> String
    /// A number, or NULL when the text is not one.
    var toBigint: @Sendable (String) -> String
    var toDouble: @Sendable (String) -> String
    var toText: @Sendable (String) -> String
    /// Seconds since the epoch of a common-log time, `23/Nov/2026:08:00:25 +0000`; NULL for
    /// anything else (engines may evaluate it before the WHERE drops a malformed line).
    var commonLogEpoch: @Sendable (String) -> String
    /// `2026-11-23T08:00:25Z` (UTC) of seconds since the epoch.
    var isoFromEpoch: @Sendable (String) -> String
    /// Days from 1970-01-01 to a `2026-11-23` text, as dates count them (no time zone).
    var daysSinceEpoch: @Sendable (String) -> String
    /// The remainder of an integer division, with the sign of the dividend.
    var mod: @Sendable (String, String) -> String
    /// Column types, from Athena's names (STRING, DATE, BIGINT, INT, FLOAT).
    var type: @Sendable (String) -> String
    /// The types of the result's columns, for typed NULLs and casts.
    var integerType: String
    var doubleType: String
    var textType: String

    /// `'it''s'`: the SQL standard (DuckDB, Trino, Athena), where a backslash is just a byte.
    private static func standardLiteral(_ s: String) -> String {
        "'" + String(s.flatMap { $0 == "'" ? ["'", "'"] as [Character] : [$0] }) + "'"
    }

    /// `'it\'s'`: Spark, ClickHouse and BigQuery read backslash escapes in literals.
    private static func backslashLiteral(_ s: String) -> String {
        "'" + String(s.flatMap { $0 == "'" || $0 == "\\" ? ["\\", $0] as [Character] : [$0] }) + "'"
    }

    static let duckdb = SQLDialect(
        literal: standardLiteral, identifier: { "\"\($0)\"" },
        extract: { "regexp_extract(\($0), \(standardLiteral($1)), 1)" },
        matches: { "regexp_matches(\($0), \(standardLiteral($1)))" },
        toBigint: { "TRY_CAST(\($0) AS BIGINT)" }, toDouble: { "CAST(\($0) AS DOUBLE)" }, toText: { "CAST(\($0) AS VARCHAR)" },
        commonLogEpoch: { "CAST(epoch(try_strptime(\($0), '%d/%b/%Y:%H:%M:%S %z')) AS BIGINT)" },
        isoFromEpoch: { "strftime(make_timestamp(\($0) * 1000000), '%Y-%m-%dT%H:%M:%SZ')" },
        daysSinceEpoch: { "date_diff('day', DATE '1970-01-01', TRY_CAST(\($0) AS DATE))" }, mod: { "(\($0) % \($1))" },
        type: { ["STRING": "VARCHAR", "INT": "INTEGER"][$0] ?? $0 }, integerType: "BIGINT", doubleType: "DOUBLE", textType: "VARCHAR")

    static let spark = SQLDialect(
        literal: backslashLiteral, identifier: { "`\($0)`" },
        extract: { "regexp_extract(\($0), \(backslashLiteral($1)), 1)" },
        matches: { "(\($0) RLIKE \(backslashLiteral($1)))" },
        toBigint: { "TRY_CAST(\($0) AS BIGINT)" }, toDouble: { "CAST(\($0) AS DOUBLE)" }, toText: { "CAST(\($0) AS STRING)" },
        commonLogEpoch: { "unix_timestamp(try_to_timestamp(\($0), 'dd/MMM/yyyy:HH:mm:ss Z'))" },
        // Spark formats in the session time zone; shifting by it prints UTC whatever it is.
        isoFromEpoch: { "date_format(to_utc_timestamp(timestamp_seconds(\($0)), current_timezone()), \"yyyy-MM-dd'T'HH:mm:ss'Z'\")" },
        daysSinceEpoch: { "datediff(to_date(\($0)), DATE'1970-01-01')" }, mod: { "(\($0) % \($1))" },
        type: { $0 }, integerType: "BIGINT", doubleType: "DOUBLE", textType: "STRING")

    static let clickhouse = SQLDialect(
        literal: backslashLiteral, identifier: { "`\($0)`" },
        extract: { "regexpExtract(\($0), \(backslashLiteral($1)), 1)" },
        matches: { "match(\($0), \(backslashLiteral($1)))" },
        toBigint: { "toInt64OrNull(toString(\($0)))" }, toDouble: { "toFloat64(\($0))" }, toText: { "toString(\($0))" },
        commonLogEpoch: { "toInt64(toUnixTimestamp(parseDateTimeBestEffortOrNull(replaceOne(\($0), ':', ' '))))" },
        isoFromEpoch: { "formatDateTime(toDateTime(\($0), 'UTC'), '%Y-%m-%dT%H:%i:%SZ')" },
        daysSinceEpoch: { "dateDiff('day', toDate32('1970-01-01'), toDate32OrNull(\($0)))" }, mod: { "(\($0) % \($1))" },
        // Every column is text: ClickHouse reads `-` into no number type, so the query converts.
        type: { _ in "Nullable(String)" }, integerType: "Nullable(Int64)", doubleType: "Nullable(Float64)", textType: "Nullable(String)")

    static let trino = SQLDialect(
        literal: standardLiteral, identifier: { "\"\($0)\"" },
        extract: { "regexp_extract(\($0), \(standardLiteral($1)), 1)" },
        matches: { "regexp_like(\($0), \(standardLiteral($1)))" },
        toBigint: { "TRY_CAST(\($0) AS BIGINT)" }, toDouble: { "CAST(\($0) AS DOUBLE)" }, toText: { "CAST(\($0) AS VARCHAR)" },
        commonLogEpoch: { "CAST(to_unixtime(TRY(parse_datetime(\($0), 'dd/MMM/yyyy:HH:mm:ss Z'))) AS BIGINT)" },
        isoFromEpoch: { "date_format(from_unixtime(\($0), 'UTC'), '%Y-%m-%dT%H:%i:%sZ')" },
        daysSinceEpoch: { "date_diff('day', DATE '1970-01-01', TRY_CAST(\($0) AS DATE))" }, mod: { "mod(\($0), \($1))" },
        type: { ["STRING": "varchar", "DATE": "date", "BIGINT": "bigint", "INT": "integer", "FLOAT": "real"][$0] ?? $0 },
        integerType: "bigint", doubleType: "double", textType: "varchar")

    /// Athena's engine 3 is Trino; its tables are Hive DDL (what AWS documents).
    static let athena = trino

    static let bigquery = SQLDialect(
        literal: backslashLiteral, identifier: { "`\($0)`" },
        extract: { "REGEXP_EXTRACT(\($0), \(backslashLiteral($1)))" },
        matches: { "REGEXP_CONTAINS(\($0), \(backslashLiteral($1)))" },
        toBigint: { "SAFE_CAST(\($0) AS INT64)" }, toDouble: { "CAST(\($0) AS FLOAT64)" }, toText: { "CAST(\($0) AS STRING)" },
        commonLogEpoch: { "UNIX_SECONDS(SAFE.PARSE_TIMESTAMP('%d/%b/%Y:%H:%M:%S %z', \($0)))" },
        isoFromEpoch: { "FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%SZ', TIMESTAMP_SECONDS(\($0)), 'UTC')" },
        daysSinceEpoch: { "UNIX_DATE(SAFE_CAST(\($0) AS DATE))" }, mod: { "MOD(\($0), \($1))" },
        type: { ["BIGINT": "INT64", "INT": "INT64", "FLOAT": "FLOAT64"][$0] ?? $0 }, integerType: "INT64", doubleType: "FLOAT64", textType: "STRING")
}

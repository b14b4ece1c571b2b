/// How one format's logs sit in a table, and the SQL giving each field of a request from it:
/// CloudFront standard logs in the table AWS documents for Athena, line formats without a
/// documented table as one `line` column read with regular expressions.
struct SQLTableLayout: Sendable {
    /// The fields `cdn hits` reads from a request, as SQL over one row of the table.
    struct Fields {
        /// Rows that are requests (not headers, not malformed lines).
        var valid: String
        /// Values taken from each row once (name, SQL), which the fields below then use; none
        /// where the table's columns are the fields.
        var raw: [(name: String, sql: String)] = []
        /// `2026-11-23T08:00:25Z`.
        var time: String
        /// The same time in seconds since the epoch, for time buckets.
        var epoch: String
        var host: String
        var target: String
        var method: String
        var status: String
        var bytes: String
        /// The edge location, or '' where the format has none.
        var pop: String
        /// The cache-status value as the vocabulary reads it ('' for none), after the fallbacks.
        var cacheValue: String
    }

    var format: LogFormat
    /// Columns and their types as Athena names them.
    var columns: [(name: String, type: String)]
    /// Header lines the files start with (skipped by the table where the engine can).
    var headerLines: Int
    var fields: @Sendable (SQLDialect) throws(SQLError) -> Fields

    /// The formats `cdn sql` writes for.
    static func layout(_ format: LogFormat) -> SQLTableLayout? {
        switch format {
        case .cloudfront: return cloudfront
        case .nginx, .varnish: return combinedLine(format)
        default: return nil
        }
    }

    static var supported: [LogFormat] { LogFormat.allCases.filter { layout($0) != nil } }

    // MARK: - CloudFront standard logs

    /// The W3C field names of the standard log in order, with the column names and types of
    /// AWS's Athena table for it (`cs(Referer)` is `cs_referrer` there).
    static let cloudfrontColumns: [(field: String, column: String, type: String)] = [
        ("date", "date", "DATE"), ("time", "time", "STRING"), ("x-edge-location", "x_edge_location", "STRING"),
        ("sc-bytes", "sc_bytes", "BIGINT"), ("c-ip", "c_ip", "STRING"), ("cs-method", "cs_method", "STRING"),
        ("cs(Host)", "cs_host", "STRING"), ("cs-uri-stem", "cs_uri_stem", "STRING"), ("sc-status", "sc_status", "INT"),
        ("cs(Referer)", "cs_referrer", "STRING"), ("cs(User-Agent)", "cs_user_agent", "STRING"),
        ("cs-uri-query", "cs_uri_query", "STRING"), ("cs(Cookie)", "cs_cookie", "STRING"),
        ("x-edge-result-type", "x_edge_result_type", "STRING"), ("x-edge-request-id", "x_edge_request_id", "STRING"),
        ("x-host-header", "x_host_header", "STRING"), ("cs-protocol", "cs_protocol", "STRING"), ("cs-bytes", "cs_bytes", "BIGINT"),
        ("time-taken", "time_taken", "FLOAT"), ("x-forwarded-for", "x_forwarded_for", "STRING"),
        ("ssl-protocol", "ssl_protocol", "STRING"), ("ssl-cipher", "ssl_cipher", "STRING"),
        ("x-edge-response-result-type", "x_edge_response_result_type", "STRING"),
        ("cs-protocol-version", "cs_protocol_version", "STRING"), ("fle-status", "fle_status", "STRING"),
        ("fle-encrypted-fields", "fle_encrypted_fields", "INT"), ("c-port", "c_port", "INT"),
        ("time-to-first-byte", "time_to_first_byte", "FLOAT"), ("x-edge-detailed-result-type", "x_edge_detailed_result_type", "STRING"),
        ("sc-content-type", "sc_content_type", "STRING"), ("sc-content-len", "sc_content_len", "BIGINT"),
        ("sc-range-start", "sc_range_start", "BIGINT"), ("sc-range-end", "sc_range_end", "BIGINT"),
    ]

    static func cloudfrontColumn(_ field: String) -> String? {
        cloudfrontColumns.first { $0.field.lowercased() == field.lowercased() }?.column
    }

    static let cloudfront = SQLTableLayout(
        format: .cloudfront, columns: cloudfrontColumns.map { ($0.column, $0.type) }, headerLines: 2,
        fields: { (d: SQLDialect) throws(SQLError) -> Fields in
            func text(_ column: String) -> String { d.toText(d.identifier(column)) }
            /// '' for NULL and `-` (CloudFront's "none"); text otherwise.
            func value(_ column: String) -> String { "COALESCE(NULLIF(\(text(column)), '-'), '')" }
            // The value: x-edge-result-type, then each fallback field the vocabulary names.
            var cache = value("x_edge_result_type")
            for fallback in CacheVocabulary.cloudfront.fallbacks {
                guard let column = cloudfrontColumn(fallback.field) else { throw SQLError.noColumn(fallback.field, .cloudfront) }
                let replaced = ([""] + fallback.replaces).map(d.literal).joined(separator: ", ")
                let ignored = ([""] + fallback.ignores).map(d.literal).joined(separator: ", ")
                let second = value(column)
                cache = "CASE WHEN \(cache) IN (\(replaced)) AND \(second) NOT IN (\(ignored)) THEN \(second) ELSE \(cache) END"
            }
            // Then each refinement: a second field that overrides one first-field value
            // (OriginShieldHit in x-edge-detailed-result-type over Miss), as the parser does.
            for refinement in CacheVocabulary.cloudfront.refinements {
                guard let column = cloudfrontColumn(refinement.field) else { throw SQLError.noColumn(refinement.field, .cloudfront) }
                let detailed = value(column)
                cache = "CASE WHEN \(value("x_edge_result_type")) = \(d.literal(refinement.primary)) AND \(detailed) = \(d.literal(refinement.value)) "
                    + "THEN \(detailed) ELSE \(cache) END"
            }
            let query = "COALESCE(NULLIF(\(text("cs_uri_query")), '-'), '')"
            let bareQuery = "(CASE WHEN substr(\(query), 1, 1) = '?' THEN substr(\(query), 2) ELSE \(query) END)"
            let path = "COALESCE(\(text("cs_uri_stem")), '')"
            return Fields(
                // sc-bytes `-` (the table reads it as NULL) is 0 bytes, as cdn hits counts it; any
                // other non-number makes the line malformed there and here.
                valid: "\(d.identifier("date")) IS NOT NULL AND (\(d.identifier("sc_bytes")) IS NULL OR \(text("sc_bytes")) = '-' "
                    + "OR \(d.toBigint(d.identifier("sc_bytes"))) IS NOT NULL)",
                time: "concat(\(text("date")), 'T', substr(\(text("time")), 1, 8), 'Z')",
                epoch: "(\(d.daysSinceEpoch(text("date"))) * 86400 + \(d.toBigint("substr(\(text("time")), 1, 2)")) * 3600 + "
                    + "\(d.toBigint("substr(\(text("time")), 4, 2)")) * 60 + \(d.toBigint("substr(\(text("time")), 7, 2)")))",
                host: "COALESCE(NULLIF(\(value("x_host_header")), ''), \(value("cs_host")))",
                target: "(CASE WHEN \(bareQuery) = '' THEN \(path) ELSE concat(\(path), '?', \(bareQuery)) END)",
                method: value("cs_method"),
                status: "COALESCE(\(d.toBigint(d.identifier("sc_status"))), 0)",
                bytes: "COALESCE(\(d.toBigint(d.identifier("sc_bytes"))), 0)",
                pop: value("x_edge_location"),
                cacheValue: cache)
        })

    // MARK: - Lines in the combined format plus extra fields

    /// `host ident user [time] "request" status bytes "referer" "agent" … cache-status`: nginx's
    /// combined with `$upstream_cache_status` last, and varnishncsa's default with
    /// `%{Varnish:handling}x` last. One pattern per field, each with one group.
    static func combinedLine(_ format: LogFormat) -> SQLTableLayout {
        let parts: [(field: String?, pattern: String)] = [
            (nil, "^[^ ]+ [^ ]+ [^ ]+ ."),
            ("time", "[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{4}"),
            (nil, ". \""), ("method", "[^ \"]+"), (nil, " "), ("target", "[^\"]*?"), (nil, "(?: HTTP/[^ \"]*)?\" "),
            ("status", "[0-9]{3}"), (nil, " "), ("bytes", "[0-9]+|-"), (nil, " \"[^\"]*\" \"[^\"]*\"(?: .*)? "),
            ("cache", "[^ ]+"), (nil, "$"),
        ]
        @Sendable func pattern(_ wanted: String?) -> String {
            parts.map { part in part.field == wanted && wanted != nil ? "(" + part.pattern + ")" : "(?:" + part.pattern + ")" }.joined()
        }
        return SQLTableLayout(
            format: format, columns: [("line", "STRING")], headerLines: 0,
            fields: { (d: SQLDialect) throws(SQLError) -> Fields in
                let line = d.identifier("line")
                func field(_ name: String) -> String { d.extract(line, pattern(name)) }
                // varnishncsa logs absolute URLs: the host comes from them, the path stays.
                let absolute = "(substr(r_target, 1, 7) = 'http://' OR substr(r_target, 1, 8) = 'https://')"
                return Fields(
                    valid: d.matches(line, pattern(nil)),
                    raw: ["time", "method", "target", "status", "bytes", "cache"].map { ("r_" + $0, field($0)) },
                    time: d.isoFromEpoch(d.commonLogEpoch("r_time")),
                    epoch: d.commonLogEpoch("r_time"),
                    host: "(CASE WHEN \(absolute) THEN \(d.extract("r_target", "^https?://([^/]*)")) ELSE '' END)",
                    target: "(CASE WHEN \(absolute) THEN COALESCE(NULLIF(\(d.extract("r_target", "^https?://[^/]*(/.*)$")), ''), '/') ELSE r_target END)",
                    method: "r_method",
                    status: d.toBigint("r_status"),
                    bytes: "(CASE WHEN r_bytes = '-' THEN 0 ELSE \(d.toBigint("r_bytes")) END)",
                    pop: "''",
                    cacheValue: "r_cache")
            })
    }
}

/// Why no SQL could be written.
public enum SQLError: Error, Sendable {
    case unsupportedFormat(LogFormat)
    case unsupportedBreakdown(Breakdown)
    case noColumn(String, LogFormat)
    /// A given layout without a field the report needs (what it lacks, as a user would name it).
    case templateLacks(String)
    /// A given layout with a field SQL does not read the way cdn hits does, and why.
    case templateHas(String, String)
}

/// A line layout given as an nginx `log_format` or an Apache/varnishncsa format string
/// (`--nginx-log-format`, `--apache-log-format`), as one `line` column read with regular
/// expressions built from the template: the cache status may sit anywhere in the line.
extension SQLTableLayout {
    static func template(_ template: LineTemplate) throws(SQLError) -> SQLTableLayout {
        let items = template.items
        func index(_ fields: LineTemplate.Field...) -> Int? { items.firstIndex { fields.contains($0.field) } }
        guard let cache = index(.cacheStatus) else { throw .templateLacks("cache-status field ($upstream_cache_status, %{Varnish:handling}x …)") }
        guard let time = index(.timeCommon, .timeEpoch) else {
            throw .templateLacks("time field in the common log format or in seconds since the epoch ($time_local, $msec, %t)")
        }
        guard let status = index(.status) else { throw .templateLacks("status field ($status, %>s)") }
        guard let bytes = index(.bodyBytes) ?? index(.bytesSent) else { throw .templateLacks("byte count ($body_bytes_sent, %b)") }
        if let measured = items.first(where: { $0.field == .originBytes }) {
            throw .templateHas(measured.name, "origin bytes measured per request are not summed in SQL")
        }
        let request = index(.request), method = index(.method), uri = index(.uri), path = index(.path), query = index(.query)
        guard request != nil || uri != nil || path != nil else { throw .templateLacks("request or URI field ($request, $request_uri, %r)") }

        // What each field may hold: typed where cdn hits refuses anything else (so a line it
        // counts as malformed does not match), else the shortest text up to the next literal.
        @Sendable func pattern(_ i: Int) -> String {
            switch items[i].field {
            // Brackets (Apache's %t has them) as any byte: Java reads `[[]` as a nested class.
            case .timeCommon: return ".?[0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{4}.?"
            case .timeEpoch: return "[0-9]+(?:[.][0-9]*)?"
            case .status: return "[0-9]{1,3}"
            case .bodyBytes: return "[0-9]+|-"
            // The bytes sent are read (and must be a number) only when there is no body size.
            case .bytesSent where i == bytes: return "[0-9]+|-"
            default: return items[i].literal.isEmpty ? ".*" : ".*?"
            }
        }
        // Literal text: regular-expression characters as `.`, so no backslash is needed.
        @Sendable func literal(_ bytes: [UInt8]) -> String {
            String(decoding: bytes.map { "[](){}.*+?^$|\\".utf8.contains($0) ? UInt8(ascii: ".") : $0 }, as: UTF8.self)
        }
        @Sendable func line(capturing wanted: Int?) -> String {
            "^" + literal(template.leading) + items.indices.map { i in
                let field = pattern(i)
                return (i == wanted ? "(" + field + ")" : "(?:" + field + ")") + literal(items[i].literal)
            }.joined() + "$"
        }
        let optional: [(String, Int?)] = [("request", request), ("method", method), ("uri", uri), ("path", path), ("query", query),
                                           ("host", index(.host)), ("pop", index(.pop))]
        let captured = [("time", time), ("status", status), ("bytes", bytes), ("cache", cache)]
            + optional.compactMap { name, item in item.map { (name, $0) } }
        let has = Set(captured.map(\.0))
        let timeField = items[time].field
        return SQLTableLayout(
            format: template.format, columns: [("line", "STRING")], headerLines: 0,
            fields: { (d: SQLDialect) throws(SQLError) -> Fields in
                let lineColumn = d.identifier("line")
                // The time: the common log time without its brackets, or epoch digits (a
                // fraction dropped; 12, 15 and 18+ digits are ms, µs and ns, as cdn hits reads them).
                let epoch: String
                if timeField == .timeCommon {
                    epoch = d.commonLogEpoch(d.extract("r_time", "([0-9]{2}/[A-Za-z]{3}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [-+][0-9]{4})"))
                } else {
                    let digits = d.extract("r_time", "^([0-9]+)")
                    let whole = "(CASE WHEN \(d.matches("r_time", "[.]")) THEN \(digits) "
                        + "WHEN length(r_time) >= 18 THEN substr(r_time, 1, length(r_time) - 9) "
                        + "WHEN length(r_time) >= 15 THEN substr(r_time, 1, length(r_time) - 6) "
                        + "WHEN length(r_time) >= 12 THEN substr(r_time, 1, length(r_time) - 3) ELSE r_time END)"
                    epoch = d.toBigint(whole)
                }
                // The target: the request line's middle (its method first, its protocol last),
                // the URI, or the path with the query; absolute URLs give their host.
                let target: String, methodSQL: String
                if has.contains("request") {
                    methodSQL = "(CASE WHEN \(d.matches("r_request", " ")) THEN \(d.extract("r_request", "^([^ ]*) ")) ELSE '' END)"
                    target = "(CASE WHEN \(d.matches("r_request", " ")) THEN \(d.extract("r_request", "^[^ ]* (.*?)(?: HTTP/[^ ]*)?$")) ELSE r_request END)"
                } else {
                    methodSQL = has.contains("method") ? "r_method" : "''"
                    if has.contains("uri") {
                        target = "r_uri"
                    } else {
                        let q = has.contains("query") ? "(CASE WHEN r_query = '-' THEN '' WHEN substr(r_query, 1, 1) = '?' THEN substr(r_query, 2) ELSE r_query END)" : "''"
                        target = "(CASE WHEN \(q) = '' THEN r_path ELSE concat(r_path, '?', \(q)) END)"
                    }
                }
                // Written out where used: a column alias is not visible in its own SELECT everywhere.
                let absolute = "(substr(\(target), 1, 7) = 'http://' OR substr(\(target), 1, 8) = 'https://')"
                let loggedHost = has.contains("host") ? "(CASE WHEN r_host = '-' THEN '' ELSE r_host END)" : "''"
                // A line whose byte count is not a number is malformed, as cdn hits reads it.
                let bytesSQL = "(CASE WHEN r_bytes = '-' THEN 0 ELSE \(d.toBigint("r_bytes")) END)"
                return Fields(
                    valid: d.matches(lineColumn, line(capturing: nil)),
                    raw: captured.map { ("r_" + $0.0, d.extract(lineColumn, line(capturing: $0.1))) }
                        ,
                    time: d.isoFromEpoch(epoch),
                    epoch: epoch,
                    host: "(CASE WHEN \(loggedHost) = '' AND \(absolute) AND length(\(target)) > 8 THEN \(d.extract(target, "^https?://([^/]*)")) ELSE \(loggedHost) END)",
                    target: "(CASE WHEN \(absolute) AND length(\(target)) > 8 THEN COALESCE(NULLIF(\(d.extract(target, "^https?://[^/]*(/.*)$")), ''), '/') ELSE \(target) END)",
                    method: methodSQL,
                    status: d.toBigint("r_status"),
                    bytes: bytesSQL,
                    pop: has.contains("pop") ? "(CASE WHEN r_pop = '-' THEN '' ELSE r_pop END)" : "''",
                    cacheValue: "r_cache")
            })
    }
}

import CDNLogs
import ScaleCore

/// The report of `cdn hits` and `cdn merge`: one row per key of each breakdown asked for (a
/// `dimension` column says which), the ratios with their definition in the summary.
enum HitsReport {
    /// A row: one key of one breakdown, with the definition and total its ratios need.
    struct KeyRow {
        var row: BreakdownRow
        var ratio: RatioDefinition
        /// All requests, for the key's share.
        var total: UInt64
    }

    static let columns: [Column<KeyRow>] = [
        Column("dimension", .text, title: "BY", help: "The breakdown the row belongs to (--by).", \.row.breakdown.rawValue),
        Column("key", .text, help: "The class, status class, extension, prefix, host, POP, time or URL.", \.row.key),
        Column("requests", .integer, help: "Requests counted for the key.") { Int64($0.row.tally.totalRequests) },
        Column("share_ratio", .ratio(places: 1), title: "SHARE", help: "The key's share of all requests.") {
            $0.total == 0 ? nil : Double($0.row.tally.totalRequests) / Double($0.total)
        },
        Column("hit_ratio", .ratio(places: 1), title: "HIT RATIO", help: "Hit ratio of the key's requests (see ratio_definition).") {
            $0.ratio.hitRatio($0.row.tally)
        },
        Column("byte_hit_ratio", .ratio(places: 1), title: "BYTE HIT RATIO", help: "The same definition applied to bytes sent.") {
            $0.ratio.byteHitRatio($0.row.tally)
        },
        Column("misses", .integer, help: "MISS requests.") { Int64($0.row.tally.requests(.miss)) },
        Column("passes", .integer, help: "PASS requests (not cacheable by policy).") { Int64($0.row.tally.requests(.pass)) },
        Column("bytes", .bytes, help: "Bytes sent to clients.") { Int64($0.row.tally.totalBytes) },
        Column("origin_bytes", .bytes, help: "Bytes fetched from the origin (measured, or estimated from MISS and PASS responses).") {
            $0.row.originKnown ? Int64($0.row.tally.originBytes) : nil
        },
    ]

    /// The logs as a whole under one ratio definition, and the verdict of the thresholds.
    struct Summary {
        var statistics: LogStatistics
        var ratio: RatioDefinition
        var status: ExitCode
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("format", .text, help: "The log formats read, most requests first.") {
            $0.statistics.formatNames.isEmpty ? "-" : $0.statistics.formatNames.joined(separator: ", ")
        },
        // Summary names differ from the row names: in prometheus output both become metrics.
        Column("total_requests", .integer, title: "REQUESTS", help: "Requests counted (after filters).") { Int64($0.statistics.requests) },
        Column("overall_hit_ratio", .ratio(places: 2), title: "HIT RATIO", help: "Requests served from cache over the requests the definition counts.") {
            $0.ratio.hitRatio($0.statistics.totals)
        },
        Column("ratio_definition", .text, title: "DEFINITION", help: "Which classes count as hits and which are left out.", \.ratio.text),
        Column("overall_byte_hit_ratio", .ratio(places: 2), title: "BYTE HIT RATIO", help: "Bytes served from cache over the bytes the definition counts.") {
            $0.ratio.byteHitRatio($0.statistics.totals)
        },
        Column("origin_offload_ratio", .ratio(places: 2), title: "ORIGIN OFFLOAD",
               help: "1 - origin bytes / bytes served, over the bytes of known cache classes unless the log measured every origin byte.") {
            let s = $0.statistics
            return s.totals.originOffload(originMeasured: s.requests > 0 && s.originMeasuredRequests >= s.requests)
        },
        Column("unclassified_bytes", .bytes, title: "UNCLASSIFIED BYTES",
               help: "Bytes of NONE and UNKNOWN requests: neither hits nor misses, left out of the offload when origin bytes are estimated.") {
            Int64($0.statistics.totals.unclassifiedBytes)
        },
        Column("total_bytes", .bytes, title: "BYTES SERVED", help: "Bytes sent to clients.") { Int64($0.statistics.totals.totalBytes) },
        Column("total_origin_bytes", .bytes, title: "ORIGIN BYTES", help: "Bytes fetched from the origin.") { Int64($0.statistics.totals.originBytes) },
        Column("origin_bytes_source", .text, title: "ORIGIN BYTES FROM",
               help: "measured (from the log), estimated (MISS and PASS response bytes) or partly measured.") { $0.statistics.originSource },
        Column("hit_p50_seconds", .latency, title: "HIT P50", help: "Median duration of requests served from cache.") {
            $0.statistics.hitLatency.percentile(0.5)
        },
        Column("hit_p99_seconds", .latency, title: "HIT P99", help: "99th percentile duration of requests served from cache.") {
            $0.statistics.hitLatency.percentile(0.99)
        },
        Column("miss_p50_seconds", .latency, title: "MISS P50", help: "Median duration of MISS requests.") { $0.statistics.missLatency.percentile(0.5) },
        Column("miss_p99_seconds", .latency, title: "MISS P99", help: "99th percentile duration of MISS requests.") { $0.statistics.missLatency.percentile(0.99) },
        Column("first_request", .text, title: "FIRST REQUEST", help: "Time of the earliest request (UTC).") {
            $0.statistics.firstTime <= $0.statistics.lastTime ? Timestamps.iso($0.statistics.firstTime) : nil
        },
        Column("last_request", .text, title: "LAST REQUEST", help: "Time of the latest request (UTC).") {
            $0.statistics.firstTime <= $0.statistics.lastTime ? Timestamps.iso($0.statistics.lastTime) : nil
        },
        Column("lines", .integer, help: "Non-blank lines read.") { Int64($0.statistics.lines) },
        Column("malformed_lines", .integer, title: "MALFORMED", help: "Lines that could not be read, skipped.") { Int64($0.statistics.malformedLines) },
        Column("filtered_lines", .integer, title: "FILTERED OUT", help: "Requests left out by --since, --until, --host or --path-prefix.") {
            Int64($0.statistics.filteredLines)
        },
        Column("status", .status, help: "OK, WARNING, CRITICAL or UNKNOWN against --warning and --critical.", \.status.description),
    ]

    static func make(_ s: LogStatistics, inputs: [(name: String, format: String)], settings: CDNCommand.Settings,
                     terminal: Bool) -> (Report, ExitCode) {
        let ratio = settings.ratio
        let total = s.requests
        var rows: [KeyRow] = []
        var timeRows: [BreakdownRow] = []
        let bucket = settings.displayBucket ?? s.autoBucketSeconds
        for b in settings.breakdowns {
            let found = s.rows(b, top: settings.top, bucket: bucket)
            if b == .time { timeRows = found }
            rows += found.map { KeyRow(row: $0, ratio: ratio, total: total) }
        }
        var notes = commonNotes(s, inputs: inputs, settings: settings, breakdowns: settings.breakdowns)
        let (status, reasons) = settings.policy.judge(s, ratio: ratio)
        notes += reasons.map(ParameterFlags.text)
        if terminal, timeRows.count > 1 {
            notes.append("hit ratio per \(DurationUnits.human(Double(bucket))): " + sparkline(timeRows.map { ratio.hitRatio($0.tally) }))
        }
        var report = Report(command: "cdn hits", columns: columns, rows: rows, summaryColumns: summaryColumns,
                            summary: Summary(statistics: s, ratio: ratio, status: status), notes: notes)
        report.check = check(s, ratio: ratio, policy: settings.policy, status: status, reasons: reasons.map(ParameterFlags.text))
        return (report, status)
    }

    /// `-o nagios`: the judged ratio against its limits (`alert below`, the range `N:`), then
    /// whatever else made the status.
    static func check(_ s: LogStatistics, ratio: RatioDefinition, policy: HitRatioPolicy, status: ExitCode, reasons: [String]) -> CheckOutcome {
        let name = policy.onBytes ? "byte hit ratio" : "hit ratio"
        let value = policy.onBytes ? ratio.byteHitRatio(s.totals) : ratio.hitRatio(s.totals)
        var headline = "\(name) \(value.map { Format.percent($0) } ?? "-") over \(s.requests) requests"
        switch value.map(policy.level) {
        case .critical?: headline += ", below --critical \(Format.percent(policy.critical ?? 0))"
        case .warning?: headline += ", below --warning \(Format.percent(policy.warning ?? 0))"
        default: break
        }
        if !reasons.isEmpty { headline += "; " + CheckHeadline.list(reasons) }
        // Ratios are % in perfdata.
        let limits = PerfThresholds.below(warning: policy.warning.map { $0 * 100 }, critical: policy.critical.map { $0 * 100 })
        return CheckOutcome(status: status, headline: headline,
                            thresholds: [policy.onBytes ? "overall_byte_hit_ratio" : "overall_hit_ratio": limits])
    }

    /// Eight levels per bucket, `·` where the definition has nothing to divide.
    static func sparkline(_ ratios: [Double?]) -> String {
        let levels = Array("▁▂▃▄▅▆▇█")
        return String(ratios.map { r in r.map { levels[min(7, Int(($0 * 8).rounded(.down)))] } ?? "·" })
    }

    /// Notes both reports share: how each input was read, unknown values, malformed lines,
    /// estimates, filters.
    static func commonNotes(_ s: LogStatistics, inputs: [(name: String, format: String)], settings: CDNCommand.Settings,
                            breakdowns: [Breakdown]) -> [String] {
        var notes: [String] = []
        var byFormat: [(String, [String])] = []
        for input in inputs {
            if let i = byFormat.firstIndex(where: { $0.0 == input.format }) { byFormat[i].1.append(input.name) } else {
                byFormat.append((input.format, [input.name]))
            }
        }
        for (format, names) in byFormat {
            let who = names.count == 1 ? names[0] : "\(names.count) inputs (\(names.prefix(3).joined(separator: ", "))\(names.count > 3 ? ", …" : ""))"
            notes.append("\(who): \(format)")
        }
        let unknown = s.unknownValues
        if !unknown.isEmpty {
            let listed = unknown.prefix(10).map { "\($0.name) (\($0.requests))" }.joined(separator: ", ")
            notes.append("cache-status values no table knows, counted as UNKNOWN and left out of the ratio: " + listed
                         + (unknown.count > 10 ? ", and \(unknown.count - 10) more" : ""))
        }
        if s.malformedLines > 0 {
            if s.malformedSamples.isEmpty {
                notes.append("\(s.malformedLines) malformed line\(s.malformedLines == 1 ? "" : "s") skipped (cdn hits --show-malformed N shows them)")
            } else {
                notes.append("\(s.malformedLines) malformed line\(s.malformedLines == 1 ? "" : "s") skipped")
                for m in s.malformedSamples {
                    notes.append("malformed: \(m.input):\(m.line): \(m.reason): \(m.excerpt.debugDescription)")
                }
            }
        }
        for b in breakdowns {
            guard let accuracy = s.accuracy(b), accuracy.isSketch else { continue }
            notes.append("\(b.rawValue): more than \(s.maxKeys) distinct keys; counts are Space-Saving estimates, each at most \(accuracy.maxError) requests low, and keys not shown had at most \(accuracy.floor) requests each (--max-keys raises the limit)")
        }
        return notes
    }
}

/// The report of `cdn why`.
enum WhyReport {
    static let columns: [Column<Finding>] = [
        Column("finding", .text, help: "The pattern found: query-fragmentation, static-misses, cacheable-pass, short-ttl or never-hits.", \.kind.rawValue),
        Column("target", .text, help: "The path, prefix or extension it is about.", \.target),
        Column("requests", .integer, help: "Requests to the target.") { Int64($0.requests) },
        Column("share_ratio", .ratio(places: 1), title: "SHARE", help: "Share of the target's requests affected.", \.ratio),
        Column("origin_bytes", .bytes, title: "ORIGIN BYTES AT STAKE", help: "Origin bytes a fix could save at most.") { Int64($0.originBytes) },
        Column("evidence", .text, help: "What the counts show.", \.evidence),
    ]

    struct Summary {
        var statistics: LogStatistics
        var ratio: RatioDefinition
        /// Findings over the thresholds, shown or not.
        var findings: Int
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("total_requests", .integer, title: "REQUESTS", help: "Requests counted.") { Int64($0.statistics.requests) },
        Column("overall_hit_ratio", .ratio(places: 2), title: "HIT RATIO", help: "Hit ratio (see ratio_definition).") {
            $0.ratio.hitRatio($0.statistics.totals)
        },
        Column("ratio_definition", .text, title: "DEFINITION", help: "Which classes count as hits and which are left out.", \.ratio.text),
        Column("total_origin_bytes", .bytes, title: "ORIGIN BYTES", help: "Bytes fetched from the origin.") { Int64($0.statistics.totals.originBytes) },
        Column("findings", .integer, help: "Findings reported.", \.findings),
    ]

    static func make(_ s: LogStatistics, inputs: [(name: String, format: String)], settings: CDNCommand.Settings,
                     limits: FindingThresholds) -> Report {
        let all = s.findings(limits)
        let shown = all.prefix(settings.top)
        var notes = HitsReport.commonNotes(s, inputs: inputs, settings: settings, breakdowns: [.url, .prefix, .ext])
        var advised: [Finding.Kind] = []
        for finding in shown where !advised.contains(finding.kind) {
            advised.append(finding.kind)
            notes.append("\(finding.kind.rawValue): \(finding.advice)")
        }
        if all.count > shown.count { notes.append("\(all.count - shown.count) more findings (--top shows more)") }
        // Partial files keep no Vary/cookie variants: say so rather than advise a log change.
        if inputs.contains(where: { $0.format.hasPrefix("partial result") }) {
            notes.append("vary-fragmentation: partial files keep no Vary or cookie variants; run cdn why on the logs themselves to check them")
        } else {
            notes += s.variantNotes
        }
        if all.isEmpty, s.requests > 0 { notes.append("no pattern reached the thresholds (--min-requests \(limits.minRequests))") }
        return Report(command: "cdn why", columns: columns, rows: Array(shown), summaryColumns: summaryColumns,
                      summary: Summary(statistics: s, ratio: settings.ratio, findings: all.count), notes: notes)
    }
}

/// The cache-status mapping of every format, as a report (`cdn formats`) and as the table in
/// the man page, both from the same vocabularies the parsers use.
enum FormatTable {
    static func displayValue(_ rule: CacheVocabulary.Rule, vocabulary: String) -> String {
        if vocabulary == CacheVocabulary.akamai.name {
            switch rule {
            case .exact("hit"): return "cacheStatus 1"
            case .exact("miss"): return "cacheStatus 0"
            case .exact("uncacheable"): return "cacheable 0"
            default: break
            }
        }
        switch rule {
        case .exact(let v): return v
        case .prefix(let v): return v + "..."
        case .suffix(let v): return "..." + v
        }
    }

    /// A row: one cache-status value of one format and the class it counts as.
    struct Mapping {
        var format: LogFormat
        var vocabulary: CacheVocabulary
        var entry: CacheVocabulary.Entry
    }

    static let columns: [Column<Mapping>] = [
        Column("format", .text, help: "The log format (--log-format).", \.format.rawValue),
        Column("field", .text, help: "Where the format keeps the cache status.", \.vocabulary.field),
        Column("value", .text, help: "The value as logged (... marks a prefix or suffix).") { displayValue($0.entry.rule, vocabulary: $0.vocabulary.name) },
        Column("class", .text, help: "The class it counts as.", \.entry.cacheClass.name),
        Column("expired", .bool, help: "Whether it also counts as evidence of a too-short TTL.", \.entry.expired),
    ]

    static func report(_ formats: [LogFormat]) -> Report {
        let rows = formats.flatMap { format in
            let vocabulary = format.vocabulary
            return vocabulary.entries.map { Mapping(format: format, vocabulary: vocabulary, entry: $0) }
        }
        return Report(command: "cdn formats", columns: columns, rows: rows)
    }

    /// `nginx: $upstream_cache_status; …` for the discussion.
    static let fields: String = LogFormat.allCases.filter { $0 != .cloudfrontRealtime }
        .map { "\($0.rawValue) \($0.vocabulary.field)" }.joined(separator: "; ")

    /// A preformatted table for the man page and --help: one line per format and class.
    static let text: String = {
        var lines = ["  FORMAT      CLASS  VALUES"]
        for format in LogFormat.allCases where format != .cloudfrontRealtime {
            let vocabulary = format.vocabulary
            var first = true
            for c in CacheClass.allCases {
                let values = vocabulary.entries.filter { $0.cacheClass == c }.map { displayValue($0.rule, vocabulary: vocabulary.name) }
                guard !values.isEmpty else { continue }
                var chunks: [String] = []
                var current = ""
                for v in values {
                    let piece = current.isEmpty ? v : current + ", " + v
                    if piece.count > 52, !current.isEmpty { chunks.append(current + ","); current = v } else { current = piece }
                }
                chunks.append(current)
                for (i, chunk) in chunks.enumerated() {
                    let name = first && i == 0 ? format.rawValue : ""
                    let cls = i == 0 ? c.name : ""
                    lines.append("  " + name.padding(11) + " " + cls.padding(6) + " " + chunk)
                }
                first = false
            }
        }
        return lines.joined(separator: "\n")
    }()
}

private extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

/// Exact outputs of the documented examples (they run as tests), pasted from the binary.
enum Golden {
    static let nginxHits: String? = #"""
BY     KEY    REQUESTS  SHARE  HIT RATIO  BYTE HIT RATIO  MISSES  PASSES      BYTES  ORIGIN BYTES
class  HIT         141  58.8%     100.0%          100.0%       0       0   31.0 MiB           0 B
class  STALE         2   0.8%     100.0%          100.0%       0       0    4.3 KiB           0 B
class  REVAL         3   1.3%     100.0%          100.0%       0       0   35.2 KiB           0 B
class  MISS         55  22.9%       0.0%            0.0%      55       0   30.8 MiB      30.8 MiB
class  PASS         25  10.4%       0.0%            0.0%       0      25  744.9 KiB     744.9 KiB
class  ERROR         0   0.0%          -               -       0       0        0 B           0 B
class  EDGE          0   0.0%          -               -       0       0        0 B           0 B
class  NONE         14   5.8%          -               -       0       0    4.2 KiB           0 B

FORMAT:             nginx
REQUESTS:           240
HIT RATIO:          64.60%
DEFINITION:         (HIT+STALE+REVAL) / (HIT+STALE+REVAL+MISS+PASS); ERROR, EDGE, NONE and unknown values left out
BYTE HIT RATIO:     49.62%
ORIGIN OFFLOAD:     49.62%
UNCLASSIFIED BYTES: 4.2 KiB
BYTES SERVED:       62.5 MiB
ORIGIN BYTES:       31.5 MiB
ORIGIN BYTES FROM:  estimated from MISS and PASS responses
HIT P50:            4.0ms
HIT P99:            14.0ms
MISS P50:           49.7ms
MISS P99:           182.3ms
FIRST REQUEST:      2026-11-23T08:00:25Z
LAST REQUEST:       2026-11-23T10:02:13Z
LINES:              241
MALFORMED:          1
FILTERED OUT:       0
STATUS:             OK
note: demo/cdn/nginx-access.log: nginx: combined + $upstream_cache_status as field 11, field 10 read as $request_time
note: 1 malformed line skipped (cdn hits --show-malformed N shows them)

"""#
    /// CSV lines end in CRLF, which a multi-line literal would not keep.
    static let nginxTopMisses: String? = "dimension,key,requests,share_ratio,hit_ratio,byte_hit_ratio,misses,passes,bytes,origin_bytes\r\nurl,/video/intro.mp4,23,0.09583333333333334,0.4782608695652174,0.4782608695652174,12,0,60293120,31457280\r\nurl,/assets/logo.png,25,0.10416666666666667,0,0,0,25,762800,762800\r\nurl,/static/app.js?v=3,74,0.30833333333333335,0.9054054054054054,0.9054054054054054,7,0,3567614,337477\r\n"
    static let nginxWhy: String? = #"""
FINDING              TARGET       REQUESTS   SHARE  ORIGIN BYTES AT STAKE  EVIDENCE
static-misses        .mp4               23   52.2%               30.0 MiB  52.2% of 23 cacheable requests MISS; 2.5 MiB average body
cacheable-pass       /assets/           25  100.0%              744.9 KiB  25 GET responses with cacheable statuses and static extensions were PASS/BYPASS; e.g. /assets/logo.png (25)
query-fragmentation  /search            29  100.0%              433.9 KiB  29 distinct query strings over 29 requests, 100% MISS; parameters that vary: fbclid (29 values), q (3 values), utm_source (3 values)
short-ttl            /api/prices        35   17.1%               12.9 KiB  6 of 35 requests found the stored copy expired over 2h 1m 49s: one request every 3m 29s, a copy lasting at most about 20m 18s

REQUESTS:     240
HIT RATIO:    64.60%
DEFINITION:   (HIT+STALE+REVAL) / (HIT+STALE+REVAL+MISS+PASS); ERROR, EDGE, NONE and unknown values left out
ORIGIN BYTES: 31.5 MiB
FINDINGS:     4
note: demo/cdn/nginx-access.log: nginx: combined + $upstream_cache_status as field 11, field 10 read as $request_time
note: 1 malformed line skipped (cdn hits --show-malformed N shows them)
note: static-misses: raise the TTL of these files, and check the cache's size and largest storable object (proxy_cache_path max_size, Varnish -s, slice/range caching)
note: cacheable-pass: look for Set-Cookie, Cache-Control private/no-store, Vary: *, Authorization or a bypass rule (proxy_cache_bypass, return(pass)) on these responses
note: query-fragmentation: keep tracking and unused parameters out of the cache key (proxy_cache_key, vcl_hash, a CloudFront cache policy), or sort and allow-list them
note: short-ttl: raise its TTL (Cache-Control max-age, proxy_cache_valid) or serve stale while revalidating (stale-while-revalidate, proxy_cache_use_stale updating)
note: vary-fragmentation: the log has no Vary or Cookie field; to see fragmentation by Vary, add $sent_http_vary and the request headers it names ($http_user_agent, $http_accept_encoding, $http_accept_language) to the log_format and read it with --nginx-log-format; $upstream_http_set_cookie shows responses not stored because of Set-Cookie and $http_cookie (or $cookie_NAME for the one cookie the cache key uses) fragmentation by cookies, but they put cookie values, which are secrets (sessions), in the log: keep such a log like one (scalectl keeps only hashes of them and prints counts)

"""#
    /// Merging the partials of two halves gives exactly the single run's report; only the
    /// notes naming the inputs differ.
    static let mergedHits: String? = nginxHits.map {
        $0.replacingAll("note: demo/cdn/nginx-access.log: nginx: combined + $upstream_cache_status as field 11, field 10 read as $request_time\n",
                        with: "note: demo/cdn/day-a.scp: partial result, 119 requests (nginx)\nnote: demo/cdn/day-b.scp: partial result, 121 requests (nginx)\n")
    }
    static let nginxFormats: String? = #"""
FORMAT  FIELD                   VALUE        CLASS  EXPIRED
nginx   $upstream_cache_status  HIT          HIT    no
nginx   $upstream_cache_status  STALE        STALE  no
nginx   $upstream_cache_status  UPDATING     STALE  no
nginx   $upstream_cache_status  REVALIDATED  REVAL  no
nginx   $upstream_cache_status  MISS         MISS   no
nginx   $upstream_cache_status  EXPIRED      MISS   yes
nginx   $upstream_cache_status  BYPASS       PASS   no
nginx   $upstream_cache_status  -            NONE   no

"""#
}

import CDNLogs
import Glibc
import ScaleCore

/// `scalectl cdn hits|why|merge|formats`: cache-hit ratios of CDN and reverse-proxy access logs,
/// and why the misses happen. The CDNLogs library parses and counts; this file turns flags into
/// its options, opens the inputs, and renders.
enum CDNCommand {
    static let spec = CommandSpec(
        "cdn",
        summary: "cache-hit ratios of CDN and proxy access logs, and why they miss",
        discussion: """
        Reads access logs of CDNs and caching proxies directly (CloudFront, Fastly, Cloudflare, \
        Akamai, nginx, Varnish, Apache, HAProxy, Squid, Traffic Server; plain, gzip or zstd; files, \
        globs or standard input) on every core, and answers: what is the hit ratio (by requests \
        and by bytes), where do the misses come from, and how many origin bytes would fixing them \
        save. hits prints the ratios and breakdowns, why lists the patterns behind the misses, \
        merge combines partial results written by hits --partial on many machines, sql prints \
        the query giving hits' numbers for logs already in a data lake (Athena, Trino, Spark, \
        BigQuery, ClickHouse, DuckDB), and formats shows how each vendor's cache-status values \
        map to scalectl's classes.
        """,
        subcommands: [hits, why, merge, sql, formats]
    )

    static let reportFormats: [OutputFormat] = [.table, .json, .ndjson, .csv, .prometheus]

    // MARK: - Options shared by hits, why and merge

    enum InputOption {
        static let logFormat = OptionSpec("log-format", value: "NAME", allowed: LogFormat.allCases.map(\.rawValue),
                                          help: "read every input as this format instead of detecting it from the first lines (the output format is -o/--format)")
        static let nginxLogFormat = OptionSpec("nginx-log-format", value: "FORMAT",
                                               help: "the nginx log_format of the logs (the string, the name combined, or the whole directive), so any nginx layout can be read")
        static let apacheLogFormat = OptionSpec("apache-log-format", value: "FORMAT",
                                                help: "the Apache LogFormat, varnishncsa -F or Fastly format string of the logs")
        static let cloudfrontFields = OptionSpec("cloudfront-fields", value: "LIST",
                                                 help: "the fields of CloudFront real-time logs, in order, separated by commas or spaces (default: all of them)")
        static let since = OptionSpec("since", value: "TIME",
                                      help: "only requests at or after TIME: a duration back from now (1h, 30m) or a UTC time (2026-11-23T08:00, 2026-11-23T08:00:00+01:00)",
                                      brief: "only requests at or after TIME: a duration back from now or a UTC time")
        static let until = OptionSpec("until", value: "TIME", help: "only requests before TIME (same forms as --since)")
        static let host = OptionSpec("host", value: "HOST", repeatable: true, completion: .hostname,
                                     help: "only requests for this host (case-insensitive; any port in the log is ignored)")
        static let pathPrefix = OptionSpec("path-prefix", value: "PREFIX", repeatable: true, help: "only requests whose path starts with PREFIX")
        static let showMalformed = OptionSpec("show-malformed", value: "N", default: "0", help: "show N lines that could not be read, with file:line")
        static let maxMalformed = OptionSpec("max-malformed", value: "RATIO", default: "10%",
                                             help: "WARNING when more than this share of the lines could not be read (UNKNOWN when none could)")
        static let threads = OptionSpec("threads", value: "N", help: "parser threads (default: one per core)")
    }

    static let inputOptions: [OptionSpec] = [
        InputOption.logFormat, InputOption.nginxLogFormat, InputOption.apacheLogFormat, InputOption.cloudfrontFields,
        InputOption.since, InputOption.until, InputOption.host, InputOption.pathPrefix, InputOption.showMalformed,
        InputOption.maxMalformed, InputOption.threads,
    ]

    enum CountingOption {
        static let depth = OptionSpec("depth", value: "N", default: "1", help: "path segments in a prefix: 1 gives /static/, 2 gives /static/img/")
        static let bucket = OptionSpec("bucket", value: "DURATION",
                                       help: "time bucket of --by time (5m, 1h; default: chosen from the time span); a partial keeps buckets this fine (default 1m)")
        static let maxKeys = OptionSpec("max-keys", value: "N", default: "1M",
                                        help: "distinct keys counted exactly per breakdown; beyond, a Space-Saving sketch with its error bound printed")
    }

    static let countingOptions: [OptionSpec] = [CountingOption.depth, CountingOption.bucket, CountingOption.maxKeys]

    enum ReportOption {
        static let by = OptionSpec("by", value: "BREAKDOWN", allowed: Breakdown.allCases.map(\.rawValue), repeatable: true,
                                   help: "rows to show: " + Breakdown.allCases.map(\.rawValue).joined(separator: ", ") + " (default: class)")
        static let ratio = OptionSpec("ratio", value: "DEFINITION", allowed: RatioDefinition.allCases.map(\.rawValue), default: "cache",
                                      help: "hit ratio definition: " + RatioDefinition.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; "))
        static let top = OptionSpec("top", value: "N", default: "10", help: "rows per breakdown for prefix, ext, type, host, pop, url and uncacheable")
        static let partial = OptionSpec("partial", value: "FILE", completion: .file,
                                        help: "write a partial result to FILE (- for standard output) instead of the report, for scalectl cdn merge")
        static let warning = OptionSpec("warning", value: "RATIO", help: "exit 1 (WARNING) when the ratio is below RATIO, e.g. 90%")
        static let critical = OptionSpec("critical", value: "RATIO", help: "exit 2 (CRITICAL) when the ratio is below RATIO, e.g. 80%")
        static let thresholdOn = OptionSpec("threshold-on", value: "RATIO_NAME", allowed: ["hit_ratio", "byte_hit_ratio"], default: "hit_ratio",
                                            help: "which ratio --warning and --critical check")
    }

    static let reportOptions: [OptionSpec] = [
        ReportOption.by, ReportOption.ratio, ReportOption.top, ReportOption.partial, ReportOption.warning,
        ReportOption.critical, ReportOption.thresholdOn,
    ]

    // MARK: - hits

    static let hits = CommandSpec(
        "hits",
        summary: "hit ratio, byte hit ratio and breakdowns of CDN and proxy access logs",
        discussion: """
        Counts every request by its cache class (HIT, STALE, REVAL, MISS, PASS, ERROR, EDGE, NONE; \
        see scalectl cdn formats for each vendor's values) and prints the hit ratio by requests \
        and by bytes, with the definition used beside it. The default definition is \
        (HIT+STALE+REVAL) / (HIT+STALE+REVAL+MISS+PASS): requests answered from cache over \
        requests the cache handled; ERROR, EDGE, NONE and unknown values are left out. --ratio \
        picks a vendor's definition instead: fastly leaves PASS out, cloudfront counts only \
        cacheable requests (GET/HEAD, not PASS, not errors), cloudflare and akamai divide by all \
        requests (akamai counts EDGE answers as offloaded). The byte hit ratio applies the same \
        definition to bytes sent. Origin offload = 1 - origin bytes / bytes served; origin bytes \
        are the log's own figure where it has one (nginx $upstream_bytes_received, Cloudflare \
        OriginResponseBytes), otherwise the bytes of MISS and PASS responses, and the report says \
        which.

        Formats are detected from the first lines of each input; --log-format forces one, and \
        --nginx-log-format or --apache-log-format give the exact layout, so any nginx, Apache, \
        varnishncsa or Fastly layout can be read. Values a format's table does not know are \
        counted as UNKNOWN under their own name and listed, never dropped. Lines that cannot be \
        read are counted and skipped (--show-malformed N prints examples with file:line); an \
        input that matches no format is an error naming the closest format and the first line \
        it could not read. Lines are parsed whole at any length up to 8 MiB.

        --by chooses the rows (repeatable): class, status, ext, type, prefix (--depth), host, \
        pop, time (--bucket), url (the top misses: URLs by bytes fetched from the origin) and \
        uncacheable (URLs by PASS/BYPASS requests). Latency percentiles of hits and misses are \
        shown where the format logs a duration (nginx $request_time, CloudFront time-taken, \
        Cloudflare EdgeTimeToFirstByteMs, HAProxy Tt ...). --since 1h means the last hour before \
        now; times without a zone are UTC.

        Memory stays bounded: each breakdown counts up to --max-keys distinct keys exactly, then \
        becomes a Space-Saving sketch (the lightest key makes room and its count becomes the \
        newcomer's error), and the report states the error bound. Each parser thread keeps its \
        own tables, so the worst case is about threads x max-keys x 300 bytes.

        --partial FILE writes everything counted to a compact file instead of printing; scalectl \
        cdn merge combines such files into the report one run over all the inputs would give, so \
        days of logs can be split over machines (GNU parallel, Kubernetes Jobs, Hadoop \
        Streaming with --partial -). --warning and --critical set the exit status when the \
        ratio (--threshold-on) is below them, for CI and cron checks; with no requests at all the \
        status is UNKNOWN (3).

        Typical runs (the examples below run as tests on the bundled samples; these need your logs):

          # during an incident: the last hour of the local proxy
          scalectl cdn hits /var/log/nginx/access.log --since 1h
          # a CloudFront distribution's standard logs, synced from their bucket
          aws s3 sync s3://my-cf-logs/E2ABCDEF/ cf/
          scalectl cdn hits 'cf/E2ABCDEF.2026-11-23-*.gz' --ratio cloudfront --by pop --by url
          # any nginx layout, given as in nginx.conf
          scalectl cdn hits access.log --nginx-log-format "$(grep -A2 'log_format cdn' nginx.conf)"
        """,
        arguments: [ArgumentSpec("LOG", help: "access logs: files, globs (quoted), .gz or .zst, partial files, or - for standard input",
                                 repeatable: true, completion: .file)],
        options: inputOptions + countingOptions + reportOptions,
        examples: [
            Example("Hit ratio and requests per cache class of an nginx log with $upstream_cache_status",
                    ["cdn", "hits", "demo/cdn/nginx-access.log"], output: Golden.nginxHits),
            Example("The top misses by origin bytes, as CSV", ["cdn", "hits", "demo/cdn/nginx-access.log", "--by", "url", "--top", "3", "-o", "csv"],
                    output: Golden.nginxTopMisses),
            Example("A CloudFront standard log with CloudFront's own definition of the hit ratio, by edge location",
                    ["cdn", "hits", "demo/cdn/cloudfront.log", "--ratio", "cloudfront", "--by", "pop"]),
            Example("Hit ratio per hour, from a gzip-compressed log", ["cdn", "hits", "demo/cdn/nginx-access.log.gz", "--by", "time", "--bucket", "1h"]),
            Example("Gate a cron job or CI step: exit 1 below 90%, 2 below 50%", ["cdn", "hits", "demo/cdn/nginx-access.log", "--warning", "90%", "--critical", "50%"],
                    exit: .warning),
        ],
        formats: reportFormats + [.nagios],
        handler: runHits
    )

    // MARK: - why

    /// why words --top and --ratio its own way; Settings reads them by name either way.
    enum WhyOption {
        static let top = OptionSpec("top", value: "N", default: "10", help: "findings to show")
        static let minRequests = OptionSpec("min-requests", value: "N", default: "20", help: "requests a pattern needs before it is reported")
        static let ratio = OptionSpec("ratio", value: "DEFINITION", allowed: RatioDefinition.allCases.map(\.rawValue), default: "cache",
                                      help: "hit ratio definition of the summary line (see hits)")
    }

    static let why = CommandSpec(
        "why",
        summary: "why the misses: patterns behind origin traffic, with the bytes at stake",
        discussion: """
        Looks for the usual reasons for misses and names the prefix, path or extension with the \
        evidence and the origin bytes at stake (what a fix could save at most):

        query-fragmentation: one path under at least 10 distinct query strings with at least half \
        of its requests missing, with the parameters that vary most (utm_source, fbclid ...). \
        static-misses: a static-file extension (.mp4, .js, .woff2 ...) whose cacheable requests miss \
        20% of the time or more with bodies of 100 KiB or more on average. cacheable-pass: \
        PASS/BYPASS answers to GET or HEAD with a status a cache may store by default (200, 301, \
        404 ...) on static files, per path prefix (--depth). short-ttl: a path whose stored copy \
        was found expired on 10% of its requests or more (nginx EXPIRED, Cloudflare expired, \
        Squid TCP_REFRESH_MODIFIED, Traffic Server TCP_REFRESH_MISS), with its request rate and \
        how long a copy lasted; several such paths under one prefix (--depth) are one row. \
        never-hits: a prefix whose MISS and PASS requests reach --min-requests while not one \
        request was served from the cache, with its share of all MISS and PASS and the likely \
        cause the log shows (PASS/BYPASS, methods no cache stores, query strings). A pattern \
        needs --min-requests requests (default 20) to be reported.

        vary-fragmentation: a URL whose requests asked for at least 10 distinct copies (values of \
        the request headers its Vary names, or of its Cookie header where no Vary is logged) with a \
        hit ratio of 50% or less. set-cookie: a prefix whose MISS and PASS responses mostly carried \
        Set-Cookie. Both need fields no default format logs: an nginx log_format with \
        $sent_http_vary, $http_user_agent, $http_accept_encoding, $http_accept_language, \
        $upstream_http_set_cookie, $http_cookie or $cookie_NAME (--nginx-log-format); %{Vary}o, \
        %{Set-Cookie}o, %{Cookie}i, %{User-Agent}i in --apache-log-format; Fastly JSON members \
        vary, set_cookie, cookie, user_agent; CloudFront's cs(Cookie) with cookie logging on. \
        Elsewhere a note says what to add. Cookie values are secrets: only hashes of them are kept \
        and only counts are printed. Variants are followed for the first 10,000 URLs, at most 64 \
        each (shown as "more than 64"); partial files do not keep them.

        Findings are sorted by origin bytes at stake and do not change the exit status; malformed \
        lines do, as in hits (--max-malformed). why \
        reads the same inputs as hits, partial files included.
        """,
        arguments: [ArgumentSpec("LOG", help: "access logs or partial files, as for hits", repeatable: true, completion: .file)],
        options: inputOptions + countingOptions + [WhyOption.top, WhyOption.minRequests, WhyOption.ratio],
        examples: [
            Example("Why a log misses: query-string fragmentation, short TTLs, uncacheable static files",
                    ["cdn", "why", "demo/cdn/nginx-access.log"], output: Golden.nginxWhy),
        ],
        formats: reportFormats,
        handler: runWhy
    )

    // MARK: - merge

    enum MergeOption {
        static let bucket = OptionSpec("bucket", value: "DURATION", help: "time bucket of --by time (a multiple of the partials' bucket)")
    }

    static let merge = CommandSpec(
        "merge",
        summary: "combine partial results of cdn hits --partial into one report",
        discussion: """
        Reads partial files written by scalectl cdn hits --partial and prints the report one run \
        over all their inputs would give: the same counts, exactly, while every breakdown stayed \
        under --max-keys; Space-Saving sketches merge with their error bounds added. Partials must \
        have been written with the same --depth and --bucket. With --partial, the merged result is \
        written as a partial again, for merging in stages.

          # a day of rotated logs, eight at a time with GNU parallel, then one report
          ls /var/log/nginx/access.log.*.gz | parallel -j8 'scalectl cdn hits --partial parts/{/.}.scp {}'
          scalectl cdn merge parts/*.scp --by prefix --by url
          # Hadoop Streaming or a Kubernetes Job: each mapper writes its partial to stdout
          scalectl cdn hits --partial - - < shard.log > shard.scp
        """,
        arguments: [ArgumentSpec("PARTIAL", help: "partial files (.scp) written by cdn hits --partial", repeatable: true, completion: .file)],
        options: [CountingOption.maxKeys] + reportOptions + [MergeOption.bucket],
        examples: [
            Example("Merge the partial results of two machines", ["cdn", "merge", "demo/cdn/day-a.scp", "demo/cdn/day-b.scp"], output: Golden.mergedHits),
        ],
        formats: reportFormats,
        handler: runMerge
    )

    // MARK: - formats

    static let formats = CommandSpec(
        "formats",
        summary: "the log formats read and how their cache-status values map to classes",
        discussion: """
        Each format's cache-status field and values, and the class each value counts as. Values \
        not listed are counted as UNKNOWN under their own name. Suffixes _ABORTED and _TIMEDOUT \
        of Squid codes are ignored. A MISS on a method other than GET or HEAD stays a MISS but is \
        not a cacheable request for --ratio cloudfront.

        \(FormatTable.text)

        Where each format keeps the value: \(FormatTable.fields).
        """,
        arguments: [ArgumentSpec("FORMAT", help: "only this format: " + LogFormat.allCases.map(\.rawValue).joined(separator: ", "), optional: true)],
        examples: [
            Example("How nginx's $upstream_cache_status values are counted", ["cdn", "formats", "nginx"], output: Golden.nginxFormats),
        ],
        formats: reportFormats,
        handler: runFormats
    )
}

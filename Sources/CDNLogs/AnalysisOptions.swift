/// What to analyse and how: filters, breakdown settings, bounds. Values only — the CLI turns
/// flags into these, and `--since 1h` into an absolute time, so the library never reads a clock.
public struct AnalysisOptions: Sendable, Equatable {
    /// Distinct keys counted exactly per breakdown before the Space-Saving sketch takes over.
    public var maxKeys = 1_000_000
    /// Path segments in a prefix: 1 gives `/static/`, 2 `/static/img/`.
    public var depth = 1
    /// The finest time bucket kept; reports can show any multiple of it.
    public var bucketSeconds: Int64 = 60
    /// Only requests at or after `since` and before `until` (seconds since the epoch).
    public var since: Int64?
    public var until: Int64?
    /// Only these hosts (case-insensitive; a port in the log is ignored).
    public var hosts: [String] = []
    /// Only targets starting with one of these.
    public var pathPrefixes: [String] = []
    /// Worker threads; 0 means one per core.
    public var threads = 0
    /// Skip detection and use this format.
    public var format: LogFormat?
    /// The layout for nginx (`--nginx-log-format`) or Apache-style (`--apache-log-format`) logs.
    public var template: LineTemplate?
    /// CloudFront real-time logs' field list (they have no header).
    public var cloudfrontFields: [String]?
    /// How many malformed lines to keep as examples.
    public var malformedExamples = 0
    /// Bytes handed to a worker at a time. Small enough that a block is still in the shared
    /// cache when a worker parses it (8 MiB blocks were 10% slower on a 1 GB log).
    public var blockSize = 2 << 20
    /// Longer lines are skipped and counted as malformed; shorter ones are parsed whole, a
    /// block growing to hold one.
    public var maxLineBytes = 8 << 20
    /// The secret of the key tables' hash; nil draws one from the OS for each analysis, so
    /// nobody can choose URLs that collide in them. Tests fix it to show no output depends on it.
    public var hashKey: HashKey?

    public init() {}

    var filtersTime: Bool { since != nil || until != nil }
    var filters: Bool { filtersTime || !hosts.isEmpty || !pathPrefixes.isEmpty }

    /// The settings that must agree for partial results to merge.
    public var mergeKey: String {
        "depth=\(depth) bucket=\(bucketSeconds)s"
    }

    /// The filters as text, recorded in partial files.
    public var filterDescription: String {
        var parts: [String] = []
        if let since { parts.append("since \(Timestamps.iso(since))") }
        if let until { parts.append("until \(Timestamps.iso(until))") }
        if !hosts.isEmpty { parts.append("host " + hosts.joined(separator: ",")) }
        if !pathPrefixes.isEmpty { parts.append("path-prefix " + pathPrefixes.joined(separator: ",")) }
        return parts.joined(separator: "; ")
    }
}

/// The formats scalectl reads. Names are what `--log-format` takes.
public enum LogFormat: String, CaseIterable, Sendable {
    case nginx, varnish, apache, fastly, cloudfront
    case cloudfrontRealtime = "cloudfront-realtime"
    case cloudflare, akamai, squid, ats, haproxy

    public var summary: String {
        switch self {
        case .nginx: return "nginx access log with $upstream_cache_status (combined plus extra fields, or --nginx-log-format)"
        case .varnish: return "varnishncsa with %{Varnish:handling}x or %{Varnish:hitmiss}x"
        case .apache: return "Apache httpd with %{cache-status}e (mod_cache)"
        case .fastly: return "Fastly: JSON with fastly_info.state, or a common/combined line ending in it"
        case .cloudfront: return "AWS CloudFront standard log (W3C, #Fields header)"
        case .cloudfrontRealtime: return "AWS CloudFront real-time log (tab-separated, fields as configured: --cloudfront-fields)"
        case .cloudflare: return "Cloudflare Logpush http_requests (NDJSON, CacheCacheStatus)"
        case .akamai: return "Akamai DataStream 2 JSON (cacheStatus, cacheable)"
        case .squid: return "Squid native access.log"
        case .ats: return "Apache Traffic Server squid-format log"
        case .haproxy: return "HAProxy option httplog (server <CACHE>, or a captured X-Cache header)"
        }
    }

    public var vocabulary: CacheVocabulary {
        switch self {
        case .nginx: return .nginx
        case .varnish: return .varnish
        case .apache: return .apache
        case .fastly: return .fastly
        case .cloudfront, .cloudfrontRealtime: return .cloudfront
        case .cloudflare: return .cloudflare
        case .akamai: return .akamai
        case .squid: return .squid
        case .ats: return .ats
        case .haproxy: return .haproxy
        }
    }
}

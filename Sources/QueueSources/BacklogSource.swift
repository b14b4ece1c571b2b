public import QueueBacklog
public import ScaleCore
public import ScaleHTTP

/// Something backlog can poll: one or more queues, each observed as a sample per poll.
public protocol BacklogSource: AnyObject {
    /// The source as it may be shown (no secrets).
    var label: String { get }
    /// True when a poll returns cumulative counters, so a second poll gives rates.
    var hasCounters: Bool { get }
    /// One sample per queue. `now` is the local wall clock; a source with its own clock
    /// (Redis TIME) may use that instead so ages do not depend on clock skew.
    func poll(now: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)]
    /// What the last poll could not measure or had to assume, for the report's notes.
    var notes: [String] { get }
}

extension BacklogSource {
    public var notes: [String] { [] }
}

/// What every network source needs from the command line.
public struct BacklogSourceOptions {
    public init() {}

    /// The network HTTP sources use; the CLI passes its `Services` transport, tests a scripted one.
    public var transport: any HTTPTransport = HTTPClient()
    public var timeout: Double = 5
    public var environment: [String: String] = [:]
    /// `--credentials-file`: KEY=VALUE lines, read like the environment and winning over it.
    public var credentials: [String: String] = [:]
    public var layout: String = "auto"
    public var timestampField: String?
    public var oldestEnd: String = "right"
    public var match: String?
    public var metric: String?
    public var query: String?
    public var endpointURL: String?
    /// `--proxy` for the HTTP sources; nil reads them directly, whatever the environment says,
    /// unless `proxyFromEnvironment` (`--proxy-from-env`) lets libcurl take the environment's.
    public var proxy: String?
    public var proxyFromEnvironment = false

    /// The proxy route of an HTTP source's request: `--proxy`, the environment's when asked, or direct.
    func routed(_ request: HTTPRequest) -> HTTPRequest {
        var request = request
        request.proxy = proxy
        request.proxyFromEnvironment = proxyFromEnvironment
        return request
    }

    public func secret(_ name: String) -> String? {
        credentials[name] ?? environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `Basic …` (RFC 7617) for the user of the URL or `PREFIX_USER`, with `PREFIX_PASSWORD`;
    /// nil when no user is given.
    func basicAuthorization(urlUser: String?, prefix: String) -> String? {
        guard let user = urlUser ?? secret(prefix + "_USER") else { return nil }
        let password = secret(prefix + "_PASSWORD") ?? ""
        return "Basic " + PercentEncoding.base64(Array("\(user):\(password)".utf8))
    }

    /// Parses a credentials file: `NAME=value` lines, `#` comments, optional `export `.
    public static func parseCredentials(_ bytes: [UInt8], path: String) throws(ScaleError) -> [String: String] {
        var out: [String: String] = [:]
        for (n, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            var line = String(decoding: raw, as: UTF8.self).trimmingSpaces
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingSpaces }
            guard let eq = line.firstIndex(of: "="), eq != line.startIndex else {
                // Never quote the line: it may be a secret.
                throw .input("line \(n + 1) is not NAME=value", at: path, about: .credentialsFile, fix: "write one NAME=value per line")
            }
            var value = String(line[line.index(after: eq)...])
            if value.count >= 2, (value.hasPrefix("\"") && value.hasSuffix("\"")) || (value.hasPrefix("'") && value.hasSuffix("'")) {
                value = String(value.dropFirst().dropLast())
            }
            out[String(line[..<eq]).trimmingSpaces] = value
        }
        return out
    }
}

public enum BacklogSources {
    /// Whether a SOURCE argument is read over HTTP (and so may go through --proxy).
    public static func usesHTTP(_ text: String) -> Bool {
        let scheme = BacklogSourceURL.splitScheme(text)?.0.lowercased() ?? ""
        return scheme == "sqs" || scheme.hasSuffix("+http") || scheme.hasSuffix("+https")
    }

    /// Builds the source a SOURCE argument names.
    public static func make(_ text: String, options: BacklogSourceOptions) throws(ScaleError) -> any BacklogSource {
        let scheme = BacklogSourceURL.splitScheme(text)?.0.lowercased() ?? ""
        switch scheme {
        case "redis", "redis+unix":
            return try RedisQueueSource(try BacklogSourceURL.parse(text, passwordVariable: "REDISCLI_AUTH"), options: options)
        case "rabbitmq+http", "rabbitmq+https":
            return try RabbitMQQueueSource(try BacklogSourceURL.parse(text, passwordVariable: "RABBITMQ_PASSWORD"), options: options)
        case "sqs":
            return try SQSQueueSource(try BacklogSourceURL.parse(text, passwordVariable: "AWS_SECRET_ACCESS_KEY"), options: options)
        case "metrics+http", "metrics+https", "prometheus+http", "prometheus+https":
            return try PrometheusQueueSource(try BacklogSourceURL.parse(text, passwordVariable: "PROMETHEUS_PASSWORD"), options: options,
                                             metric: options.metric, query: options.query)
        default:
            throw .usage("unknown source '\(BacklogSourceURL.schemeOnly(text))'", at: "SOURCE",
                         fix: "use redis://HOST:PORT/DB/KEY, redis+unix:///PATH/TO/SOCKET/KEY rabbitmq+http://HOST:15672/VHOST/QUEUE, sqs://REGION/ACCOUNT/QUEUE, metrics+http://HOST:PORT/metrics or prometheus+http://HOST:9090; for files: scalectl backlog samples FILE")
        }
    }
}

extension BacklogSourceURL {
    /// The scheme and host only, for errors about a URL that could not be parsed (no secrets).
    static func schemeOnly(_ text: String) -> String {
        guard let (scheme, _) = splitScheme(text) else { return String(text.prefix(40)) }
        return scheme + "://…"
    }
}

import HealthProbe
import ScaleCore
import ScaleHTTP

/// Everything `scalectl probe` was asked to do, checked before anything touches the network:
/// a bad option is a usage error (64) and a bad targets file an input error (3), never a
/// half-run probe.
struct ProbeSetup {
    typealias ProbeOption = ProbeCommand.ProbeOption

    struct Watch {
        var interval: Double
        var count: Int?
        var duration: Double?
        var rise: Int
        var fall: Int
        var jitter: Double
    }

    var targets: [ProbeTarget]
    /// Later listings of a URL that was already a target.
    var repeats: [ProbeTarget]
    var requests: [HTTPRequest]
    var rules: ProbeRules
    var policy: PoolPolicy
    var concurrency: Int
    var insecure: Bool
    /// `--proxy`; nil probes the targets directly, whatever the environment says.
    var proxy: String?
    /// --proxy-from-env: libcurl takes the proxy from the environment.
    var proxyFromEnvironment: Bool
    var watch: Watch?
    /// `--deadline` in seconds, counted from `startedAt` (monotonic): when the whole run ends.
    var deadline: Double?
    /// `--deadline` as written, for notes.
    var deadlineText = ""
    var startedAt = 0.0
    /// When the run ends under --deadline (monotonic seconds).
    var deadlineAt: Double? { deadline.map { startedAt + $0 } }

    static let maxInputBytes = 16 << 20

    init(_ invocation: Invocation, console: any Console) throws(ScaleError) {
        var listed: [ProbeTarget] = []
        var readStandardInput = false
        func fromStandardInput() throws(ScaleError) -> [ProbeTarget] {
            guard !readStandardInput else { return [] }
            readStandardInput = true
            return try TargetList.parse(console.readStandardInput(limit: Self.maxInputBytes), source: "-")
        }
        for argument in invocation.positionals {
            if argument == "-" {
                listed += try fromStandardInput()
            } else {
                do { listed.append(try ProbeTarget(url: argument)) } catch { throw error.at("TARGET") }
            }
        }
        if let file = invocation.value(ProbeOption.targetsFile) {
            if file == "-" {
                listed += try fromStandardInput()
            } else {
                let parsed = try TargetList.parse(InputFile.read(file, option: "--targets-file", limit: Self.maxInputBytes, what: "targets file"), source: file)
                guard !parsed.isEmpty else { throw .input("has no targets", at: file, fix: "write one 'URL [NAME] [KEY=VALUE …]' per line") }
                listed += parsed
            }
        }
        guard !listed.isEmpty else {
            throw .usage("no targets", fix: "give URLs, --targets-file FILE, or - to read them from standard input")
        }
        (targets, repeats) = TargetList.deduplicated(listed)
        if let label = TargetList.sharedLabel(targets) {
            throw .input("\(label) is listed twice with different options, under one name", at: invocation.value(ProbeOption.targetsFile) ?? "-",
                         fix: "give each listing a NAME of its own, so their results can be told apart")
        }

        var rules = ProbeRules()
        if let text = invocation.value(ProbeOption.expectStatus) {
            do { rules.expectedStatuses = try StatusSet(parsing: text) } catch { throw error.at("--expect-status") }
        }
        if let text = invocation.value(ProbeOption.expectBody) { do { rules.expectBody = try BodyPattern(parsing: text) } catch { throw error.at("--expect-body") } }
        if let text = invocation.value(ProbeOption.failIfBody) { do { rules.failIfBody = try BodyPattern(parsing: text) } catch { throw error.at("--fail-if-body") } }
        if let text = invocation.value(ProbeOption.expectJSON) {
            do { rules.expectJSON = try JSONCheck(parsing: text) } catch { throw error.at("--expect-json") }
        }
        rules.warningSeconds = try invocation.duration(ProbeOption.warning)
        rules.criticalSeconds = try invocation.duration(ProbeOption.critical)
        if let text = invocation.value(ProbeOption.tlsMinDays) {
            (rules.tlsWarningDays, rules.tlsCriticalDays) = try Self.days(text)
        }
        self.rules = rules

        let timeout = try invocation.duration(ProbeOption.timeout) ?? 2
        let connectTimeout = try invocation.duration(ProbeOption.connectTimeout) ?? timeout
        for (option, value) in [(ProbeOption.timeout, timeout), (ProbeOption.connectTimeout, connectTimeout)] where value <= 0 || value > 3600 {
            throw .usage("'\(invocation.value(option) ?? "")' is not between 1ms and 1h", at: "--\(option.long)",
                         fix: "every probe needs a time limit; write e.g. 2s")
        }
        try Self.checkThresholds(rules, timeout: timeout, invocation)
        deadline = try invocation.duration(ProbeOption.deadline)
        deadlineText = invocation.value(ProbeOption.deadline) ?? ""
        if let deadline, deadline <= 0 || deadline > 86_400 {
            throw .usage("'\(invocation.value(ProbeOption.deadline) ?? "")' is not between 1ms and 24h", at: "--deadline",
                         fix: "give the time the whole run may take, e.g. 10s for a check that must answer within 10 seconds")
        }
        let maxBody = try invocation.size(ProbeOption.maxBody) ?? 65_536
        guard maxBody <= 64 << 20 else {
            throw .usage("'\(invocation.value(ProbeOption.maxBody) ?? "")' is more than 64MiB", at: "--max-body",
                         fix: "a health check needs only the start of a body")
        }
        let method = invocation.value(ProbeOption.method) ?? "GET"
        guard !method.isEmpty, method.utf8.allSatisfy(HTTPToken.isTokenByte) else {
            throw .usage("'\(method)' is not an HTTP method", at: "--method", fix: "write e.g. GET, HEAD or POST")
        }
        let headers = try Self.headers(invocation.all(ProbeOption.header))
        let resolve = invocation.all(ProbeOption.resolve)
        for entry in resolve where HTTPRequest.resolveEntryProblem(entry) != nil {
            throw .usage("'\(entry)' is not HOST:PORT:ADDR", at: "--resolve", fix: "write e.g. api.example.com:443:10.0.0.7")
        }
        let caFile = invocation.value(ProbeOption.cacert)
        if let caFile {
            try InputFile.requireRereadable(caFile, option: "--cacert", what: "CA file")
            _ = try InputFile.read(caFile, option: "--cacert", limit: Self.maxInputBytes, what: "CA file")
        }
        let certificate = invocation.value(ProbeOption.cert), key = invocation.value(ProbeOption.key)
        if key != nil, certificate == nil {
            throw .usage("--key needs --cert", at: "--key", fix: "give the client certificate with --cert FILE")
        }
        // Read here so a missing or unreadable file is an error naming the flag, not a TLS failure per target.
        for (path, option, what) in [(certificate, "--cert", "client certificate"), (key, "--key", "client key")] {
            guard let path else { continue }
            try InputFile.requireRereadable(path, option: option, what: what)
            _ = try InputFile.read(path, option: option, limit: Self.maxInputBytes, what: what)
        }
        if invocation.flag(ProbeOption.ipv4), invocation.flag(ProbeOption.ipv6) {
            throw .usage("-4 and -6 exclude each other", at: "-6", fix: "give one of them, or neither to use any address")
        }
        let ipVersion: HTTPRequest.IPVersion = invocation.flag(ProbeOption.ipv4) ? .v4 : (invocation.flag(ProbeOption.ipv6) ? .v6 : .any)
        insecure = invocation.flag(ProbeOption.insecure)
        let proxy = try ProxyOption.parse(invocation)
        let proxyFromEnvironment = try ProxyOption.fromEnvironment(invocation)
        self.proxyFromEnvironment = proxyFromEnvironment
        self.proxy = proxy
        let version = HTTPVersionPreference(rawValue: invocation.value(ProbeOption.httpVersion) ?? "default") ?? .default
        let follow = invocation.flag(ProbeOption.follow)
        requests = targets.map { target in
            var request = HTTPRequest(method: method, url: target.requestURL, headers: Self.headers(headers, for: target), connectTimeout: connectTimeout, totalTimeout: timeout,
                        verifyTLS: !invocation.flag(ProbeOption.insecure), caFile: caFile, followRedirects: follow, maxRedirects: 5,
                        maxBodyBytes: Int(maxBody), httpVersion: version, userAgent: "scalectl/\(ScaleCLI.version)",
                        resolve: resolve, freshConnection: true, connectOnly: !target.kind.speaksHTTP, proxy: proxy)
            request.clientCertificate = certificate
            request.clientKey = key
            request.ipVersion = ipVersion
            request.proxyFromEnvironment = proxyFromEnvironment
            return request
        }
        concurrency = try invocation.integer(ProbeOption.concurrency, range: 1...10_000) ?? 64

        var policy = PoolPolicy(poolFailThreshold: try invocation.ratio(ProbeOption.poolFailThreshold) ?? 0.5)
        if let text = invocation.value(ProbeOption.minUp) {
            policy.minUp = try Self.minUp(text, targets: targets.count)
        }
        self.policy = policy

        let watchOnly = [ProbeOption.interval, ProbeOption.count, ProbeOption.duration, ProbeOption.rise, ProbeOption.fall, ProbeOption.jitter]
        if invocation.flag(ProbeOption.watch) {
            let interval = try invocation.duration(ProbeOption.interval) ?? 2
            guard interval >= 0.01 else {
                throw .usage("'\(invocation.value(ProbeOption.interval) ?? "")' is shorter than 10ms", at: "--interval", fix: "write e.g. 2s")
            }
            let jitter = try invocation.ratio(ProbeOption.jitter) ?? 0.1
            guard jitter < 1 else { throw .usage("a jitter of 100% could probe twice at once", at: "--jitter", fix: "write at most 50%") }
            let duration = try invocation.duration(ProbeOption.duration)
            if let duration, duration <= 0 { throw .usage("the duration must be positive", at: "--duration") }
            watch = Watch(interval: interval, count: try invocation.integer(ProbeOption.count, range: 1...1_000_000),
                          duration: duration, rise: try invocation.integer(ProbeOption.rise, range: 1...100) ?? 2,
                          fall: try invocation.integer(ProbeOption.fall, range: 1...100) ?? 3, jitter: jitter)
        } else if let given = watchOnly.first(where: { invocation.has($0) })?.long {
            throw .usage("--\(given) applies only to --watch", at: "--\(given)", fix: "add --watch, or leave --\(given) out")
        }
    }

    /// `--warning` ≤ `--critical` ≤ `--timeout`: a threshold above the next could never be
    /// reached (a probe slower than --timeout fails, it is not CRITICAL).
    static func checkThresholds(_ rules: ProbeRules, timeout: Double, _ invocation: Invocation) throws(ScaleError) {
        func shown(_ option: OptionSpec, _ seconds: Double) -> String {
            "--\(option.long) \(invocation.value(option) ?? DurationUnits.human(seconds))"
        }
        if let warning = rules.warningSeconds, let critical = rules.criticalSeconds, warning > critical {
            throw .usage("\(shown(ProbeOption.warning, warning)) is above \(shown(ProbeOption.critical, critical))", at: "--warning",
                         fix: "a probe becomes WARNING before it becomes CRITICAL: give --warning a shorter duration")
        }
        for (option, value) in [(ProbeOption.critical, rules.criticalSeconds), (ProbeOption.warning, rules.warningSeconds)] {
            guard let value, value > timeout else { continue }
            throw .usage("\(shown(option, value)) is above \(shown(ProbeOption.timeout, timeout))", at: "--\(option.long)",
                         fix: "a probe slower than --timeout fails and is never judged slow: raise --timeout or lower --\(option.long)")
        }
    }

    /// `-H 'Name: value'` and `-H @file` (one header per line, # comments). A malformed value
    /// is reported without its text: it may be a credential.
    static func headers(_ values: [String]) throws(ScaleError) -> [HTTPHeader] {
        var headers: [HTTPHeader] = []
        for (index, value) in values.enumerated() {
            if value.hasPrefix("@") {
                let path = String(value.dropFirst())
                let bytes = try InputFile.read(path, option: "--header", limit: 64 << 10, what: "header file")
                // Split on bytes: as Characters, "\r\n" is one and would not split on "\n".
                for (number, raw) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
                    let line = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
                    let trimmed = String(decoding: line, as: UTF8.self).trimmingSpaces
                    if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
                    guard let header = header(trimmed) else {
                        throw .input("line is not 'Name: value'", at: "\(path):\(number + 1)", fix: "write one header per line as Name: value")
                    }
                    headers.append(header)
                }
            } else {
                guard let header = header(value) else {
                    throw .usage("the \(ordinal(index + 1)) value is not 'Name: value'", at: "--header",
                                 fix: "write -H 'Name: value', or -H @FILE to read headers from a file")
                }
                headers.append(header)
            }
        }
        return headers
    }

    private static func header(_ text: String) -> HTTPHeader? {
        HeaderField(parsing: text).map { HTTPHeader($0.name, $0.value) }
    }

    /// The run's headers with a target's own: one of the same name (case-insensitive) replaces the run's.
    static func headers(_ run: [HTTPHeader], for target: ProbeTarget) -> [HTTPHeader] {
        let own = target.options.headers
        guard !own.isEmpty else { return run }
        let replaced = Set(own.map { $0.name.lowercased() })
        return run.filter { !replaced.contains($0.name.lowercased()) } + own.map { HTTPHeader($0.name, $0.value) }
    }

    /// One judge per target: the run's rules, with a target's own checks in their place.
    func judges() -> [ProbeJudge] {
        let shared = rules.judge()
        return targets.map { $0.options.isEmpty ? shared : $0.options.applied(to: rules).judge() }
    }

    private static func ordinal(_ n: Int) -> String {
        switch n % 10 == 1 && n % 100 != 11 ? 1 : n % 10 == 2 && n % 100 != 12 ? 2 : n % 10 == 3 && n % 100 != 13 ? 3 : 0 {
        case 1: return "\(n)st"
        case 2: return "\(n)nd"
        case 3: return "\(n)rd"
        default: return "\(n)th"
        }
    }

    /// `--tls-min-days 14` or `14,7`: days below which an expiring certificate is WARNING, CRITICAL.
    static func days(_ text: String) throws(ScaleError) -> (Double, Double?) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double(String($0).trimmingSpaces) }
        guard (1...2).contains(parts.count), let warning = parts[0], warning >= 0, warning.isFinite,
              parts.count == 1 || (parts[1].map { $0 >= 0 && $0 <= warning } ?? false) else {
            throw .usage("'\(text)' is not W or W,C days with C at most W", at: "--tls-min-days", fix: "write e.g. 14 or 30,7")
        }
        return (warning, parts.count == 2 ? parts[1] : nil)
    }

    /// `--min-up 3` (targets) or `--min-up 75%` (of the targets, rounded up).
    static func minUp(_ text: String, targets: Int) throws(ScaleError) -> Int {
        if text.hasSuffix("%") {
            do {
                let share = try RatioUnits.parse(text)
                return Int((share * Double(targets) - 1e-9).rounded(.up))
            } catch { throw error.at("--min-up") }
        }
        guard let count = Int(text.trimmingSpaces), count >= 0 else {
            throw .usage("'\(text)' is not a number of targets or a percentage", at: "--min-up", fix: "write e.g. 3 or 75%")
        }
        return count
    }
}

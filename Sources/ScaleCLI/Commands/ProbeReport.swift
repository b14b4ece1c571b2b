import HealthProbe
import ScaleCore

/// The fields of `scalectl probe` and how a probe fills them: one list for every format, so
/// a name means the same in the table, JSON, CSV, ndjson events and prometheus. Prometheus
/// names follow blackbox_exporter where it has one.
enum ProbeReport {
    static let command = "probe"

    static func phase(_ name: String, _ title: String, _ phase: String, inTable: Bool = true) -> Field {
        Field(name, .latency, title: title, help: "Duration of http request by phase, summed over all redirects.",
              prometheus: .metric("probe_http_duration_seconds", labels: [MetricLabel("phase", phase)]), inTable: inTable)
    }

    static let target = Field("target", .text, help: "The target's name, or its URL with any password as ***.")
    static let url = Field("url", .text, help: "The URL probed, with any password as ***.", inTable: false)
    static let state = Field("state", .status, help: "UP, DOWN or UNKNOWN by --rise and --fall.", prometheus: .omitted)
    static let verdict = Field("verdict", .status, help: "UP or DOWN: the last probe.", prometheus: .omitted)

    static let probeFields: [Field] = [
        Field("status", .status, help: "OK, WARNING or CRITICAL.", prometheus: .omitted, inTable: false),
        Field("reason", .text, help: "Why the target is down or not OK.", prometheus: .omitted),
        Field("status_code", .integer, title: "CODE", help: "Response HTTP status code.", prometheus: .metric("probe_http_status_code")),
        phase("dns_seconds", "DNS", "resolve"),
        phase("connect_seconds", "CONNECT", "connect"),
        phase("tls_seconds", "TLS", "tls"),
        phase("first_byte_seconds", "FIRST BYTE", "processing"),
        phase("transfer_seconds", "TRANSFER", "transfer", inTable: false),
        Field("total_seconds", .latency, title: "TOTAL", help: "Returns how long the probe took to complete in seconds.",
              prometheus: .metric("probe_duration_seconds")),
        Field("bytes", .bytes, help: "Body bytes received (at most --max-body)."),
        Field("remote_ip", .text, help: "The address connected to.", prometheus: .omitted),
        // In prometheus the expiry itself (probe_ssl_earliest_cert_expiry) says it, in base units.
        Field("tls_days_left", .number(places: 1), title: "TLS DAYS", help: "Days until the earliest certificate of the chain expires.",
              prometheus: .omitted),
        Field("cert_expiry_epoch_seconds", .integer, help: "Returns last SSL chain expiry in unixtime.",
              prometheus: .metric("probe_ssl_earliest_cert_expiry"), inTable: false),
        Field("redirects", .integer, help: "The number of redirects.", prometheus: .metric("probe_http_redirects"), inTable: false),
        Field("http_version", .text, help: "The HTTP version spoken.", prometheus: .omitted, inTable: false),
        Field("success", .bool, help: "Displays whether or not the probe was a success.",
              prometheus: .metric("probe_success"), inTable: false),
        Field("error", .text, help: "The transport's own words for a failure.", prometheus: .omitted, inTable: false),
    ]

    static let watchFields: [Field] = [
        Field("probes", .integer, help: "Probes of this target so far."),
        Field("failures", .integer, help: "Probes of this target that failed."),
        Field("transitions", .integer, title: "CHANGES", help: "State changes of this target."),
        Field("downtime_seconds", .duration, title: "DOWNTIME",
              help: "Seconds its probes failed: each run of failures from the first failed probe to the next that passed (or the end)."),
        Field("up_seconds", .duration, title: "TIME UP", help: "Seconds this target was UP (by --rise and --fall).", inTable: false),
        Field("down_seconds", .duration, title: "TIME DOWN", help: "Seconds this target was DOWN (by --rise and --fall).", inTable: false),
        Field("unknown_seconds", .duration, title: "TIME UNKNOWN", help: "Seconds this target was UNKNOWN: from the start until --rise or --fall decided.",
              inTable: false),
        Field("last_change", .text, title: "SINCE", help: "When the state last changed (UTC).", prometheus: .omitted, inTable: false),
    ]

    static let roundFields = [target, url, verdict] + probeFields
    /// The final table of a watch is about states: the phases of the last probe stay in the
    /// machine formats but leave the table room for the counters.
    /// Its `status` is the worst the target had during the watch, not only at its end.
    static let watchResultFields = [target, url, state, verdict]
        + probeFields.map { field in
            var field = field
            if ["dns_seconds", "connect_seconds", "tls_seconds", "first_byte_seconds", "bytes", "remote_ip"].contains(field.name) {
                field.inTable = false
            }
            if field.name == "status" {
                field.help = "OK, WARNING, CRITICAL or UNKNOWN: the worst this target was during the watch (UNKNOWN only if never decided)."
            }
            return field
        }
        + watchFields

    static let latencySummaryFields: [Field] = [
        Field("p50_seconds", .latency, title: "P50", help: "Median total time of the probes that got an answer (nearest rank)."),
        Field("p90_seconds", .latency, title: "P90", help: "90th percentile total time (nearest rank)."),
        Field("p99_seconds", .latency, title: "P99", help: "99th percentile total time (nearest rank)."),
        Field("max_seconds", .latency, title: "MAX", help: "Slowest total time."),
    ]

    static let roundSummaryFields: [Field] = [
        Field("targets", .integer), Field("up", .integer), Field("down", .integer),
        Field("status", .status, prometheus: .omitted),
        Field("pool_failure", .bool, help: "Whether more than --pool-fail-threshold of the targets failed together."),
    ] + latencySummaryFields

    static let watchSummaryFields: [Field] = [
        Field("targets", .integer), Field("up", .integer), Field("down", .integer), Field("unknown", .integer),
        Field("status", .status, help: "The exit status: the worst status of any target during the watch.", prometheus: .omitted),
        Field("final_status", .status, help: "The status judged on the states at the end of the watch only.", prometheus: .omitted),
        Field("rounds", .integer, help: "Rounds every target completed."),
        Field("pool_failure_rounds", .integer, help: "Rounds in which more than --pool-fail-threshold of the targets failed."),
    ] + latencySummaryFields + [Field("elapsed_seconds", .duration, title: "ELAPSED", help: "How long the watch ran.")]

    /// The values of `probeFields` for one probe.
    static func probeValues(_ target: ProbeTarget, _ sample: ProbeSample, _ verdict: ProbeVerdict, status: ExitCode) -> [Value] {
        let isTCP = target.kind == .tcp
        let t = sample.timings
        var response: ProbeResponse?
        var failure: ProbeFailure?
        switch sample.outcome {
        case .response(let r): response = r
        case .failure(let f): failure = f
        }
        // A phase the probe never reached, or that does not exist for it, is null, not 0.
        func phase(_ seconds: Double, applies: Bool = true) -> Value {
            guard applies else { return .null }
            if failure != nil && seconds == 0 { return .null }
            return .number(seconds)
        }
        return [
            .text(status.description),
            verdict.reason.map(Value.text) ?? .null,
            response.flatMap { isTCP ? nil : Value.int($0.status) } ?? .null,
            phase(t.dns),
            phase(t.connect),
            phase(t.tls, applies: target.kind == .https),
            phase(t.firstByte, applies: !isTCP),
            phase(t.transfer, applies: !isTCP),
            // A request refused before libcurl ran (invalid_request) took no measurable time.
            phase(t.total),
            response.flatMap { isTCP ? nil : Value.int($0.bytes) } ?? .null,
            response.flatMap { $0.remoteIP.isEmpty ? nil : Value.text($0.remoteIP) } ?? .null,
            verdict.tlsDaysLeft.map(Value.number) ?? .null,
            response?.certificateExpiry.map { Value.integer(Int64($0)) } ?? .null,
            response.flatMap { isTCP ? nil : Value.int($0.redirects) } ?? .null,
            response.flatMap { $0.httpVersion.isEmpty ? nil : Value.text($0.httpVersion) } ?? .null,
            .bool(verdict.up),
            failure.map { Value.text($0.message) } ?? .null,
        ]
    }

    static func latencyValues(_ summary: LatencySummary) -> [Value] {
        [summary.p50, summary.p90, summary.p99, summary.max].map { $0.map(Value.number) ?? .null }
    }

    /// The total time of a probe that got an answer; failures are left out of percentiles.
    static func answeredLatency(_ sample: ProbeSample) -> Double? {
        if case .response(let response) = sample.outcome { return response.timings.total }
        return nil
    }

    static func notes(_ setup: ProbeSetup, environment: [String: String], poolFailure: (down: Int, targets: Int)?) -> [String] {
        let policy = setup.policy
        var notes: [String] = []
        if let (down, targets) = poolFailure {
            notes.append("pool failure: \(down) of \(targets) targets (\(Format.percent(Double(down) / Double(targets), places: 0))) failed in the same round, more than --pool-fail-threshold \(Format.percent(policy.poolFailThreshold, places: 0)): suspect a shared dependency (DNS, the network, a database) or the health check itself before the targets")
        }
        if setup.insecure { notes.append("TLS verification is off (--insecure)") }
        notes += ProxyOption.notes(proxy: setup.proxy, environment: environment)
        return notes
    }
}

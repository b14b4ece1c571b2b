import HealthProbe
import ScaleCore

/// The columns of `scalectl probe` and how a probe fills them: one list for every format, so
/// a name means the same in the table, JSON, CSV, ndjson events and prometheus. Prometheus
/// names follow blackbox_exporter where it has one.
enum ProbeReport {
    static let command = "probe"

    /// A target as a report shows it: its last probe (none yet early in a watch) and the status
    /// it earned — a round's assessment, the worst of a watch, or a probe event's own.
    struct Row {
        var target: ProbeTarget
        var last: (sample: ProbeSample, verdict: ProbeVerdict)?
        var status: ExitCode
        /// Why a round has no verdict on the target (`--deadline`): UNKNOWN, with this as the reason.
        var unmeasured: String? = nil

        /// Why the target is down or not OK: the verdict's reason, or why nothing was measured.
        var reason: String? { last?.verdict.reason ?? unmeasured }

        var response: ProbeResponse? {
            if case .response(let response)? = last?.sample.outcome { return response }
            return nil
        }

        var failure: ProbeFailure? {
            if case .failure(let failure)? = last?.sample.outcome { return failure }
            return nil
        }

        /// The address the response came from or the failed probe reached, else the one the
        /// target is pinned to.
        var remoteIP: String? {
            let reached = response?.remoteIP ?? failure?.remoteIP ?? ""
            return reached.isEmpty ? target.address : reached
        }

        /// A figure of the HTTP response; TCP has none.
        func http<T>(_ value: (ProbeResponse) -> T) -> T? {
            target.kind.speaksHTTP ? response.map(value) : nil
        }

        /// A phase the probe never reached, or that does not exist for it, is null, not 0.
        func phase(_ seconds: (PhaseTimings) -> Double, applies: Bool = true) -> Double? {
            guard applies, let timings = last?.sample.timings else { return nil }
            let value = seconds(timings)
            return failure != nil && value == 0 ? nil : value
        }
    }

    static func phase(_ name: String, _ title: String, _ phase: String, inTable: Bool = true,
                      _ value: @escaping @Sendable (Row) -> Double?) -> Column<Row> {
        Column(name, .latency, title: title, help: "Duration of http request by phase, summed over all redirects.",
               prometheus: .metric("probe_http_duration_seconds", labels: [MetricLabel("phase", phase)]), inTable: inTable, value)
    }

    /// Who the target is: every row and event about a target starts with these.
    static let targetColumns: [Column<ProbeTarget>] = [
        {
            // Targets on one host differ at the end of their URLs: a narrow table keeps both ends.
            var column = Column<ProbeTarget>("target", .text, help: "The target's name, or its URL with any password as ***.", \.label)
            column.field.cut = .middle
            return column
        }(),
        Column("url", .text, help: "The URL probed, with any password as ***.", inTable: false, \.displayURL),
    ]
    static let verdict = Column<Row>("verdict", .status, help: "UP or DOWN: the last probe; UNKNOWN when --deadline left nothing measured.",
                                     prometheus: .omitted) { row in
        row.last.map { $0.verdict.up ? "UP" : "DOWN" } ?? row.unmeasured.map { _ in "UNKNOWN" }
    }
    /// Beside the verdict, so a row never reads UP while the run is CRITICAL or WARNING because of it.
    static let status = Column<Row>("status", .status, help: "OK, WARNING or CRITICAL.", prometheus: .omitted, \.status.description)

    /// What the last probe measured.
    static let measured: [Column<Row>] = [
        Column("reason", .text, help: "Why the target is down or not OK.", prometheus: .omitted) { $0.reason },
        Column("status_code", .integer, title: "CODE", help: "Response HTTP status code.", prometheus: .metric("probe_http_status_code")) {
            $0.http(\.status)
        },
        phase("dns_seconds", "DNS", "resolve") { $0.phase(\.dns) },
        phase("connect_seconds", "CONNECT", "connect") { $0.phase(\.connect) },
        phase("tls_seconds", "TLS", "tls") { $0.phase(\.tls, applies: $0.target.kind.usesTLS) },
        phase("first_byte_seconds", "FIRST BYTE", "processing") { $0.phase(\.firstByte, applies: $0.target.kind.speaksHTTP) },
        phase("transfer_seconds", "TRANSFER", "transfer", inTable: false) { $0.phase(\.transfer, applies: $0.target.kind.speaksHTTP) },
        // A request refused before libcurl ran (invalid_request) took no measurable time.
        Column("total_seconds", .latency, title: "TOTAL", help: "Returns how long the probe took to complete in seconds.",
               prometheus: .metric("probe_duration_seconds")) { $0.phase(\.total) },
        Column("bytes", .bytes, help: "Body bytes received (at most --max-body).") { $0.http(\.bytes) },
        Column("remote_ip", .text, help: "The address connected to (with --all-addresses, the one tried).", prometheus: .omitted, \.remoteIP),
        Column("ip_protocol", .integer, help: "Specifies whether probe ip protocol is IP4 or IP6",
               prometheus: .metric("probe_ip_protocol"), inTable: false) { row in
            row.remoteIP.map { Int64($0.contains(":") ? 6 : 4) }
        },
        // Whether the final response came over TLS: the scheme when nothing redirected, else
        // whether a certificate was presented.
        Column("http_ssl", .bool, help: "Indicates if SSL was used for the final redirect",
               prometheus: .metric("probe_http_ssl"), inTable: false) { row in
            row.http { $0.redirects == 0 ? row.target.kind == .https : $0.certificateExpiry != nil }
        },
        // In prometheus the expiry itself (probe_ssl_earliest_cert_expiry) says it, in base units.
        Column("tls_days_left", .number(places: 1), title: "TLS DAYS", help: "Days until the earliest certificate of the chain expires.",
               prometheus: .omitted, \.last?.verdict.tlsDaysLeft),
        Column("cert_expiry_epoch_seconds", .integer, help: "Returns last SSL chain expiry in unixtime.",
               prometheus: .metric("probe_ssl_earliest_cert_expiry"), inTable: false) { $0.response?.certificateExpiry.map { Int64($0) } },
        Column("redirects", .integer, help: "The number of redirects.", prometheus: .metric("probe_http_redirects"), inTable: false) {
            $0.http(\.redirects)
        },
        Column("http_version", .text, help: "The HTTP version spoken.", prometheus: .omitted, inTable: false) {
            $0.response.flatMap { $0.httpVersion.isEmpty ? nil : $0.httpVersion }
        },
        Column("success", .bool, help: "Displays whether or not the probe was a success.",
               prometheus: .metric("probe_success"), inTable: false, \.last?.verdict.up),
        Column("error", .text, help: "The transport's own words for a failure.", prometheus: .omitted, inTable: false, \.failure?.message),
    ]

    static let roundColumns = targetColumns.map { $0.reading(\Row.target) } + [verdict, status] + measured

    static let latencyColumns: [Column<LatencySummary>] = [
        Column("p50_seconds", .latency, title: "P50", help: "Median total time of the probes that got an answer (nearest rank).", \.p50),
        Column("p90_seconds", .latency, title: "P90", help: "90th percentile total time (nearest rank).", \.p90),
        Column("p99_seconds", .latency, title: "P99", help: "99th percentile total time (nearest rank).", \.p99),
        Column("max_seconds", .latency, title: "MAX", help: "Slowest total time.", \.max),
    ]

    /// A round as a whole.
    struct RoundSummary {
        var assessment: PoolAssessment
        var latency: LatencySummary
    }

    static let roundSummaryColumns: [Column<RoundSummary>] = [
        Column("targets", .integer, \.assessment.statuses.count),
        Column("up", .integer, \.assessment.up),
        Column("down", .integer, \.assessment.down),
        Column("status", .status, prometheus: .omitted, \.assessment.status.description),
        Column("pool_failure", .bool, help: "Whether more than --pool-fail-threshold of the targets failed together.", \.assessment.poolFailure),
    ] + latencyColumns.map { $0.reading(\RoundSummary.latency) }

    /// `-o nagios`: `9 of 14 down: api-3 refused, …` (then the slow ones), the summary figures
    /// and each target's total time held to --warning and --critical.
    static func check(_ rows: [Row], status: ExitCode, rules: ProbeRules, policy: PoolPolicy) -> CheckOutcome {
        func named(_ row: Row) -> String {
            [row.target.label, row.reason].compactMap { $0 }.joined(separator: " ")
        }
        let down = rows.filter { $0.last?.verdict.up == false }
        let other = rows.filter { $0.last?.verdict.up != false && $0.status != .ok }
        var parts: [String] = []
        if !down.isEmpty { parts.append("\(down.count) of \(rows.count) down: " + CheckHeadline.list(down.map(named))) }
        if !other.isEmpty { parts.append("\(other.count) not OK: " + CheckHeadline.list(other.map(named))) }
        if down.isEmpty { parts.insert("\(rows.count - rows.filter { $0.last == nil }.count) of \(rows.count) up", at: 0) }
        let limits = PerfThresholds.above(warning: rules.warningSeconds, critical: rules.criticalSeconds)
        let perTarget = rows.map { row in
            PerfDatum(row.target.label + " total_seconds", row.phase(\.total), unit: "s", thresholds: limits, min: 0)
        }
        return CheckOutcome(status: status, headline: parts.joined(separator: "; "),
                            thresholds: ["down": downThresholds(targets: rows.count, policy: policy)], perfdata: perTarget)
    }

    /// The `down` figure's ranges as the status is decided (PoolPolicy): any target down is
    /// CRITICAL, or with --min-up M of T targets WARNING while down ≤ T − M and CRITICAL beyond.
    /// A bare limit N alerts above N, so a consumer reading the perfdata derives the same state.
    static func downThresholds(targets: Int, policy: PoolPolicy) -> PerfThresholds {
        guard let minUp = policy.minUp else { return PerfThresholds(critical: "0") }
        return PerfThresholds(warning: "0", critical: String(max(0, targets - minUp)))
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
        notes += ProxyOption.notes(proxy: setup.proxy, environment: environment, fromEnvironment: setup.proxyFromEnvironment)
        return notes
    }
}

extension ProbeJudge {
    /// The verdict with the parameters its reason names written as the flags that set them.
    func verdictNamingFlags(on sample: ProbeSample, kind: ProbeTarget.Kind, nowEpochSeconds: Double) -> ProbeVerdict {
        var verdict = verdict(on: sample, kind: kind, nowEpochSeconds: nowEpochSeconds)
        verdict.reason = verdict.reason.map(ParameterFlags.text)
        return verdict
    }
}

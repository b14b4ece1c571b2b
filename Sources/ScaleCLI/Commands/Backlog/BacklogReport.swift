import QueueBacklog
import ScaleCore

/// Turns queue analyses into the one report every backlog source prints, so a RabbitMQ queue,
/// a Redis stream and a replayed CSV read the same in every format.
struct BacklogChecks {
    var warning = BacklogThresholds()
    var critical = BacklogThresholds()
    var limits = BacklogLimits()

    static func from(_ invocation: Invocation) throws(ScaleError) -> BacklogChecks {
        var checks = BacklogChecks()
        for text in invocation.all(BacklogReport.QueueOption.warning) {
            do { checks.warning = try checks.warning.merging(text) } catch { throw error.at("--warning") }
        }
        for text in invocation.all(BacklogReport.QueueOption.critical) {
            do { checks.critical = try checks.critical.merging(text) } catch { throw error.at("--critical") }
        }
        // kafka-lag judges lag alone: it takes neither --max-depth nor --max-age.
        guard invocation.spec.declares(BacklogReport.QueueOption.maxDepth) else { return checks }
        if let text = invocation.value(BacklogReport.QueueOption.maxDepth) {
            guard let depth = Double(text), depth.isFinite, depth >= 0 else {
                throw .usage("'\(text)' is not a message count", at: "--max-depth", fix: "write a whole number such as 100000")
            }
            checks.limits.maxDepth = depth
        }
        checks.limits.maxAgeSeconds = try invocation.duration(BacklogReport.QueueOption.maxAge)
        if let deadline = try invocation.duration(BacklogReport.QueueOption.drainBy) {
            guard deadline > 0 else { throw .usage("must be more than 0", at: "--drain-by", fix: "give the time the backlog must be gone in, e.g. 30m") }
            checks.limits.drainBySeconds = deadline
        }
        return checks
    }

    var policy: BacklogPolicy { BacklogPolicy(warning: warning, critical: critical) }
}

/// One queue to print: its name, what was worked out, its check, and whether it is a DLQ.
struct QueueResult {
    var queue: String
    var role: String = "queue"
    var analysis: BacklogAnalysis
    var check: ExitCode

    /// Seconds until empty at the current rates, +Inf when not draining; nil when no rate was
    /// measured (an empty queue needs none).
    var drainSeconds: Double? {
        guard analysis.rateSource != .none || analysis.depth == 0 else { return nil }
        return analysis.drainSeconds ?? .infinity
    }

    /// When the queue is empty at the current rates (UTC); nil when it is not draining.
    var drainsAt: String? {
        guard analysis.rateSource != .none || analysis.depth == 0, let seconds = analysis.drainSeconds else { return nil }
        return Timestamp.format(analysis.time + seconds)
    }
}

enum BacklogReport {
    /// The limits of every command that judges queues; BacklogChecks reads them.
    enum QueueOption {
        static let maxDepth = OptionSpec("max-depth", value: "N", help: "report the time until the depth exceeds N at the current growth")
        static let maxAge = OptionSpec("max-age", value: "DURATION", help: "report the time until the oldest message is older than DURATION")
        static let drainBy = OptionSpec("drain-by", value: "DURATION",
                                        help: "report how many consumers, at the measured rate per consumer, empty the backlog within DURATION")
        static let warning = OptionSpec("warning", value: "LIMITS", repeatable: true,
                                        help: "exit 1 when a limit is exceeded: depth=N, age=DURATION, drain=DURATION (comma-separated, repeatable)")
        static let critical = OptionSpec("critical", value: "LIMITS", repeatable: true,
                                         help: "exit 2 when a limit is exceeded: depth=N, age=DURATION, drain=DURATION (comma-separated, repeatable)")
    }

    static let optionsForQueues: [OptionSpec] = [QueueOption.maxDepth, QueueOption.maxAge, QueueOption.drainBy, QueueOption.warning, QueueOption.critical]

    static func columns(limits: BacklogLimits, format: OutputFormat, results: [QueueResult]) -> [Column<QueueResult>] {
        var columns: [Column<QueueResult>] = [
            Column("queue", .text, \.queue),
            Column("role", .text, help: "queue, or dlq for a dead-letter queue given with --dlq", \.role),
            Column("status", .status, help: "OK, GROWING, DRAINING, STALLED (messages wait, none deleted) or IDLE (no consumers)",
                   \.analysis.status.rawValue),
            Column("check", .status, help: "the thresholds' verdict: OK, WARNING or CRITICAL", \.check.description),
            Column("depth", .integer, help: "messages waiting at the latest sample") { Value.count($0.analysis.depth) },
            Column("arrival_per_second", .number(places: 2), title: "IN/S", help: "arrival rate lambda from the arrived counter",
                   \.analysis.arrivalRate),
            Column("deletion_per_second", .number(places: 2), title: "OUT/S", help: "deletion rate mu from the deleted counter",
                   \.analysis.deletionRate),
            Column("growth_per_second", .number(places: 2), title: "GROWTH/S", help: "least-squares slope of depth over the window",
                   \.analysis.growthRate),
            Column("rate_source", .text, title: "RATES", help: "counters, depth (slope of depth only) or none (one sample)",
                   \.analysis.rateSource.rawValue),
            Column("drain_seconds", .duration, title: "DRAIN", help: "depth / (mu - lambda); +Inf when not draining", \.drainSeconds),
        ]
        if format != .prometheus {
            // A changing timestamp would be a new label (a new series) every scrape.
            columns.append(Column("drains_at", .text, title: "EMPTY AT", help: "when the queue is empty at the current rates (UTC)", \.drainsAt))
        }
        columns += [
            Column("oldest_age_seconds", .duration, title: "OLDEST", help: "age of the oldest message: the broker's, or depth / lambda",
                   \.analysis.oldestAgeSeconds),
            Column("oldest_age_estimated", .bool, title: "EST", help: "true when the oldest age is Little's estimate depth / lambda") {
                $0.analysis.oldestAgeSeconds == nil ? nil : $0.analysis.oldestAgeEstimated
            },
            Column("oldest_unacked_age_seconds", .duration, title: "OLDEST UNACKED",
                   help: "age of the oldest message delivered but not acknowledged (Redis streams' oldest pending entry)",
                   \.analysis.oldestUnackedAgeSeconds),
            Column("wait_seconds", .duration, title: "WAIT", help: "Little's law: a message arriving now waits depth / mu", \.analysis.waitSeconds),
        ]
        // A limit's columns appear when the user set it or a broker reported one.
        if limits.maxDepth != nil || results.contains(where: { $0.analysis.maxDepth != nil }) {
            columns += [
                Column("max_depth", .integer, help: "the depth limit: the lower of --max-depth and the broker's max-length") {
                    $0.analysis.maxDepth.map { Value.count($0.value) }
                },
                Column("max_depth_source", .text, title: "MAX DEPTH FROM", help: "--max-depth, x-max-length (queue argument) or policy max-length") {
                    $0.analysis.maxDepth.map { ParameterFlags.text($0.source) }
                },
                Column("time_to_max_depth_seconds", .duration, title: "TO MAX DEPTH", help: "time until depth exceeds max_depth at the current growth",
                       \.analysis.timeToMaxDepthSeconds),
            ]
        }
        if limits.maxAgeSeconds != nil || results.contains(where: { $0.analysis.maxAge != nil }) {
            columns += [
                Column("max_age_seconds", .duration, title: "MAX AGE", help: "the age limit: the lower of --max-age and the broker's message TTL") {
                    $0.analysis.maxAge?.value
                },
                Column("max_age_source", .text, title: "MAX AGE FROM", help: "--max-age, x-message-ttl (queue argument) or policy message-ttl") {
                    $0.analysis.maxAge.map { ParameterFlags.text($0.source) }
                },
                Column("time_to_max_age_seconds", .duration, title: "TO MAX AGE", help: "time until the oldest message is older than max_age_seconds",
                       \.analysis.timeToMaxAgeSeconds),
            ]
        }
        columns += [
            Column("consumers", .integer, \.analysis.consumers),
            Column("per_consumer_per_second", .number(places: 2), title: "OUT/S/CONSUMER", help: "deletion rate mu / consumers",
                   \.analysis.perConsumerRate),
            Column("consumers_needed", .integer, title: "NEEDED", help: "consumers that keep up: ceil(lambda / per-consumer rate)") {
                $0.analysis.consumersNeeded.map { n in Value.count(n) }
            },
        ]
        if let deadline = limits.drainBySeconds {
            columns += [
                Column("drain_by_seconds", .duration, title: "DRAIN BY", help: "the --drain-by deadline") { _ in deadline },
                Column("consumers_needed_to_drain", .integer, title: "NEEDED BY",
                       help: "consumers that empty the queue by the deadline: ceil((lambda + depth / deadline) / per-consumer rate)") {
                    $0.analysis.consumersNeededToDrain.map { n in Value.count(n) }
                },
            ]
        }
        columns += [
            Column("window_seconds", .duration, title: "WINDOW", help: "span of the samples analysed", \.analysis.windowSeconds),
            Column("samples", .integer, \.analysis.sampleCount),
        ]
        return columns
    }

    /// The queues together, and the worst check.
    struct Summary {
        var results: [QueueResult]
        var check: ExitCode
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("queues", .integer, \.results.count),
        Column("total_depth", .integer) { $0.results.isEmpty ? nil : Value.count($0.results.reduce(0) { $0 + $1.analysis.depth }) },
        Column("check", .status, \.check.description),
    ]

    /// The report and the exit status (the worst check).
    /// `roundTime` dates a watch's rows: json, ndjson and csv carry it as `time` (a table shows
    /// the round in its header; Prometheus stamps samples itself).
    static func make(_ results: [QueueResult], command: String, limits: BacklogLimits, format: OutputFormat,
                     extraNotes: [String] = [], failed: Bool = false, roundTime: Double? = nil) -> (Report, ExitCode) {
        var columns = columns(limits: limits, format: format, results: results)
        if let stamp = roundTime.flatMap({ [.json, .ndjson, .csv].contains(format) ? Timestamp.format($0) : nil }) {
            columns.insert(Column("time", .text, help: "when the round's poll began (UTC)") { _ in stamp }, at: 0)
        }
        var worst = results.reduce(ExitCode.ok) { $0.worse($1.check) }
        // A source that could not be read makes the run UNKNOWN at least.
        if failed { worst = worst.worse(.unknown) }
        var notes = extraNotes
        // Nothing measured is not an empty, healthy backlog: a typo in --match reads like this.
        if results.isEmpty, !failed {
            worst = worst.worse(.unknown)
            notes.append("no queue matched: the sources answered, but no queue or series matched; check the URL's queue, --match, --metric or --query")
        }
        if results.contains(where: { $0.analysis.rateSource == .depth }) {
            notes.append("rates from depth change only (no counters): arrivals and deletions cannot be told apart")
        }
        if results.contains(where: { $0.analysis.oldestAgeEstimated }) {
            notes.append("oldest age estimated by Little's law (depth / arrival rate): the broker gave none")
        }
        // A dead-letter queue is not meant to be consumed: no capacity question there.
        let unknown = results.filter { $0.role == "queue" && $0.analysis.capacityGap != nil }
        for (reason, queues) in Dictionary(grouping: unknown, by: { $0.analysis.capacityGap!.reason }).sorted(by: { $0.key < $1.key }) {
            notes.append("consumers needed unknown for \(queues.map(\.queue).joined(separator: ", ")): \(reason)")
        }
        var report = Report(command: command, columns: columns, rows: results, summaryColumns: summaryColumns,
                            summary: Summary(results: results, check: worst), notes: notes)
        report.check = CheckOutcome(status: worst, headline: CheckHeadline.rows(report, status: worst, noun: "queues", state: "check", names: ["queue"]))
        return (report, worst)
    }
}

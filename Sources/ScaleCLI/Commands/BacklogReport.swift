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
}

enum BacklogReport {
    /// The limits of every command that judges queues; BacklogChecks reads them.
    enum QueueOption {
        static let maxDepth = OptionSpec("max-depth", value: "N", help: "report the time until the depth exceeds N at the current growth")
        static let maxAge = OptionSpec("max-age", value: "DURATION", help: "report the time until the oldest message is older than DURATION")
        static let warning = OptionSpec("warning", value: "LIMITS", repeatable: true,
                                        help: "exit 1 when a limit is exceeded: depth=N, age=DURATION, drain=DURATION (comma-separated, repeatable)")
        static let critical = OptionSpec("critical", value: "LIMITS", repeatable: true,
                                         help: "exit 2 when a limit is exceeded: depth=N, age=DURATION, drain=DURATION (comma-separated, repeatable)")
    }

    static let optionsForQueues: [OptionSpec] = [QueueOption.maxDepth, QueueOption.maxAge, QueueOption.warning, QueueOption.critical]

    static func fields(limits: BacklogLimits, format: OutputFormat) -> [Field] {
        var fields = [
            Field("queue", .text),
            Field("role", .text, help: "queue, or dlq for a dead-letter queue given with --dlq"),
            Field("status", .status, help: "OK, GROWING, DRAINING, STALLED (messages wait, none deleted) or IDLE (no consumers)"),
            Field("check", .status, help: "the thresholds' verdict: OK, WARNING or CRITICAL"),
            Field("depth", .integer, help: "messages waiting at the latest sample"),
            Field("arrival_per_second", .number(places: 2), title: "IN/S", help: "arrival rate lambda from the arrived counter"),
            Field("deletion_per_second", .number(places: 2), title: "OUT/S", help: "deletion rate mu from the deleted counter"),
            Field("growth_per_second", .number(places: 2), title: "GROWTH/S", help: "least-squares slope of depth over the window"),
            Field("rate_source", .text, title: "RATES", help: "counters, depth (slope of depth only) or none (one sample)"),
            Field("drain_seconds", .duration, title: "DRAIN", help: "depth / (mu - lambda); +Inf when not draining"),
        ]
        if format != .prometheus {
            // A changing timestamp would be a new label (a new series) every scrape.
            fields.append(Field("drains_at", .text, title: "EMPTY AT", help: "when the queue is empty at the current rates (UTC)"))
        }
        fields += [
            Field("oldest_age_seconds", .duration, title: "OLDEST", help: "age of the oldest message: the broker's, or depth / lambda"),
            Field("oldest_age_estimated", .bool, title: "EST", help: "true when the oldest age is Little's estimate depth / lambda"),
            Field("oldest_unacked_age_seconds", .duration, title: "OLDEST UNACKED",
                  help: "age of the oldest message delivered but not acknowledged (Redis streams' oldest pending entry)"),
            Field("wait_seconds", .duration, title: "WAIT", help: "Little's law: a message arriving now waits depth / mu"),
        ]
        if limits.maxDepth != nil {
            fields.append(Field("time_to_max_depth_seconds", .duration, title: "TO MAX DEPTH", help: "time until depth exceeds --max-depth"))
        }
        if limits.maxAgeSeconds != nil {
            fields.append(Field("time_to_max_age_seconds", .duration, title: "TO MAX AGE", help: "time until the oldest message is older than --max-age"))
        }
        fields += [
            Field("consumers", .integer),
            Field("window_seconds", .duration, title: "WINDOW", help: "span of the samples analysed"),
            Field("samples", .integer),
        ]
        return fields
    }

    static func number(_ value: Double?) -> Value { value.map(Value.number) ?? .null }

    static func row(_ r: QueueResult, fields: [Field], time: String? = nil) -> [Value] {
        let a = r.analysis
        var drain: Value = .null
        var drainsAt: Value = .null
        if a.rateSource != .none || a.depth == 0 {
            if let seconds = a.drainSeconds {
                drain = .number(seconds)
                drainsAt = Timestamp.format(a.time + seconds).map(Value.text) ?? .null
            } else {
                drain = .number(.infinity)
            }
        }
        return fields.map { field -> Value in
            switch field.name {
            case "time": return time.map(Value.text) ?? .null
            case "queue": return .text(r.queue)
            case "role": return .text(r.role)
            case "status": return .text(a.status.rawValue)
            case "check": return .text(r.check.description)
            case "depth": return .count(a.depth)
            case "arrival_per_second": return number(a.arrivalRate)
            case "deletion_per_second": return number(a.deletionRate)
            case "growth_per_second": return number(a.growthRate)
            case "rate_source": return .text(a.rateSource.rawValue)
            case "drain_seconds": return drain
            case "drains_at": return drainsAt
            case "oldest_age_seconds": return number(a.oldestAgeSeconds)
            case "oldest_age_estimated": return a.oldestAgeSeconds == nil ? .null : .bool(a.oldestAgeEstimated)
            case "oldest_unacked_age_seconds": return number(a.oldestUnackedAgeSeconds)
            case "wait_seconds": return number(a.waitSeconds)
            case "time_to_max_depth_seconds": return number(a.timeToMaxDepthSeconds)
            case "time_to_max_age_seconds": return number(a.timeToMaxAgeSeconds)
            case "consumers": return a.consumers.map(Value.int) ?? .null
            case "window_seconds": return .number(a.windowSeconds)
            case "samples": return .int(a.sampleCount)
            default: return .null
            }
        }
    }

    /// The report and the exit status (the worst check).
    /// `roundTime` dates a watch's rows: json, ndjson and csv carry it as `time` (a table shows
    /// the round in its header; Prometheus stamps samples itself).
    static func make(_ results: [QueueResult], command: String, limits: BacklogLimits, format: OutputFormat,
                     extraNotes: [String] = [], failed: Bool = false, roundTime: Double? = nil) -> (Report, ExitCode) {
        var fields = fields(limits: limits, format: format)
        let stamp = roundTime.flatMap { [.json, .ndjson, .csv].contains(format) ? Timestamp.format($0) : nil }
        if stamp != nil { fields.insert(Field("time", .text, help: "when the round's poll began (UTC)"), at: 0) }
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
        let report = Report(
            command: command, fields: fields, rows: results.map { row($0, fields: fields, time: stamp) },
            summaryFields: [Field("queues", .integer), Field("total_depth", .integer), Field("check", .status)],
            summary: [.int(results.count), results.isEmpty ? .null : .count(results.reduce(0) { $0 + $1.analysis.depth }),
                      .text(worst.description)],
            notes: notes)
        return (report, worst)
    }
}

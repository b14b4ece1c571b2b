public import ScaleCore

/// Queues as RabbitMQ's management API describes them (`GET /api/queues/VHOST[/NAME]`), turned
/// into samples: depth = `messages` (ready + unacknowledged), arrived = `message_stats.publish`,
/// deleted = `ack` + `deliver_no_ack` + `get_no_ack` (every way a message leaves for good), the
/// oldest age from `head_message_timestamp` (only when publishers set the timestamp property,
/// and never on quorum queues).
///
/// Every figure comes from the broker's statistics, refreshed every `collect_statistics_interval`
/// (5 s by default), not at the moment of the request: two polls a second apart mostly see the
/// same counters (a rate of 0) or one refresh's worth (a rate 5× too high). So the request asks
/// for the statistics' own sample history (`msg_rates_age`/`lengths_age`, every 5 s over the last
/// 60 s), dated by the broker, and the current figures end it: rates span a minute from one
/// answer, wrong by at most one refresh in sixty seconds. The API's `…_details.rate` figures are
/// not used (they flicker to 0 between ticks).
public enum RabbitMQQueues {
    public struct Queue: Sendable, Equatable {
        public var vhost: String
        public var name: String
        /// The queue's samples, oldest first: the broker's history, or the current figures alone
        /// (dated `now`) when the broker sent none.
        public var series: [BacklogSample]
        public var messagesReady: Double?
        public var messagesUnacknowledged: Double?
        public var consumerUtilisation: Double?

        public init(vhost: String, name: String, series: [BacklogSample], messagesReady: Double?,
                    messagesUnacknowledged: Double?, consumerUtilisation: Double?) {
            self.vhost = vhost
            self.name = name
            self.series = series
            self.messagesReady = messagesReady
            self.messagesUnacknowledged = messagesUnacknowledged
            self.consumerUtilisation = consumerUtilisation
        }
    }

    /// Seconds of statistics history asked for, and the step between its samples.
    public static let historySeconds = 60
    public static let historyStep = 5

    static let counterKeys = ["publish", "ack", "deliver_no_ack", "get_no_ack"]

    /// The query string: the sample history, and for a listing only the `columns` read, so a
    /// broker with many queues sends no more.
    public static func query(listing: Bool) -> String {
        let history = "msg_rates_age=\(historySeconds)&msg_rates_incr=\(historyStep)&lengths_age=\(historySeconds)&lengths_incr=\(historyStep)"
        guard listing else { return history }
        let columns = ["name", "vhost", "messages", "messages_details", "messages_ready", "messages_unacknowledged", "consumers",
                       "consumer_utilisation", "head_message_timestamp", "arguments", "effective_policy_definition"]
            + counterKeys.flatMap { ["message_stats.\($0)", "message_stats.\($0)_details"] }
        return history + "&columns=" + columns.joined(separator: ",")
    }

    /// Parses one queue object or an array of them; `now` dates the current figures when the
    /// broker sent no history.
    public static func parse(_ bytes: [UInt8], now: Double, source: String) throws(ScaleError) -> [Queue] {
        let document = try JSONParser.parse(bytes, file: source)
        let objects: [JSONValue]
        switch document {
        case .array(let items): objects = items
        case .object: objects = [document]
        default: throw .input("expected a queue object or an array of queues", at: source)
        }
        var out: [Queue] = []
        for object in objects {
            guard let name = object["name"]?.string else {
                throw .input("a queue without a name", at: source, fix: "check that the URL is the management API (port 15672)")
            }
            func count(_ value: JSONValue?, _ field: String) throws(ScaleError) -> Double? {
                try InputRange.count(value?.double, field: "queue '\(name)': \(field)", source: source)
            }
            // No `messages` is no measurement: RabbitMQ leaves it out when the management
            // agent's metrics collector is off. A depth of 0 here would be a false OK.
            guard let depth = try count(object["messages"], "messages") else {
                throw .input("queue '\(name)': the management API gave no 'messages' (management_agent.disable_metrics_collector = true "
                             + "leaves every count out): its depth is unknown", at: source,
                             fix: "read it from the rabbitmq_prometheus plugin instead: metrics+http://HOST:15692/metrics/per-object \(Parameter.metric) 'rabbitmq_queue_messages{queue=\"\(name)\"}'")
            }
            var age: Double?
            if let head = object["head_message_timestamp"]?.double {
                guard InputRange.isInstant(head) else {
                    throw .input("queue '\(name)': head_message_timestamp \(Format.shortest(head)) is not a time", at: source)
                }
                age = head
            }
            let consumers = try count(object["consumers"], "consumers").map { Int($0) }
            // No message_stats at all: the queue has seen no traffic since statistics began, or
            // they are off. Either way the counters are unknown, not 0.
            let stats = object["message_stats"]
            var current = BacklogSample(time: now, depth: depth, consumers: consumers)
            if let stats {
                // A counter that never moved is left out of message_stats: 0.
                var deleted = 0.0
                for key in counterKeys.dropFirst() { deleted += try count(stats[key], "message_stats.\(key)") ?? 0 }
                current.arrivedTotal = try count(stats["publish"], "message_stats.publish") ?? 0
                current.deletedTotal = deleted
            }
            // The history gives the span; the current figures (from the latest refresh, fresher
            // than the last 5 s boundary) end it, dated now: a depth alert fires on what the
            // broker holds now, and rates over the minute err by at most one refresh.
            var series = try history(object, current: current, name: name, source: source)
            if series.last.map({ $0.time < now }) ?? true { series.append(current) }
            if let age { series[series.count - 1].oldestAgeSeconds = max(0, series[series.count - 1].time - age) }
            let (maxDepth, maxAge) = limits(object)
            for i in series.indices {
                series[i].brokerMaxDepth = maxDepth
                series[i].brokerMaxAge = maxAge
            }
            // RabbitMQ holds only ready messages against max-length; the current unacknowledged
            // ones are in `messages` but not in what the limit counts.
            let unacked = try count(object["messages_unacknowledged"], "messages_unacknowledged")
            if maxDepth != nil, let unacked { series[series.count - 1].depthOutsideBrokerLimit = unacked }
            out.append(Queue(vhost: object["vhost"]?.string ?? "/", name: name, series: series,
                             messagesReady: try count(object["messages_ready"], "messages_ready"),
                             messagesUnacknowledged: unacked,
                             consumerUtilisation: object["consumer_utilisation"]?.double))
        }
        return out
    }

    /// The queue's max-length and message TTL: from its arguments (`x-max-length`,
    /// `x-message-ttl` in ms) and its policy (`max-length`, `message-ttl`). With both, RabbitMQ
    /// applies the lower, and so does this. Values that are not counts are the broker's to refuse;
    /// they are skipped here, not guessed at.
    static func limits(_ object: JSONValue) -> (depth: Limit?, age: Limit?) {
        func limit(_ key: String, scale: Double) -> Limit? {
            func read(_ container: JSONValue?, _ name: String, _ source: String) -> Limit? {
                guard let value = container?[name]?.double, value.isFinite, value >= 0 else { return nil }
                return Limit(value: value * scale, source: source)
            }
            return Limit.nearest(read(object["arguments"], "x-" + key, "x-" + key),
                                 read(object["effective_policy_definition"], key, "policy " + key))
        }
        return (limit("max-length", scale: 1), limit("message-ttl", scale: 0.001))
    }

    /// One `…_details.samples` list as broker time (seconds) → value, checked.
    static func samples(_ details: JSONValue?, field: String, name: String, source: String) throws(ScaleError) -> [Double: Double]? {
        guard case .array(let items)? = details?["samples"] else { return nil }
        var out: [Double: Double] = [:]
        for item in items {
            guard let ms = item["timestamp"]?.double, InputRange.isInstant(ms / 1000),
                  let value = try InputRange.count(item["sample"]?.double, field: "queue '\(name)': \(field)", source: source) else {
                throw .input("queue '\(name)': a \(field) sample without a time and a count", at: source)
            }
            out[ms / 1000] = value
        }
        return out
    }

    /// The broker's sample history as samples at the times it gives: depth from
    /// `messages_details`, counters from `message_stats.*_details`. Only the times every series
    /// in use has; empty when the broker sent no history.
    static func history(_ object: JSONValue, current: BacklogSample, name: String, source: String) throws(ScaleError) -> [BacklogSample] {
        guard let depths = try samples(object["messages_details"], field: "messages_details", name: name, source: source), !depths.isEmpty else { return [] }
        var times = Set(depths.keys)
        // Each counter's series, read once: publish is the arrivals, the rest add up to deletions.
        var arrivals: [Double: Double]?
        var deletions: [[Double: Double]] = []
        if let stats = object["message_stats"] {
            for key in counterKeys where stats[key] != nil {
                guard let series = try samples(stats["\(key)_details"], field: "message_stats.\(key)_details", name: name, source: source) else { return [] }
                if key == "publish" { arrivals = series } else { deletions.append(series) }
                times.formIntersection(series.keys)
            }
        }
        let hasCounters = current.arrivedTotal != nil
        return times.sorted().map { t in
            var sample = BacklogSample(time: t, depth: depths[t]!, consumers: current.consumers)
            if hasCounters {
                // A counter that never moved has no series: 0.
                sample.arrivedTotal = arrivals?[t] ?? 0
                sample.deletedTotal = deletions.reduce(0) { $0 + $1[t]! }
            }
            return sample
        }
    }
}

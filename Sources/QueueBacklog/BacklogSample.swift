/// One observation of a queue at a moment: how many messages wait, and — when the broker
/// keeps them — the cumulative counts of messages that arrived and were deleted (acked),
/// the age of the oldest waiting message and the number of consumers.
public struct BacklogSample: Sendable, Equatable {
    /// Seconds since the Unix epoch (UTC).
    public var time: Double
    public var depth: Double
    /// Cumulative messages published into the queue (a counter: only resets go down).
    public var arrivedTotal: Double?
    /// Cumulative messages deleted (acked, or fetched without ack) from the queue.
    public var deletedTotal: Double?
    /// Age of the oldest waiting (not yet delivered) message, when the broker reports it.
    public var oldestAgeSeconds: Double?
    /// Age of the oldest message delivered to a consumer and not acknowledged (a Redis stream's
    /// oldest pending entry): a few stuck messages, not the backlog's head.
    public var oldestUnackedAgeSeconds: Double?
    public var consumers: Int?
    /// Limits the broker itself enforces on the queue (RabbitMQ's max-length and message TTL).
    public var brokerMaxDepth: Limit?
    public var brokerMaxAge: Limit?
    /// Messages in `depth` that `brokerMaxDepth` does not count: RabbitMQ holds only ready
    /// messages against its max-length, so the unacknowledged ones are left out.
    public var depthOutsideBrokerLimit: Double?

    public init(time: Double, depth: Double, arrivedTotal: Double? = nil, deletedTotal: Double? = nil,
                oldestAgeSeconds: Double? = nil, oldestUnackedAgeSeconds: Double? = nil, consumers: Int? = nil,
                brokerMaxDepth: Limit? = nil, brokerMaxAge: Limit? = nil) {
        self.time = time
        self.depth = depth
        self.arrivedTotal = arrivedTotal
        self.deletedTotal = deletedTotal
        self.oldestAgeSeconds = oldestAgeSeconds
        self.oldestUnackedAgeSeconds = oldestUnackedAgeSeconds
        self.consumers = consumers
        self.brokerMaxDepth = brokerMaxDepth
        self.brokerMaxAge = brokerMaxAge
    }
}

/// A limit on depth or age and where it comes from: a parameter the caller set, or the
/// broker's own setting by its name (`x-max-length`, `policy max-length`).
public struct Limit: Sendable, Equatable {
    public var value: Double
    /// A `Parameter` (interpolated, so the CLI shows its flag) or the broker's name for it.
    public var source: String

    public init(value: Double, source: String) {
        self.value = value
        self.source = source
    }

    /// The lower of two limits (the one a growing queue reaches first); the first on a tie.
    public static func nearest(_ a: Limit?, _ b: Limit?) -> Limit? {
        guard let a else { return b }
        guard let b else { return a }
        return b.value < a.value ? b : a
    }
}

/// Limits a backlog must stay within; the analysis says how long until each is hit.
public struct BacklogLimits: Sendable, Equatable {
    public var maxDepth: Double?
    public var maxAgeSeconds: Double?
    /// The deadline the consumers-needed-to-drain figure is worked out for.
    public var drainBySeconds: Double?

    public init(maxDepth: Double? = nil, maxAgeSeconds: Double? = nil, drainBySeconds: Double? = nil) {
        self.maxDepth = maxDepth
        self.maxAgeSeconds = maxAgeSeconds
        self.drainBySeconds = drainBySeconds
    }
}

/// Where the arrival and deletion rates came from.
public enum RateSource: String, Sendable, Equatable {
    /// Cumulative arrived/deleted counters between the first and last sample of the window.
    case counters
    /// Only depth was known: the net rate is the least-squares slope of depth; arrival and
    /// deletion rates cannot be told apart.
    case depth
    /// One sample (or samples at one instant): no rates at all.
    case none
}

public enum BacklogStatus: String, Sendable, Equatable, CaseIterable {
    /// Not growing, and not stuck: consumers keep up (or the queue is empty).
    case ok = "OK"
    /// Messages arrive faster than they are deleted.
    case growing = "GROWING"
    /// Messages are deleted faster than they arrive: the backlog shrinks.
    case draining = "DRAINING"
    /// Messages wait and nothing was deleted during the window.
    case stalled = "STALLED"
    /// No consumers are attached.
    case idle = "IDLE"
}

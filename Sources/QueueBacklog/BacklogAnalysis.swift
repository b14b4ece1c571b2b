import ScaleCore

/// What a window of samples says about a queue. Rates are per second; times in seconds.
public struct BacklogAnalysis: Sendable, Equatable {
    /// Depth at the last sample.
    public var depth: Double
    /// Time of the last sample (seconds since the epoch): "now" for every estimate below.
    public var time: Double
    /// Span from the first to the last sample of the window.
    public var windowSeconds: Double
    public var sampleCount: Int
    public var rateSource: RateSource
    /// λ: messages arriving per second (nil without counters).
    public var arrivalRate: Double?
    /// μ: messages deleted per second (nil without counters).
    public var deletionRate: Double?
    /// Least-squares slope of depth over the window, messages per second.
    public var growthRate: Double?
    /// Net shrink rate used for draining: μ − λ from counters, −slope from depth alone.
    public var netDrainRate: Double?
    /// depth / (μ − λ) when the queue drains; 0 when empty; nil when it is not draining.
    public var drainSeconds: Double?
    /// Little's law: a message arriving now waits about depth / μ (nil when μ is 0 or unknown).
    public var waitSeconds: Double?
    /// The broker's age of the oldest message, or Little's estimate depth / λ.
    public var oldestAgeSeconds: Double?
    /// True when `oldestAgeSeconds` is the depth / λ estimate, not the broker's figure.
    public var oldestAgeEstimated: Bool
    /// The oldest delivered, unacknowledged message's age at the last sample (Redis streams).
    public var oldestUnackedAgeSeconds: Double?
    public var consumers: Int?
    /// μ / consumers: what one consumer deleted per second over the window (nil: `capacityGap` says why).
    public var perConsumerRate: Double?
    /// ceil(λ / per-consumer rate): the consumers that delete as fast as messages arrive.
    /// A whole number; Double so that absurd inputs cannot overflow an Int.
    public var consumersNeeded: Double?
    /// ceil((λ + depth / deadline) / per-consumer rate): the consumers that keep up and also
    /// empty the backlog within `BacklogLimits.drainBySeconds` (nil without a deadline).
    public var consumersNeededToDrain: Double?
    /// Why the per-consumer figures are nil; nil when they are known.
    public var capacityGap: CapacityGap?
    /// The depth limit the time to it is measured against: the lower of the caller's and the
    /// broker's (the one reached first), and where it comes from.
    public var maxDepth: Limit?
    /// Time until depth exceeds `maxDepth` at the current growth (0 when already over).
    public var timeToMaxDepthSeconds: Double?
    /// The age limit, chosen as `maxDepth` is.
    public var maxAge: Limit?
    /// Time until the oldest message is older than `maxAge` (0 when already older).
    public var timeToMaxAgeSeconds: Double?
    public var status: BacklogStatus
}

/// Why the consumers-needed figures could not be worked out.
public enum CapacityGap: String, Sendable, Equatable {
    case noConsumerCount
    case noConsumers
    case noDeletionRate
    case nothingDeleted

    public var reason: String {
        switch self {
        case .noConsumerCount: "the source gives no consumer count"
        case .noConsumers: "no consumers are attached, so nothing shows what one consumer deletes"
        case .noDeletionRate: "no deletion rate was measured (depth alone, or one sample)"
        case .nothingDeleted: "the consumers deleted nothing in the window"
        }
    }
}

public enum BacklogAnalyzer {
    /// Analyses `samples` (any order; the window is taken back from the latest one).
    /// Returns nil for no samples.
    ///
    /// - Rates: with both counters, λ = increase(arrived)/Δt and μ = increase(deleted)/Δt over
    ///   the window's span Δt. With one counter, the other follows from conservation:
    ///   Δdepth = arrived − deleted. Counters are used only when every sample in the window has them.
    /// - Without counters the net rate is the least-squares slope of depth (`rateSource == .depth`).
    /// - Oldest age grows by 1 − μ/λ seconds per second in a FIFO queue (the head moves through
    ///   the arrival timeline μ/λ times as fast as the clock); with broker ages in ≥ 2 samples
    ///   their least-squares slope is used instead.
    public static func analyse(_ samples: [BacklogSample], window: Double? = nil,
                               limits: BacklogLimits = BacklogLimits()) -> BacklogAnalysis? {
        let points = WindowMath.window(samples, seconds: window)
        guard let first = points.first, let last = points.last else { return nil }
        let span = last.time - first.time
        let depth = last.depth
        let growth = span > 0 ? WindowMath.slope(points.map { ($0.time, $0.depth) }) : nil

        var source = RateSource.none
        var arrival: Double?, deletion: Double?
        if span > 0 {
            let arrived = points.compactMap(\.arrivedTotal)
            let deleted = points.compactMap(\.deletedTotal)
            let net = (last.depth - first.depth) / span
            let haveArrived = arrived.count == points.count, haveDeleted = deleted.count == points.count
            if haveArrived || haveDeleted {
                source = .counters
                if haveArrived { arrival = WindowMath.increase(arrived) / span }
                if haveDeleted { deletion = WindowMath.increase(deleted) / span }
                if arrival == nil, let deletion { arrival = max(0, deletion + net) }
                if deletion == nil, let arrival { deletion = max(0, arrival - net) }
            } else {
                source = .depth
            }
        }

        let netDrain: Double?
        switch source {
        case .counters: netDrain = deletion! - arrival!
        case .depth: netDrain = growth.map { -$0 }
        case .none: netDrain = nil
        }

        var drain: Double?
        if depth <= 0 { drain = 0 } else if let netDrain, netDrain > 0 { drain = depth / netDrain }

        var wait: Double?
        if let deletion, deletion > 0 { wait = depth / deletion }

        var age = last.oldestAgeSeconds
        var estimated = false
        if age == nil {
            if depth <= 0 { age = 0 } else if let arrival, arrival > 0 { age = depth / arrival; estimated = true }
        }

        var ageGrowth: Double?
        let ages = points.compactMap { p in p.oldestAgeSeconds.map { (p.time, $0) } }
        if ages.count >= 2, span > 0 {
            ageGrowth = WindowMath.slope(ages)
        } else if let arrival, let deletion, arrival > 0 {
            ageGrowth = 1 - deletion / arrival
        }

        // Capacity: n consumers at r messages/s each keep up when n·r ≥ λ, and also empty the
        // backlog within a deadline T when n·r ≥ λ + depth/T. r is measured: μ over the
        // consumers attached at the last sample.
        var perConsumer: Double?, gap: CapacityGap?
        if let n = last.consumers {
            if n == 0 { gap = .noConsumers } else if let deletion {
                if deletion > 0 { perConsumer = deletion / Double(n) } else { gap = .nothingDeleted }
            } else { gap = .noDeletionRate }
        } else { gap = .noConsumerCount }
        var needed: Double?, neededToDrain: Double?
        if let perConsumer, let arrival {
            needed = wholeConsumers(arrival / perConsumer)
            if let deadline = limits.drainBySeconds, deadline > 0 {
                neededToDrain = wholeConsumers((arrival + depth / deadline) / perConsumer)
            }
        }

        // The broker's limit is reached when the messages it counts reach it: in total depth, at
        // the limit plus those it leaves out. The nearer limit in those terms is the one named.
        let userDepth = limits.maxDepth.map { (limit: Limit(value: $0, source: "\(Parameter.maxDepth)"), reachedAt: $0) }
        let brokerDepth = last.brokerMaxDepth.map { (limit: $0, reachedAt: $0.value + (last.depthOutsideBrokerLimit ?? 0)) }
        let depthLimit = [userDepth, brokerDepth].compactMap { $0 }.min { $0.reachedAt < $1.reachedAt }
        let maxDepth = depthLimit?.limit
        let maxAge = Limit.nearest(limits.maxAgeSeconds.map { Limit(value: $0, source: "\(Parameter.maxAge)") }, last.brokerMaxAge)
        var toMaxDepth: Double?
        if let limit = depthLimit?.reachedAt {
            if depth > limit { toMaxDepth = 0 } else if let growth, growth > 0 { toMaxDepth = (limit - depth) / growth }
        }
        var toMaxAge: Double?
        if let limit = maxAge?.value, let age {
            if age > limit { toMaxAge = 0 } else if let ageGrowth, ageGrowth > 0 { toMaxAge = (limit - age) / ageGrowth }
        }

        let status: BacklogStatus
        let nothingDeleted: Bool
        switch source {
        case .counters: nothingDeleted = deletion == 0
        case .depth: nothingDeleted = points.allSatisfy { $0.depth == first.depth }
        case .none: nothingDeleted = false
        }
        if last.consumers == 0 {
            status = .idle
        } else if depth > 0, nothingDeleted {
            status = .stalled
        } else if let netDrain, netDrain < 0 {
            status = .growing
        } else if let netDrain, netDrain > 0, depth > 0 {
            status = .draining
        } else {
            status = .ok
        }

        return BacklogAnalysis(depth: depth, time: last.time, windowSeconds: span, sampleCount: points.count,
                               rateSource: source, arrivalRate: arrival, deletionRate: deletion,
                               growthRate: growth, netDrainRate: netDrain, drainSeconds: drain, waitSeconds: wait,
                               oldestAgeSeconds: age, oldestAgeEstimated: estimated,
                               oldestUnackedAgeSeconds: last.oldestUnackedAgeSeconds, consumers: last.consumers,
                               perConsumerRate: perConsumer, consumersNeeded: needed, consumersNeededToDrain: neededToDrain,
                               capacityGap: gap, maxDepth: maxDepth, timeToMaxDepthSeconds: toMaxDepth,
                               maxAge: maxAge, timeToMaxAgeSeconds: toMaxAge, status: status)
    }

    /// Rounds a consumer count up, forgiving the last bits of rounding error: 80/20 computed as
    /// 4.000000000001 still needs 4 consumers, not 5.
    static func wholeConsumers(_ x: Double) -> Double {
        max(0, (x - 1e-9).rounded(.up))
    }
}

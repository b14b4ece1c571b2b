/// One observation of a Kafka-style partition: the consumer group's committed offset and the
/// log-end offset. Lag = log end − committed.
public struct OffsetSample: Sendable, Equatable {
    public var time: Double
    /// Nil when the group has not committed an offset for the partition (`-` in kafka tools).
    public var committed: Int64?
    public var logEnd: Int64
    /// When the commit was made, if known (Burrow's STOP rule needs it).
    public var commitTime: Double?

    public init(time: Double, committed: Int64?, logEnd: Int64, commitTime: Double? = nil) {
        self.time = time
        self.committed = committed
        self.logEnd = logEnd
        self.commitTime = commitTime
    }

    public var lag: Int64? { committed.map { max(0, logEnd - $0) } }
}

/// Burrow's partition states.
public enum OffsetStatus: String, Sendable, Equatable, CaseIterable {
    case ok = "OK"
    /// Lag never decreased in the window, though offsets moved.
    case warn = "WARN"
    /// The committed offset did not move in the window while there was lag.
    case stall = "STALL"
    /// No commit for longer than the window spans.
    case stop = "STOP"
    /// A committed offset went backwards.
    case rewind = "REWIND"
}

public struct OffsetAnalysis: Sendable, Equatable {
    public var committed: Int64?
    public var logEnd: Int64
    public var lag: Int64?
    /// Committed-offset increase per second (messages consumed).
    public var consumeRate: Double?
    /// Log-end increase per second (messages produced).
    public var produceRate: Double?
    /// lag / (consume − produce) when consumers gain; 0 with no lag; nil otherwise.
    public var drainSeconds: Double?
    public var status: OffsetStatus
    public var windowSeconds: Double
    public var sampleCount: Int
}

public enum OffsetEvaluator {
    /// Evaluates a partition's window with Burrow's rules, in Burrow's order (its evaluator,
    /// `calculatePartitionStatus`): no lag now, or lag zero anywhere in the window → OK; then,
    /// worst first, REWIND when a committed offset went back; STOP when commit times are known
    /// and `now − last commit` exceeds `last commit − first commit`; STALL when the committed
    /// offset never moved; WARN when lag never decreased from one sample to the next; otherwise
    /// OK. Unlike Burrow, one sample alone is OK, not STALL: it cannot show movement.
    public static func evaluate(_ samples: [OffsetSample], window: Double? = nil, now: Double? = nil) -> OffsetAnalysis? {
        let sorted = samples.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        guard let latest = sorted.last else { return nil }
        let points = window.map { w in sorted.filter { $0.time >= latest.time - w } } ?? sorted
        let first = points[0]
        let span = latest.time - first.time
        let now = now ?? latest.time

        var consume: Double?, produce: Double?
        if span > 0 {
            produce = WindowMath.increase(points.map { Double($0.logEnd) }) / span
            let committed = points.compactMap(\.committed)
            if committed.count == points.count, let c0 = committed.first, let c1 = committed.last {
                // A rewind is not consumption: the net movement is what drains lag.
                consume = Double(c1 - c0) / span
            }
        }
        let lag = latest.lag
        var drain: Double?
        if let lag {
            if lag == 0 { drain = 0 } else if let consume, let produce, consume > produce { drain = Double(lag) / (consume - produce) }
        }

        let status = burrowStatus(points, now: now)
        return OffsetAnalysis(committed: latest.committed, logEnd: latest.logEnd, lag: lag,
                              consumeRate: consume, produceRate: produce, drainSeconds: drain,
                              status: status, windowSeconds: span, sampleCount: points.count)
    }

    static func burrowStatus(_ points: [OffsetSample], now: Double) -> OffsetStatus {
        guard let latest = points.last, let lag = latest.lag, lag > 0 else {
            // No lag now, or nothing committed yet: nothing to judge.
            return .ok
        }
        // Rule 1: lag that reached zero in the window clears every other rule.
        if points.contains(where: { $0.lag == 0 }) { return .ok }
        let offsets = points.compactMap(\.committed)
        if zip(offsets, offsets.dropFirst()).contains(where: { $1 < $0 }) { return .rewind }
        let commits = points.compactMap(\.commitTime)
        if commits.count == points.count, let c0 = commits.first, let c1 = commits.last, now - c1 > c1 - c0 {
            return .stop
        }
        guard points.count >= 2 else { return .ok }
        if offsets.count == points.count, offsets.allSatisfy({ $0 == offsets[0] }) { return .stall }
        let lags = points.compactMap(\.lag)
        if !zip(lags, lags.dropFirst()).contains(where: { $1 < $0 }) { return .warn }
        return .ok
    }
}

public import ScaleCore

/// What a queue is to the one watching it: work waiting, or messages that already failed.
public enum QueueRole: String, Sendable {
    case queue
    /// A dead-letter queue: whatever lands there failed somewhere.
    case dlq
}

/// When a queue is WARNING or CRITICAL: the user's limits on depth, oldest age and drain time,
/// and the rule that a dead-letter queue growing at all is a WARNING.
public struct BacklogPolicy: Sendable, Equatable {
    public var warning: BacklogThresholds
    public var critical: BacklogThresholds

    public init(warning: BacklogThresholds = BacklogThresholds(), critical: BacklogThresholds = BacklogThresholds()) {
        self.warning = warning
        self.critical = critical
    }

    /// OK, WARNING or CRITICAL for a queue's analysis; `samples` (those the analysis read) show
    /// whether a dead-letter queue grew over the `window`.
    public func check(_ a: BacklogAnalysis, role: QueueRole = .queue, samples: [BacklogSample] = [], window: Double? = nil) -> ExitCode {
        let drain: Double? = a.rateSource == .none ? nil : (a.drainSeconds ?? .infinity)
        var check = limits(depth: a.depth, ageSeconds: a.oldestAgeSeconds, drainSeconds: drain)
        if role == .dlq {
            let kept = WindowMath.window(samples, seconds: window)
            if let first = kept.first, let last = kept.last, last.depth > first.depth { check = check.worse(.warning) }
        }
        return check
    }

    /// A Kafka partition: Burrow's status (WARN is a WARNING; STALL, STOP and REWIND are
    /// CRITICAL), made worse by the limits on lag (as depth) and drain time. With no committed
    /// offset the lag is unknown, so a lag limit cannot pass: UNKNOWN, never OK.
    public func check(_ partition: OffsetAnalysis, drainSeconds: Double?) -> ExitCode {
        let burrow: ExitCode
        switch partition.status {
        case .ok: burrow = .ok
        case .warn: burrow = .warning
        case .stall, .stop, .rewind: burrow = .critical
        }
        guard let lag = partition.lag else {
            // Depth and drain limits both rest on the lag; the age limit does not apply to offsets.
            let limited = [warning, critical].contains { $0.depth != nil || $0.drainSeconds != nil }
            return burrow.worse(limited ? .unknown : .ok)
        }
        return burrow.worse(limits(depth: Double(lag), ageSeconds: nil, drainSeconds: drainSeconds))
    }

    func limits(depth: Double, ageSeconds: Double?, drainSeconds: Double?) -> ExitCode {
        if !critical.breaches(depth: depth, ageSeconds: ageSeconds, drainSeconds: drainSeconds).isEmpty { return .critical }
        if !warning.breaches(depth: depth, ageSeconds: ageSeconds, drainSeconds: drainSeconds).isEmpty { return .warning }
        return .ok
    }
}

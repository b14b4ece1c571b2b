public import ScaleCore

/// How long an active health checker takes to notice a failed member, from its settings.
///
/// A member fails at a moment uniformly spread over the gap between two checks (the failure
/// does not know the checker's phase), so the wait for the next check is uniform on (0, i]:
/// i/2 on average, i at worst. Then `fall` consecutive checks must fail:
///
/// - refused (the port answers with a reset at once): each failing check takes no time, so the
///   F-th one ends (F − 1)·i after the first: mean (F − ½)·i, worst F·i.
/// - hang (nothing answers; a check fails only when its timeout T runs out): every failing
///   check costs T, and the gap from one to the next depends on the checker —
///   - HAProxy starts the next check `inter` after the previous one *ends* (src/check.c sets the
///     task's expiry to now + inter when a check completes), so hung checks start T + i apart:
///     mean F·T + (F − ½)·i, worst F·(T + i);
///   - the kubelet probes on a fixed-rate ticker (periodSeconds), so hung probes start i apart,
///     or back to back when T ≥ i (a Go ticker drops the ticks it missed): gap g = max(i, T),
///     mean i/2 + (F − 1)·g + T, worst i + (F − 1)·g + T.
///
/// Recovery is the mirror image: a repaired member answers its checks at once, so it is back in
/// rotation after `rise` consecutive passing checks, counted from the first check that starts
/// after the repair: mean (R − ½)·i, worst R·i. Until then it is up but serves nothing.
public struct HealthCheckSettings: Sendable, Equatable {
    /// When the checker starts the next check.
    public enum Schedule: String, Sendable, CaseIterable {
        /// `interval` after the previous check ends (HAProxy).
        case afterCompletion = "after-completion"
        /// Every `interval`, whatever the previous check took (the kubelet's ticker).
        case fixedRate = "fixed-rate"
    }

    public var interval: Double
    /// Consecutive failed checks that take a member out.
    public var fall: Int
    /// Consecutive passing checks that put a repaired member back (HAProxy rise, Kubernetes successThreshold).
    public var rise: Int
    /// Seconds a check waits for an answer before it counts as failed.
    public var timeout: Double
    public var schedule: Schedule

    public init(interval: Double, fall: Int, rise: Int, timeout: Double, schedule: Schedule) {
        self.interval = interval
        self.fall = fall
        self.rise = rise
        self.timeout = timeout
        self.schedule = schedule
    }

    /// HAProxy's server defaults: `inter 2s`, `fall 3`, `rise 2`; with no `timeout check` the
    /// whole check is bounded by `inter` (configuration manual, "inter", "rise" and "timeout check").
    public static let haproxy = HealthCheckSettings(interval: 2, fall: 3, rise: 2, timeout: 2, schedule: .afterCompletion)
    /// A Kubernetes readiness probe's defaults: periodSeconds 10, failureThreshold 3,
    /// successThreshold 1, timeoutSeconds 1 (core/v1 Probe).
    public static let kubernetes = HealthCheckSettings(interval: 10, fall: 3, rise: 1, timeout: 1, schedule: .fixedRate)

    /// Fewer checks than this make no sense as a threshold, more are a typo (fall and rise alike).
    public static let maxFall = 1000

    public func validate() throws(ScaleError) {
        guard interval > 0, interval.isFinite else {
            throw .usage("the check interval must be longer than 0", about: .checkInterval, fix: "write e.g. 2s")
        }
        guard timeout > 0, timeout.isFinite else {
            throw .usage("the check timeout must be longer than 0", about: .checkTimeout, fix: "write e.g. 1s")
        }
        guard fall >= 1, fall <= Self.maxFall else {
            throw .usage("the fall count must be from 1 to \(Self.maxFall)", about: .fall, fix: "write e.g. 3")
        }
        guard rise >= 1, rise <= Self.maxFall else {
            throw .usage("the rise count must be from 1 to \(Self.maxFall)", about: .rise, fix: "write e.g. 2")
        }
    }

    /// Mean and worst detection delay for a failure of this kind, in seconds.
    public func detection(_ kind: FailureKind) -> DetectionDelay {
        let i = interval, f = Double(fall), t = timeout
        switch kind {
        case .refused:
            return .passes(of: fall, every: i)
        case .hang:
            let gap = schedule == .afterCompletion ? t + i : max(i, t)
            let rest = (f - 1) * gap + t
            return DetectionDelay(mean: i / 2 + rest, worst: i + rest)
        }
    }
}

extension HealthCheckSettings {
    /// Mean and worst time a repaired member stays out of rotation: rise passing checks, the
    /// first one uniformly within an interval of the repair.
    public var recovery: DetectionDelay { .passes(of: rise, every: interval) }
}

/// The health checkers whose defaults and schedule compose knows.
public enum HealthChecker: String, Sendable, CaseIterable {
    case haproxy, kubernetes

    public var defaults: HealthCheckSettings { self == .haproxy ? .haproxy : .kubernetes }

    /// `settings` checked every `interval`. HAProxy bounds the whole check by `inter` when no
    /// `timeout check` is set, so its timeout follows; the kubelet's timeoutSeconds does not.
    public func with(interval: Double, _ settings: HealthCheckSettings) -> HealthCheckSettings {
        var settings = settings
        settings.interval = interval
        if self == .haproxy { settings.timeout = interval }
        return settings
    }
}

/// How a failed member answers health checks.
public enum FailureKind: String, Sendable, CaseIterable {
    /// Nothing answers (host down, network partition, process stuck): a check fails at its timeout.
    case hang
    /// The connection is refused (process gone, host up): a check fails at once.
    case refused
}

/// Seconds from a failure to the member being taken out.
public struct DetectionDelay: Sendable, Equatable {
    /// Averaged over where in the check cycle the failure lands: the figure expected losses use.
    public var mean: Double
    /// The failure lands just after a check passed.
    public var worst: Double

    public init(mean: Double, worst: Double) {
        self.mean = mean
        self.worst = worst
    }

    /// `n` consecutive checks that each decide at once, every `interval`, the first one
    /// uniformly within an interval: mean (n − ½)·i, worst n·i (a refused member's detection, a
    /// repaired member's recovery).
    static func passes(of n: Int, every interval: Double) -> DetectionDelay {
        DetectionDelay(mean: (Double(n) - 0.5) * interval, worst: Double(n) * interval)
    }
}

import ScaleCore

/// When each target is probed next in watch mode. Two rules keep many targets from being
/// probed in lock-step — the thundering herd that makes a fleet of checkers hit a control
/// plane or a shared database at the same instant:
///
/// - The first probes are spread evenly at random over one interval, not fired together.
/// - Every later gap is the interval ± `jitter` (a fraction, 10% by default, as HAProxy's
///   `spread-checks` does), so targets that do line up drift apart again.
///
/// Times are seconds on any monotonic clock; the generator is passed in, so a seed gives
/// the same schedule every time.
public struct JitterSchedule: Sendable {
    public let interval: Double
    public let jitter: Double
    private var random: SplitMix64

    public init(interval: Double, jitter: Double, seed: UInt64) {
        precondition(interval > 0 && jitter >= 0 && jitter < 1, "a positive interval and a jitter below 100%")
        self.interval = interval
        self.jitter = jitter
        random = SplitMix64(seed: seed)
    }

    /// The first probe time of each of `count` targets, from `start` to `start + interval`.
    public mutating func firstProbes(count: Int, start: Double) -> [Double] {
        (0..<count).map { _ in start + random.unit() * interval }
    }

    /// The next probe time after a probe that started at `start`.
    public mutating func next(after start: Double) -> Double {
        start + interval * (1 + jitter * (2 * random.unit() - 1))
    }
}

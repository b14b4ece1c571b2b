import ScaleCore

/// Latency percentiles of a round (or of a whole watch) by the nearest-rank method: the p-th
/// percentile is the smallest sample with at least p% of the samples at or below it, so every
/// figure printed is a latency that was really measured, never an interpolation between two.
public struct LatencySummary: Sendable, Equatable {
    public var count: Int
    public var p50: Double?
    public var p90: Double?
    public var p99: Double?
    public var max: Double?

    public init(_ samples: [Double]) {
        let sorted = samples.filter { !$0.isNaN }.sorted()
        count = sorted.count
        p50 = Self.percentile(50, ofSorted: sorted)
        p90 = Self.percentile(90, ofSorted: sorted)
        p99 = Self.percentile(99, ofSorted: sorted)
        max = sorted.last
    }

    /// Nearest rank: the sample at rank ⌈p/100 × n⌉ (1-based); nil for no samples.
    public static func percentile(_ p: Double, ofSorted sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}

/// A uniform random sample of at most `capacity` latencies from a stream of any length
/// (Vitter's Algorithm R), so a watch that runs for days keeps bounded memory and its
/// percentiles stay unbiased estimates over the whole run.
public struct LatencyReservoir: Sendable {
    public let capacity: Int
    public private(set) var seen = 0
    public private(set) var samples: [Double] = []
    private var random: SplitMix64

    public init(capacity: Int, seed: UInt64) {
        precondition(capacity > 0, "a reservoir holds at least one sample")
        self.capacity = capacity
        random = SplitMix64(seed: seed)
    }

    public mutating func add(_ value: Double) {
        seen += 1
        if samples.count < capacity {
            samples.append(value)
        } else {
            // Keep the new value with probability capacity/seen, in place of a random one.
            let slot = Int(random.next() % UInt64(seen))
            if slot < capacity { samples[slot] = value }
        }
    }

    public var summary: LatencySummary { LatencySummary(samples) }
}

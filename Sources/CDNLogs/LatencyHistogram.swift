/// Durations in a log-linear histogram (as HdrHistogram): exact below 64 µs, then 32 buckets
/// per power of two, so every bucket is at most 1/32 (3.1%) wide relative to its lower bound.
/// Bucket counts add exactly, so per-thread and partial-file histograms merge losslessly.
public struct LatencyHistogram: Sendable, Equatable {
    static let subBuckets = 32
    static let linear = 64
    /// Up to 2^46 µs (about 2.2 years): anything longer lands in the last bucket.
    static let bucketCount = linear + (46 - 6) * subBuckets

    public private(set) var counts: [UInt64]
    public private(set) var total: UInt64 = 0

    public init() { counts = Array(repeating: 0, count: Self.bucketCount) }

    @inline(__always)
    static func bucket(_ micros: UInt64) -> Int {
        if micros < UInt64(linear) { return Int(micros) }
        let exponent = 63 - micros.leadingZeroBitCount          // ≥ 6
        let sub = Int((micros >> UInt64(exponent - 5)) & 31)
        return min(linear + (exponent - 6) * subBuckets + sub, bucketCount - 1)
    }

    /// The lowest value of a bucket, in microseconds.
    static func lowerBound(_ b: Int) -> UInt64 {
        if b < linear { return UInt64(b) }
        let exponent = (b - linear) / subBuckets + 6
        let sub = UInt64((b - linear) % subBuckets)
        return (32 + sub) << UInt64(exponent - 5)
    }

    static func upperBound(_ b: Int) -> UInt64 {
        b < linear ? UInt64(b) : lowerBound(b + 1) - 1
    }

    @inline(__always)
    public mutating func record(micros: UInt64) {
        counts.withUnsafeMutableBufferPointer { $0[Self.bucket(micros)] &+= 1 }
        total &+= 1
    }

    /// Adds raw bucket counts (a worker's, kept outside the struct on the hot path).
    mutating func add(counts raw: UnsafePointer<UInt64>) {
        for i in 0..<counts.count where raw[i] > 0 {
            counts[i] &+= raw[i]
            total &+= raw[i]
        }
    }

    public mutating func merge(_ other: LatencyHistogram) {
        for i in 0..<counts.count { counts[i] &+= other.counts[i] }
        total &+= other.total
    }

    /// The nearest-rank percentile in seconds (the smallest recorded value with at least
    /// p of the values at or below it), as the midpoint of its bucket; nil when empty.
    public func percentile(_ p: Double) -> Double? {
        guard total > 0 else { return nil }
        let rank = max(1, UInt64((p * Double(total)).rounded(.up)))
        var seen: UInt64 = 0
        for (b, c) in counts.enumerated() where c > 0 {
            seen += c
            if seen >= rank {
                let mid = (Double(Self.lowerBound(b)) + Double(Self.upperBound(b))) / 2
                return mid / 1_000_000
            }
        }
        return nil
    }

    init(counts: [UInt64]) {
        self.counts = counts
        total = counts.reduce(0, &+)
    }
}

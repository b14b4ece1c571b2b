/// Jump consistent hash (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash Algorithm",
/// 2014): the paper's code, bit for bit, over XXH64(key). Buckets are the nodes in list order;
/// only the last node can leave without moving other nodes' keys. No weights, no memory.
public final class JumpHash: ConsistentHash {
    public let algorithm = Algorithm.jump
    public let nodes: [RingNode]

    public init(nodes: [RingNode]) {
        self.nodes = nodes
    }

    /// The paper's `JumpConsistentHash(uint64_t key, int32_t num_buckets)`.
    @inlinable
    public static func bucket(_ key: UInt64, buckets: Int32) -> Int32 {
        var key = key
        var b: Int64 = -1
        var j: Int64 = 0
        while j < Int64(buckets) {
            b = j
            key = key &* 2862933555777941757 &+ 1
            j = Int64(Double(b + 1) * (Double(Int64(1) << 31) / Double((key >> 33) + 1)))
        }
        return Int32(b)
    }

    public func owner(of key: UnsafeRawBufferPointer) -> Int {
        Int(Self.bucket(XXH64.hash(key), buckets: Int32(nodes.count)))
    }

    /// Every bucket gets 1/n of uniformly random keys (the paper's Theorem: the distribution is uniform).
    public func shares() -> Shares {
        Shares(ratios: [Double](repeating: 1 / Double(nodes.count), count: nodes.count), method: .expectation)
    }

    public var memoryBytes: Int { 0 }

    public var lookupCost: String {
        // The expected number of jumps is about ln(n) + 1.
        var expected = 0.0
        for i in 1...nodes.count { expected += 1 / Double(i) }
        return "1 XXH64 + ~\(Int(expected.rounded())) jumps"
    }
}

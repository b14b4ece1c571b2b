/// Consistent hashing with bounded loads (Mirrokni, Thorup & Zadimoghaddam, SODA 2018) over
/// the vnode ring: when the (m+1)-th key arrives, node i may hold at most ⌈c·(m+1)·w_i/W⌉
/// keys; a key whose ring owner is full walks clockwise to the first point of a node with
/// room. Owners depend on the order keys arrive, so this ring remembers the keys it placed.
public final class BoundedLoads: ConsistentHash {
    public let algorithm = Algorithm.bounded
    public let ring: VnodeRing
    public let capacityFactor: Double
    public private(set) var loads: [Int]
    public private(set) var placed = 0
    let weightFractions: [Double]

    /// Generated keys used for the shares: owners depend on arrival order, so there is no
    /// closed form; this many keys puts the simulation's noise well under 1% per node.
    public static let simulatedKeys = 100_000

    public init(ring: VnodeRing, capacityFactor: Double) {
        self.ring = ring
        self.capacityFactor = capacityFactor
        loads = [Int](repeating: 0, count: ring.nodes.count)
        let total = Double(ring.nodes.reduce(0) { $0 + $1.weight })
        weightFractions = ring.nodes.map { Double($0.weight) / total }
    }

    public var nodes: [RingNode] { ring.nodes }

    /// ⌈c·(m+1)·w/W⌉ for node i when the (m+1)-th key arrives.
    public func capacity(_ i: Int) -> Int {
        Int((capacityFactor * Double(placed + 1) * weightFractions[i]).rounded(.up))
    }

    public func owner(of key: UnsafeRawBufferPointer) -> Int {
        let points = ring.continuum
        var index = points.index(for: XXH64.hash(key))
        var chosen = -1
        for _ in 0..<points.count {
            let candidate = Int(points.owners[index])
            if loads[candidate] < capacity(candidate) {
                chosen = candidate
                break
            }
            index = index + 1 == points.count ? 0 : index + 1
        }
        // The capacities sum to at least m+1 (c ≥ 1), so some node always has room; a node with
        // no points at all is the only way to get here.
        if chosen < 0 { chosen = loads.indices.min { loads[$0] < loads[$1] } ?? 0 }
        loads[chosen] += 1
        placed += 1
        return chosen
    }

    public func reset() -> any ConsistentHash {
        BoundedLoads(ring: ring, capacityFactor: capacityFactor)
    }

    public func shares() -> Shares {
        let fresh = BoundedLoads(ring: ring, capacityFactor: capacityFactor)
        var counts = [Int](repeating: 0, count: nodes.count)
        for i in 0..<Self.simulatedKeys {
            counts[fresh.owner(of: SampleKeys.key(i))] += 1
        }
        return Shares(ratios: counts.map { Double($0) / Double(Self.simulatedKeys) }, method: .simulation(keys: Self.simulatedKeys))
    }

    public var memoryBytes: Int { ring.memoryBytes + nodes.count * 8 }

    public var lookupCost: String { ring.lookupCost + ", then a walk past full nodes" }
}

/// The generated keys scalectl uses where it has to sample: `key-0`, `key-1`, … — short
/// strings like real cache keys, deterministic so every run prints the same figures.
public enum SampleKeys {
    public static func key(_ i: Int) -> [UInt8] {
        Array("key-\(i)".utf8)
    }
}

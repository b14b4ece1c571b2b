/// A ring of virtual nodes over the 64-bit XXH64 space: node n with weight w gets N·w points
/// at XXH64("NAME-i", seed 0) for i in 0 ..< N·w, and a key belongs to the first point ≥
/// XXH64(key, seed 0), wrapping. Points scale with the node's own weight only, so adding or
/// reweighting one node never moves another node's points (unlike weighted ketama).
public final class VnodeRing: ConsistentHash {
    public let algorithm = Algorithm.vnodes
    public let nodes: [RingNode]
    public let vnodesPerWeight: Int
    public let continuum: Continuum<UInt64>

    public init(nodes: [RingNode], vnodesPerWeight: Int) {
        self.nodes = nodes
        self.vnodesPerWeight = vnodesPerWeight
        var points: [(value: UInt64, owner: UInt32)] = []
        points.reserveCapacity(nodes.reduce(0) { $0 + $1.weight } * vnodesPerWeight)
        for (index, node) in nodes.enumerated() {
            for value in Self.points(node, count: node.weight * vnodesPerWeight) { points.append((value, UInt32(index))) }
        }
        continuum = Continuum(points: points, nodeCount: nodes.count)
    }

    static func points(_ node: RingNode, count: Int) -> [UInt64] {
        var label = PointLabel(prefix: node.name)
        return (0..<count).map { i in label.with(index: i) { XXH64.hash($0) } }
    }

    public func owner(of key: UnsafeRawBufferPointer) -> Int {
        continuum.owner(for: XXH64.hash(key))
    }

    public func shares() -> Shares {
        Shares(ratios: continuum.shareRatios(), method: .arcs)
    }

    public var memoryBytes: Int { continuum.count * 12 }

    public var lookupCost: String {
        "1 XXH64 + \(binarySearchSteps(continuum.count))-step search"
    }
}

/// Maglev hashing (Eisenbud et al., NSDI 2016, section 3.4): a lookup table of prime size M
/// that every node fills from its own permutation, taking turns. offset = XXH64(name, seed 0)
/// mod M and skip = XXH64(name, seed 1) mod (M − 1) + 1 give node i's preference list
/// (offset + j·skip) mod M; a key goes to table[XXH64(key) mod M]. Weights follow Envoy's
/// Maglev: in round r a node takes a turn when r·w ≥ its next target, so a node of weight w
/// fills about w/Σw of the table. Not perfectly consistent: a change also moves a few entries
/// between nodes that stayed, which `ring diff` shows.
public final class MaglevTable: ConsistentHash {
    public let algorithm = Algorithm.maglev
    public let nodes: [RingNode]
    public let table: [UInt32]

    public init(nodes: [RingNode], size: Int) {
        self.nodes = nodes
        let m = UInt64(size)
        let offsets = nodes.map { XXH64.hash($0.name, seed: 0) % m }
        let skips = nodes.map { XXH64.hash($0.name, seed: 1) % (m - 1) + 1 }
        let maxWeight = UInt64(nodes.map(\.weight).max() ?? 1)
        var next = [UInt64](repeating: 0, count: nodes.count)
        var target = [UInt64](repeating: maxWeight, count: nodes.count)
        var table = [UInt32](repeating: UInt32.max, count: size)
        var filled = 0
        var round: UInt64 = 1
        while filled < size {
            for i in nodes.indices where filled < size {
                guard round * UInt64(nodes[i].weight) >= target[i] else { continue }
                target[i] += maxWeight
                var slot = Int((offsets[i] + next[i] % m * skips[i]) % m)
                while table[slot] != UInt32.max {
                    next[i] += 1
                    slot = Int((offsets[i] + next[i] % m * skips[i]) % m)
                }
                table[slot] = UInt32(i)
                next[i] += 1
                filled += 1
            }
            round += 1
        }
        self.table = table
    }

    public func owner(of key: UnsafeRawBufferPointer) -> Int {
        Int(table[Int(XXH64.hash(key) % UInt64(table.count))])
    }

    public func shares() -> Shares {
        var counts = [Int](repeating: 0, count: nodes.count)
        for entry in table { counts[Int(entry)] += 1 }
        return Shares(ratios: counts.map { Double($0) / Double(table.count) }, method: .table)
    }

    public var memoryBytes: Int { table.count * 4 }

    public var lookupCost: String { "1 XXH64 + 1 table read" }
}

import Glibc

/// Rendezvous (highest random weight) hashing with weights: each node scores
/// −w / ln(u), u = XXH64 of the key's XXH64 with the node's seed, mapped into (0, 1), and the
/// highest score wins (ties: the earlier node). With this score node i wins with probability
/// exactly w_i / Σw (−ln u / w is exponential with rate w; the smallest of independent
/// exponentials is rate i's with probability w_i / Σw), and a node that joins or leaves moves
/// only its own keys.
public final class Rendezvous: ConsistentHash {
    public let algorithm = Algorithm.rendezvous
    public let nodes: [RingNode]
    let seeds: [UInt64]
    let weights: [Double]

    public init(nodes: [RingNode]) {
        self.nodes = nodes
        seeds = nodes.map { XXH64.hash($0.name) }
        weights = nodes.map { Double($0.weight) }
    }

    public func owner(of key: UnsafeRawBufferPointer) -> Int {
        let h = XXH64.hash(key)
        var best = 0
        var bestScore = -Double.infinity
        for i in 0..<seeds.count {
            let u = unitInterval(XXH64.hash(word: h, seed: seeds[i]))
            let score = -weights[i] / log(u)
            if score > bestScore {
                bestScore = score
                best = i
            }
        }
        return best
    }

    public func shares() -> Shares {
        let total = weights.reduce(0, +)
        return Shares(ratios: weights.map { $0 / total }, method: .expectation)
    }

    public var memoryBytes: Int { nodes.count * 16 }

    public var lookupCost: String { "\(nodes.count + 1) XXH64 + \(nodes.count) ln" }
}

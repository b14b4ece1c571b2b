import Rebalance

/// The fewest replica moves that balance a small cluster, found by trying every placement: an
/// exact reference that shares no code with the planner. Each partition may end on any set of
/// target brokers of its size that spreads evenly over the racks; a dynamic program over
/// partitions keeps, for every vector of per-broker counts, the fewest moves reaching it, and
/// the answer is the cheapest vector within every broker's [floor, ceil] of its share.
enum BruteForceOptimum {
    /// nil when no placement meets the targets.
    static func moves(_ assignment: Assignment, cluster: ClusterSpec, perTopic: Bool) -> Int? {
        let scopes = perTopic
            ? assignment.topics.map { topic in assignment.partitions.filter { $0.id.topic == topic } }
            : [assignment.partitions]
        var total = 0
        for scope in scopes {
            guard let moves = scopeMoves(scope, cluster: cluster) else { return nil }
            total += moves
        }
        return total
    }

    /// Each target broker's share of `partitions`' replicas: racks take their weight's share
    /// clamped to what the even spread lets them hold (bisection on the common factor), then
    /// brokers split their rack's total by weight, capped at one replica per partition.
    static func shares(_ partitions: [PartitionReplicas], cluster: ClusterSpec) -> [Double] {
        let brokers = cluster.brokers
        let replicas = Double(partitions.reduce(0) { $0 + $1.replicas.count })
        let cap = Double(partitions.count)
        guard cluster.rackAware else {
            return PlannerInvariantTests.cappedShares(total: replicas, weights: brokers.map { cluster.weight(of: $0) }, cap: cap)
        }
        let racks = cluster.rackNames
        let members = racks.map { rack in brokers.filter { cluster.racks[$0] == rack } }
        let minimum = members.map { _ in Double(partitions.reduce(0) { $0 + $1.replicas.count / racks.count }) }
        let maximum = members.map { m in Double(partitions.reduce(0) { $0 + min(m.count, ($1.replicas.count + racks.count - 1) / racks.count) }) }
        let weight = members.map { $0.reduce(0.0) { $0 + cluster.weight(of: $1) } }
        func filled(_ factor: Double) -> [Double] { racks.indices.map { min(max(factor * weight[$0], minimum[$0]), maximum[$0]) } }
        var low = 0.0, high = replicas + 1
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if filled(mid).reduce(0, +) < replicas { low = mid } else { high = mid }
        }
        let rackTotals = filled(high)
        var shares = Array(repeating: 0.0, count: brokers.count)
        for (k, m) in members.enumerated() {
            let split = PlannerInvariantTests.cappedShares(total: rackTotals[k], weights: m.map { cluster.weight(of: $0) }, cap: cap)
            for (b, share) in zip(m, split) { shares[brokers.firstIndex(of: b)!] = share }
        }
        return shares
    }

    static func scopeMoves(_ partitions: [PartitionReplicas], cluster: ClusterSpec) -> Int? {
        let brokers = cluster.brokers
        let shares = shares(partitions, cluster: cluster)
        let low = shares.map { Int(($0 + 1e-6).rounded(.down)) }
        let high = shares.map { Int(($0 - 1e-6).rounded(.up)) }
        var best: [[Int]: Int] = [Array(repeating: 0, count: brokers.count): 0]
        for partition in partitions {
            let choices = placements(of: partition.replicas.count, cluster: cluster)
            var next: [[Int]: Int] = [:]
            for (counts, cost) in best {
                for choice in choices where choice.allSatisfy({ counts[$0] < high[$0] }) {
                    var grown = counts
                    for b in choice { grown[b] += 1 }
                    let moved = choice.filter { !partition.replicas.contains(brokers[$0]) }.count
                    next[grown] = min(next[grown] ?? Int.max, cost + moved)
                }
            }
            best = next
        }
        return best.filter { counts, _ in counts.indices.allSatisfy { counts[$0] >= low[$0] } }.values.min()
    }

    /// Every set of `size` target brokers (as indices into `cluster.brokers`) with an even rack spread.
    static func placements(of size: Int, cluster: ClusterSpec) -> [[Int]] {
        let brokers = cluster.brokers
        var result: [[Int]] = []
        func extend(_ chosen: [Int], from start: Int) {
            if chosen.count == size {
                if cluster.rackAware {
                    let racks = cluster.rackNames
                    let tally = racks.map { rack in chosen.filter { cluster.racks[brokers[$0]] == rack }.count }
                    guard tally.allSatisfy({ $0 >= size / racks.count && $0 <= (size + racks.count - 1) / racks.count }) else { return }
                }
                result.append(chosen)
                return
            }
            guard start < brokers.count else { return }
            for b in start..<brokers.count { extend(chosen + [b], from: b + 1) }
        }
        extend([], from: 0)
        return result
    }
}

import Testing
import Rebalance
import ScaleCore

/// Many seeded random clusters (racks, weights, joins and departures, uneven starting points):
/// whatever the planner does must be a valid assignment, respect the racks, never claim fewer
/// moves than the bound, and meet the targets whenever it says it did. The checks recount
/// everything from the plan's `after` assignment, independently of the planner's bookkeeping.
@Suite struct PlannerInvariantTests {
    @Test(arguments: 0..<200)
    func randomClustersKeepEveryRule(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
        let brokerCount = Int.random(in: 4...12, using: &random)
        let brokers = Array(1...brokerCount)
        let rackCount = Int.random(in: 0...3, using: &random)
        var racks: [Int: String] = [:]
        if rackCount > 0 { for b in 1...(brokerCount + 3) { racks[b] = "r\(b % rackCount)" } }
        let rf = Int.random(in: 1...3, using: &random)
        // A deliberately lopsided start: replicas drawn from a skewed distribution.
        var partitions: [PartitionReplicas] = []
        for t in 0..<Int.random(in: 1...3, using: &random) {
            for p in 0..<Int.random(in: 4...40, using: &random) {
                var replicas: [Int] = []
                while replicas.count < rf {
                    let b = brokers[min(brokerCount - 1, Int(Double(brokerCount) * pow2(Double.random(in: 0..<1, using: &random))))]
                    if !replicas.contains(b) { replicas.append(b) }
                }
                partitions.append(PartitionReplicas(TopicPartition("t\(t)", p), replicas: replicas, sizeBytes: UInt64.random(in: 1...1000, using: &random)))
            }
        }
        let assignment = Assignment(partitions)
        var target = Set(assignment.brokers)
        for _ in 0..<Int.random(in: 0...3, using: &random) { target.insert(brokerCount + Int.random(in: 1...3, using: &random)) }
        if target.count > rf + 1, Bool.random(using: &random), let victim = target.sorted().first { target.remove(victim) }
        var weights: [Int: Double] = [:]
        if Bool.random(using: &random), let heavy = target.sorted().last { weights[heavy] = 2 }
        let cluster = ClusterSpec(brokers: Array(target), racks: racks.filter { target.contains($0.key) }, weights: weights)
        let perTopic = Bool.random(using: &random)

        let plan: RebalancePlan
        do {
            plan = try RebalancePlanner.plan(assignment, cluster: cluster, options: PlanOptions(perTopic: perTopic))
        } catch {
            // Only an infeasible replication factor may be refused.
            #expect(error.what.contains("replicas"), "seed \(seed): \(error)")
            return
        }
        var arrivals = 0
        for (old, new) in zip(plan.before.partitions, plan.after.partitions) {
            #expect(new.replicas.count == old.replicas.count, "seed \(seed)")
            #expect(Set(new.replicas).count == new.replicas.count, "seed \(seed): \(new.id) distinct")
            #expect(new.replicas.allSatisfy(target.contains), "seed \(seed): \(new.id) on targets")
            arrivals += Set(new.replicas).subtracting(old.replicas).count
            if !cluster.racks.isEmpty {
                let rackTotal = cluster.rackNames.count
                var perRack: [String: Int] = [:]
                for b in new.replicas { perRack[cluster.racks[b]!, default: 0] += 1 }
                let high = (new.replicas.count + rackTotal - 1) / rackTotal
                #expect(perRack.values.allSatisfy { $0 <= high }, "seed \(seed): \(new.id) \(perRack) crowds a rack")
            }
        }
        #expect(plan.moves.count == arrivals, "seed \(seed)")
        let balanced = plan.balanced
        #expect(balanced, "seed \(seed): \(plan.problems)")
        #expect(plan.moves.count >= plan.bound.moves, "seed \(seed): below the lower bound")
        if !perTopic {
            // Within one of each broker's weighted share — of the whole cluster without racks, of
            // its rack's replicas with racks (the even-spread rule fixes how many a rack can
            // hold) — where no broker's share exceeds the partition count (one replica each).
            var counts: [Int: Int] = [:]
            for partition in plan.after.partitions { for b in partition.replicas { counts[b, default: 0] += 1 } }
            let cap = Double(plan.after.partitions.count)
            for b in target {
                let peers = target.filter { cluster.racks[$0] == cluster.racks[b] }.sorted()
                let total = peers.reduce(0) { $0 + counts[$1, default: 0] }
                let shares = Self.cappedShares(total: Double(total), weights: peers.map { cluster.weight(of: $0) }, cap: cap)
                let share = shares[peers.firstIndex(of: b)!]
                #expect(abs(Double(counts[b, default: 0]) - share) < 1 + 1e-9, "seed \(seed): broker \(b) holds \(counts[b, default: 0]) of share \(share)")
            }
        }
    }

    /// Shares proportional to weight with a common cap, by bisection on the proportionality
    /// factor λ: Σ min(cap, λ·w) = total (a different method from the planner's water-filling).
    static func cappedShares(total: Double, weights: [Double], cap: Double) -> [Double] {
        var low = 0.0, high = total + 1
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if weights.reduce(0, { $0 + min(cap, mid * $1) }) < total { low = mid } else { high = mid }
        }
        return weights.map { min(cap, high * $0) }
    }
}

private func pow2(_ x: Double) -> Double { x * x }

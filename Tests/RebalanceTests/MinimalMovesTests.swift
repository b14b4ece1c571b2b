import Testing
import Rebalance
import ScaleCore

/// Issue 18: decommissions were 1–2 moves over a bound that a min-cost flow reaches. The plan
/// must now be minimal — checked against an exhaustive search on small clusters, and against
/// the bound on Kafka's own placements, where it is reachable.
@Suite struct MinimalMovesTests {
    /// The smallest reported case: broker 4 leaves brokers 1–5. 91 replicas over 4 brokers is
    /// 22.75, so 22 or 23 each; brokers 1, 2, 3, 5 hold 24, 19, 19, 18 — they need 3 + 3 + 4 = 10
    /// arrivals, broker 1 must shed 1 and broker 4's 11 must all leave: 12 departures, bound 12 (the
    /// greedy made 13).
    static let repro = """
        t0-0,5,2
        t0-1,2,5
        t0-2,3,2
        t0-3,1,5
        t0-4,1,3
        t1-0,2,5,3
        t1-1,5,1,2
        t1-2,1,4,5
        t1-3,4,3,1
        t1-4,5,3,2
        t1-5,3,1,4
        t1-6,2,1,5
        t1-7,3,1,4
        t1-8,3,1,5
        t1-9,2,1,4
        t1-10,2,4,1
        t1-11,2,5,3
        t1-12,1,5,3
        t1-13,5,3,1
        t1-14,5,4,2
        t1-15,4,2,1
        t2-0,3,2,1
        t2-1,3,1,2
        t2-2,2,1,3
        t2-3,5,3,1
        t2-4,2,4,1
        t2-5,5,2,1
        t2-6,3,1,2
        t2-7,1,5,3
        t2-8,2,1,5
        t2-9,1,4,3
        t2-10,3,4,5

        """

    @Test func reproDecommissionMeetsTheBound() throws {
        let assignment = try AssignmentCSV.parse(Array(Self.repro.utf8), source: "repro.csv")
        let plan = try RebalancePlanner.plan(assignment, cluster: ClusterSpec(brokers: [1, 2, 3, 5]))
        #expect(plan.bound.removedReplicas == 11)
        #expect(plan.bound.departures == 12)
        #expect(plan.bound.moves == 12)
        #expect(plan.moves.count == 12)
        #expect(plan.balanced && plan.minimal)
    }

    /// Kafka's round-robin with its random start index and shift per topic (3 topics × 32
    /// partitions, RF 3, brokers 1–6), then a decommission: the replicas on the leaving broker
    /// must move and, without racks, a plan moving only those (or the count bound) always exists.
    @Test(arguments: 0..<50)
    func kafkaDecommissionsMeetTheBound(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 18)
        let assignment = KafkaAssignment.randomCluster(topics: 3, partitions: 32, replicationFactor: 3, brokers: Array(1...6), using: &random)
        for (removed, perTopic) in [(5, true), (Int.random(in: 1...6, using: &random), false)] {
            let cluster = ClusterSpec(brokers: (1...6).filter { $0 != removed })
            let plan = try RebalancePlanner.plan(assignment, cluster: cluster, options: PlanOptions(perTopic: perTopic))
            #expect(plan.balanced)
            #expect(plan.moves.count == plan.bound.moves, "seed \(seed), remove \(removed), per-topic \(perTopic)")
        }
    }

    /// Random small clusters — racks or none, weights, joins and departures, lopsided starts,
    /// --per-topic or not — against the exhaustive search: the plan moves exactly as few
    /// replicas as the best placement, and reaches the targets exactly when one does.
    @Test(arguments: 0..<300)
    func smallClustersMatchTheExhaustiveOptimum(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 18)
        let brokerCount = Int.random(in: 3...5, using: &random)
        let rf = Int.random(in: 1...min(3, brokerCount), using: &random)
        var partitions: [PartitionReplicas] = []
        for t in 0..<Int.random(in: 1...2, using: &random) {
            for p in 0..<Int.random(in: 2...6, using: &random) {
                var replicas: [Int] = []
                while replicas.count < rf {
                    // Skewed towards low ids, so some brokers start far above their share.
                    let b = 1 + min(brokerCount - 1, Int(Double(brokerCount) * pow(Double.random(in: 0..<1, using: &random), 2)))
                    if !replicas.contains(b) { replicas.append(b) }
                }
                partitions.append(PartitionReplicas(TopicPartition("t\(t)", p), replicas: replicas))
            }
        }
        let assignment = Assignment(partitions)
        var target = Set(1...brokerCount)
        if Bool.random(using: &random) { target.insert(brokerCount + 1) }
        if Bool.random(using: &random) { target.remove(Int.random(in: 1...brokerCount, using: &random)) }
        let rackCount = Int.random(in: 0...3, using: &random)
        var racks: [Int: String] = [:]
        if rackCount > 0 { for b in target { racks[b] = "r\(b % rackCount)" } }
        var weights: [Int: Double] = [:]
        if Int.random(in: 0..<4, using: &random) == 0, let heavy = target.sorted().last { weights[heavy] = 2 }
        let cluster = ClusterSpec(brokers: Array(target), racks: racks, weights: weights)
        let perTopic = Bool.random(using: &random)

        let optimum = BruteForceOptimum.moves(assignment, cluster: cluster, perTopic: perTopic)
        let plan: RebalancePlan
        do {
            plan = try RebalancePlanner.plan(assignment, cluster: cluster, options: PlanOptions(perTopic: perTopic))
        } catch {
            #expect(optimum == nil, "seed \(seed): refused \(error) but the search found \(String(describing: optimum))")
            return
        }
        guard let optimum else {
            #expect(!plan.balanced, "seed \(seed): claims balance that no placement has")
            return
        }
        #expect(plan.balanced, "seed \(seed): \(plan.problems)")
        #expect(plan.moves.count == optimum, "seed \(seed): \(plan.moves.count) moves, optimum \(optimum), bound \(plan.bound.moves)")
        #expect(plan.bound.moves <= optimum, "seed \(seed): bound \(plan.bound.moves) above the optimum \(optimum)")
        #expect(plan.minimal, "seed \(seed)")
    }
}

private func pow(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1) { total, _ in total * x } }

/// Issue 18, racks: growing 6 → 7 brokers in racks a, b, c (0=a, 1=b, 2=c, 3=a, 4=b, 5=c,
/// 6=a) from Kafka's rack-unaware round-robin. The plain count bound (33–36 here) is far below
/// the 56–60 moves every plan needs; counted rack by rack it is exactly what the plan moves.
@Suite struct RackBoundTests {
    @Test(arguments: 0..<20)
    func growingIntoARackMeetsTheRackAwareBound(seed: Int) throws {
        var random = SplitMix64(seed: UInt64(seed) &+ 1806)
        let assignment = KafkaAssignment.randomCluster(topics: 3, partitions: 32, replicationFactor: 3, brokers: Array(0...5), using: &random)
        let racks = [0: "a", 1: "b", 2: "c", 3: "a", 4: "b", 5: "c", 6: "a"]
        let plan = try RebalancePlanner.plan(assignment, cluster: ClusterSpec(brokers: Array(0...6), racks: racks))
        #expect(plan.balanced && plan.minimal)
        #expect(plan.moves.count == plan.bound.rackMoves, "seed \(seed)")
    }
}

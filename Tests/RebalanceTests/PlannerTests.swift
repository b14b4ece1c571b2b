import Testing
import Rebalance
import ScaleCore

/// The planner against bounds derived by hand from the assignment Kafka itself would have made
/// (`KafkaAssignment`, fixed start index and shift 0 — Kafka picks them at random). A move count
/// below a hand-derived lower bound is impossible, so "moves == bound" checks optimality; the
/// structural checks (`validate`) make sure the plan is a real, balanced assignment.
@Suite struct PlannerTests {
    /// Replica counts per broker id.
    static func counts(_ assignment: Assignment, topic: String? = nil) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for partition in assignment.partitions where topic == nil || partition.id.topic == topic {
            for broker in partition.replicas { counts[broker, default: 0] += 1 }
        }
        return counts
    }

    static func leaders(_ assignment: Assignment, topic: String? = nil) -> [Int: Int] {
        var leaders: [Int: Int] = [:]
        for partition in assignment.partitions where topic == nil || partition.id.topic == topic {
            leaders[partition.replicas[0], default: 0] += 1
        }
        return leaders
    }

    /// Every partition keeps its replica count on distinct target brokers, and the moves are
    /// exactly the difference between before and after.
    static func validate(_ plan: RebalancePlan, targets: [Int]) {
        var diff = 0
        for (old, new) in zip(plan.before.partitions, plan.after.partitions) {
            #expect(old.id == new.id)
            #expect(new.replicas.count == old.replicas.count, "\(new.id) keeps its replication factor")
            #expect(Set(new.replicas).count == new.replicas.count, "\(new.id) has distinct brokers")
            #expect(new.replicas.allSatisfy(targets.contains), "\(new.id) is only on target brokers")
            diff += Set(new.replicas).subtracting(old.replicas).count
        }
        #expect(plan.moves.count == diff, "moves are the net difference")
    }

    /// 3 topics × 32 partitions × RF 3 on brokers 1–6 (Kafka's round-robin), add broker 7.
    ///
    /// Hand derivation of the bound: 288 replicas over 7 equal brokers is 41.14 each, so every
    /// broker must end with 41 or 42. Broker 7 starts empty and must receive at least 41; each
    /// move brings one replica, so no plan has fewer than 41 moves. Kafka's round-robin (start 0,
    /// shift 0; 32 = 5 × 6 + 2 partitions per topic) leaves brokers 1–6 with 48, 51, 51, 48, 45,
    /// 45 replicas — all above 42, so they must shed 6+9+9+6+3+3 = 36, fewer than 41: the arrival
    /// side decides, and 41 moves suffice.
    @Test func addingABrokerReachesTheGlobalBound() throws {
        let assignment = KafkaAssignment.cluster(topics: 3, partitions: 32, replicationFactor: 3, brokers: [1, 2, 3, 4, 5, 6])
        #expect(Self.counts(assignment) == [1: 48, 2: 51, 3: 51, 4: 48, 5: 45, 6: 45])
        let cluster = try ClusterSpec.resolve(current: assignment.brokers, brokers: nil, add: [7], remove: [], racks: [:], weights: [:])
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: [1, 2, 3, 4, 5, 6, 7])
        #expect(plan.bound.arrivals == 41)
        #expect(plan.bound.departures == 36)
        #expect(plan.bound.moves == 41)
        #expect(plan.moves.count == 41)
        #expect(plan.balanced)
        #expect(Self.counts(plan.after).values.allSatisfy { $0 == 41 || $0 == 42 })
        #expect(Self.counts(plan.after)[7] == 41)
        #expect(plan.moves.allSatisfy { $0.to == 7 })
        // Leaders: 96 partitions over 7 brokers is 13.71, so 13 or 14 each, by reordering only.
        #expect(Self.leaders(plan.after).values.allSatisfy { $0 == 13 || $0 == 14 })
        #expect(plan.leaderChanges >= plan.bound.leaderChanges)
    }

    /// Same cluster with `--per-topic`: each topic's 96 replicas over 7 brokers is 13.71, so 13 or
    /// 14 per broker per topic. Broker 7 must receive at least 13 of each topic: 3 × 13 = 39.
    /// Round-robin gives each topic 16, 17, 17, 16, 15, 15 on brokers 1–6, all above 14; they must
    /// shed 2+3+3+2+1+1 = 12 per topic, fewer than 13, so 39 moves suffice.
    @Test func addingABrokerPerTopicReachesThePerTopicBound() throws {
        let assignment = KafkaAssignment.cluster(topics: 3, partitions: 32, replicationFactor: 3, brokers: [1, 2, 3, 4, 5, 6])
        #expect(Self.counts(assignment, topic: "t0") == [1: 16, 2: 17, 3: 17, 4: 16, 5: 15, 6: 15])
        let cluster = ClusterSpec(brokers: [1, 2, 3, 4, 5, 6, 7])
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster, options: PlanOptions(perTopic: true))
        Self.validate(plan, targets: [1, 2, 3, 4, 5, 6, 7])
        #expect(plan.bound.moves == 39)
        #expect(plan.moves.count == 39)
        for topic in ["t0", "t1", "t2"] {
            #expect(Self.counts(plan.after, topic: topic).values.allSatisfy { $0 == 13 || $0 == 14 }, "\(topic)")
            #expect(Self.counts(plan.after, topic: topic)[7] == 13)
            #expect(Self.leaders(plan.after, topic: topic).values.allSatisfy { $0 == 4 || $0 == 5 }, "32/7 = 4.57 leaders")
        }
        // The old brokers that keep the extra replica per topic are chosen to even the totals:
        // 288 − 39 = 249 over brokers 1–6 is 41.5, so 41 or 42 each.
        let totals = Self.counts(plan.after)
        #expect((1...6).allSatisfy { totals[$0] == 41 || totals[$0] == 42 })
    }

    /// 10 topics × 48 partitions × RF 3 on brokers 1–12, grow to 16. 1440 replicas over 16 is
    /// exactly 90 each. 48 partitions are 4 full rounds of 12, and each round puts exactly 3
    /// replicas on every broker, so brokers 1–12 hold 10 × 12 = 120 each and must shed 30 each
    /// (360), while brokers 13–16 must receive 90 each (360): bound 360.
    @Test func growingTwelveToSixteenReachesTheBound() throws {
        let assignment = KafkaAssignment.cluster(topics: 10, partitions: 48, replicationFactor: 3, brokers: Array(1...12))
        #expect(Self.counts(assignment).values.allSatisfy { $0 == 120 })
        let cluster = ClusterSpec(brokers: Array(1...16))
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: Array(1...16))
        #expect(plan.bound.moves == 360)
        #expect(plan.moves.count == 360)
        #expect(Self.counts(plan.after).values.allSatisfy { $0 == 90 })
        // 480 partitions over 16 brokers: exactly 30 leaders each.
        #expect(Self.leaders(plan.after).values.allSatisfy { $0 == 30 })
    }

    /// Decommissioning broker 3 of 1–6 (the 3-topic cluster above): its 51 replicas must all
    /// move. 288 over 5 brokers is 57.6, so 57 or 58; brokers 1, 2, 4, 5, 6 hold 48, 51, 48, 45,
    /// 45 and need 9+6+9+12+12 = 48 arrivals, fewer than the 51 departures, so exactly the 51
    /// replicas of broker 3 move and nothing else.
    @Test func decommissionMovesExactlyTheReplicasThatMust() throws {
        let assignment = KafkaAssignment.cluster(topics: 3, partitions: 32, replicationFactor: 3, brokers: [1, 2, 3, 4, 5, 6])
        let cluster = try ClusterSpec.resolve(current: assignment.brokers, brokers: nil, add: [], remove: [3], racks: [:], weights: [:])
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: [1, 2, 4, 5, 6])
        #expect(plan.bound.removedReplicas == 51)
        #expect(plan.bound.arrivals == 48)
        #expect(plan.bound.moves == 51)
        #expect(plan.moves.count == 51)
        #expect(plan.moves.allSatisfy { $0.from == 3 })
        #expect(Self.counts(plan.after).values.allSatisfy { $0 == 57 || $0 == 58 })
    }

    /// Decommission plus the count bound: remove brokers 11 and 12 of the balanced 12-broker
    /// cluster while adding 13. Brokers 11, 12 hold 240 replicas that must move; 1440 over 11
    /// brokers is 130.9, so 130 or 131: broker 13 needs ≥ 130 and brokers 1–10 (120 each) need
    /// ≥ 10 each = 100 more, 230 arrivals < 240 departures. Bound 240: only the replicas on the
    /// leaving brokers move, and the count targets are met too.
    @Test func decommissionWithAnAddedBrokerMeetsBothBounds() throws {
        let assignment = KafkaAssignment.cluster(topics: 10, partitions: 48, replicationFactor: 3, brokers: Array(1...12))
        let cluster = try ClusterSpec.resolve(current: assignment.brokers, brokers: nil, add: [13], remove: [11, 12], racks: [:], weights: [:])
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: Array(1...10) + [13])
        #expect(plan.bound.removedReplicas == 240)
        #expect(plan.bound.arrivals == 230)
        #expect(plan.moves.count == 240)
        #expect(plan.moves.allSatisfy { $0.from == 11 || $0.from == 12 })
        #expect(Self.counts(plan.after).values.allSatisfy { $0 == 130 || $0 == 131 })
    }

    /// A weighted broker takes its weighted share: brokers 1–6 weight 1, broker 7 weight 2 →
    /// broker 7's share of 288 is 288 × 2/8 = 72 exactly, the others 36 each.
    @Test func weightsSetTheShares() throws {
        let assignment = KafkaAssignment.cluster(topics: 3, partitions: 32, replicationFactor: 3, brokers: [1, 2, 3, 4, 5, 6])
        let cluster = ClusterSpec(brokers: [1, 2, 3, 4, 5, 6, 7], weights: [7: 2])
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: [1, 2, 3, 4, 5, 6, 7])
        #expect(plan.bound.moves == 72)
        #expect(plan.moves.count == 72)
        #expect(Self.counts(plan.after) == [1: 36, 2: 36, 3: 36, 4: 36, 5: 36, 6: 36, 7: 72])
    }

    /// Racks: Kafka's rack-aware placement over brokers 1–6 in racks a, b, c (two each) has no
    /// violations; adding 7, 8, 9 (one per rack) must keep every partition on three racks.
    /// 3 × 32 × 3 = 288 over 9 is exactly 32 each: the three new brokers need 96 arrivals.
    @Test func racksAreNeverViolated() throws {
        let racks = [1: "a", 2: "a", 3: "b", 4: "b", 5: "c", 6: "c"]
        let assignment = KafkaAssignment.rackAwareCluster(topics: 3, partitions: 32, replicationFactor: 3, racks: racks)
        let before = AssignmentCheck(assignment, cluster: ClusterSpec(brokers: Array(1...6), racks: racks))
        #expect(before.rackViolatingPartitions.isEmpty)
        var allRacks = racks
        allRacks[7] = "a"; allRacks[8] = "b"; allRacks[9] = "c"
        let cluster = ClusterSpec(brokers: Array(1...9), racks: allRacks)
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: Array(1...9))
        for partition in plan.after.partitions {
            #expect(Set(partition.replicas.map { allRacks[$0]! }).count == 3, "\(partition.id) spans three racks")
        }
        #expect(plan.bound.moves == 96)
        #expect(plan.moves.count == 96)
        #expect(Self.counts(plan.after).values.allSatisfy { $0 == 32 })
    }

    /// A rack-unaware assignment on racked brokers is fixed: with racks a = {1,2,3}, b = {4,5,6},
    /// RF 3 must be split 2 + 1. Every partition whose three replicas sit in one rack needs one
    /// move, which is exactly the rack-violation count; counts are already balanced (48 each
    /// needs nothing), so the bound is the violation count.
    @Test func rackViolationsAreRepairedAtTheirBound() throws {
        let racks = [1: "a", 2: "a", 3: "a", 4: "b", 5: "b", 6: "b"]
        let assignment = KafkaAssignment.cluster(topics: 1, partitions: 12, replicationFactor: 3, brokers: [1, 2, 3, 4, 5, 6])
        // Partitions 0 ([1,2,3]) and 3 ([4,5,6]) sit in a single rack.
        let single = assignment.partitions.filter { Set($0.replicas.map { racks[$0]! }).count == 1 }.map(\.id.partition)
        let cluster = ClusterSpec(brokers: Array(1...6), racks: racks)
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster)
        Self.validate(plan, targets: Array(1...6))
        #expect(plan.bound.rackViolations == single.count)
        #expect(plan.moves.count == plan.bound.moves)
        for partition in plan.after.partitions {
            #expect(Set(partition.replicas.map { racks[$0]! }).count == 2, "\(partition.id) spans both racks")
        }
        #expect(plan.balanced)
    }

    @Test func replicationFactorAboveTheBrokerCountIsAClearError() throws {
        let assignment = KafkaAssignment.cluster(topics: 1, partitions: 4, replicationFactor: 3, brokers: [1, 2, 3])
        let cluster = ClusterSpec(brokers: [1, 2])
        #expect(throws: ScaleError.input("t0-0 has 3 replicas but there are only 2 target brokers (1,2)",
                                         fix: "keep at least 3 brokers, or lower the topic's replication factor first")) {
            try RebalancePlanner.plan(assignment, cluster: cluster)
        }
    }

    /// RF 4 over racks a (3 brokers) and b (1 broker): an even spread puts 2 in each rack, and
    /// b cannot hold 2. RF 5 over a = {1,2,3}, b = {4}, c = {5}: at most ⌈5/3⌉ = 2 per rack fits
    /// 2 + 1 + 1 = 4 replicas, not 5.
    @Test func replicationFactorAboveTheRackCapacityIsAClearError() throws {
        let four = KafkaAssignment.cluster(topics: 1, partitions: 4, replicationFactor: 4, brokers: [1, 2, 3, 4])
        #expect(throws: ScaleError.input("t0-0 has 4 replicas: an even spread over 2 racks puts at least 2 in each, but rack b has only 1 target broker",
                                         fix: "add brokers to rack b, or lower the replication factor")) {
            try RebalancePlanner.plan(four, cluster: ClusterSpec(brokers: [1, 2, 3, 4], racks: [1: "a", 2: "a", 3: "a", 4: "b"]))
        }
        let five = KafkaAssignment.cluster(topics: 1, partitions: 5, replicationFactor: 5, brokers: [1, 2, 3, 4, 5])
        #expect(throws: ScaleError.input("t0-0 has 5 replicas but an even spread over racks a, b, c (at most 2 per rack) fits only 4",
                                         fix: "add brokers in more racks, or lower the replication factor")) {
            try RebalancePlanner.plan(five, cluster: ClusterSpec(brokers: [1, 2, 3, 4, 5], racks: [1: "a", 2: "a", 3: "a", 4: "b", 5: "c"]))
        }
    }

    /// Bytes: brokers 1–3 hold partitions of 10, 20, 30 + 40 bytes (RF 1). Adding broker 4 with
    /// equal weight gives a share of 100/4 = 25 each, within one partition (40): broker 3 is 45
    /// over, so something must leave it — at least 70 − 25 − 40 = 5 bytes. Removing broker 3
    /// instead forces all of its 70 bytes out.
    @Test func bytesModeBalancesWithinOnePartition() throws {
        let assignment = Assignment([
            PartitionReplicas(TopicPartition("a", 0), replicas: [1], sizeBytes: 10),
            PartitionReplicas(TopicPartition("a", 1), replicas: [2], sizeBytes: 20),
            PartitionReplicas(TopicPartition("a", 2), replicas: [3], sizeBytes: 30),
            PartitionReplicas(TopicPartition("a", 3), replicas: [3], sizeBytes: 40),
        ])
        let plan = try RebalancePlanner.plan(assignment, cluster: ClusterSpec(brokers: [1, 2, 3, 4]), options: PlanOptions(balance: .bytes))
        #expect(plan.bound.bytes == 5)
        #expect(plan.balanced)
        #expect(plan.bytesMoved >= 5)
        #expect(plan.brokers.allSatisfy { abs(Double($0.bytesAfter) - 25) <= 40 })

        let drained = try RebalancePlanner.plan(assignment, cluster: ClusterSpec(brokers: [1, 2, 4]), options: PlanOptions(balance: .bytes))
        #expect(drained.bound.bytes == 70)
        #expect(drained.bytesMoved == 70)
        #expect(drained.after.partitions.allSatisfy { !$0.replicas.contains(3) })
    }

    @Test func bytesModeNeedsSizes() {
        let assignment = KafkaAssignment.cluster(topics: 1, partitions: 4, replicationFactor: 1, brokers: [1, 2])
        #expect(throws: ScaleError.self) {
            try RebalancePlanner.plan(assignment, cluster: ClusterSpec(brokers: [1, 2]), options: PlanOptions(balance: .bytes))
        }
    }

    /// A balanced cluster needs nothing: no moves, no leader changes.
    @Test func aBalancedClusterIsLeftAlone() throws {
        let assignment = KafkaAssignment.cluster(topics: 10, partitions: 48, replicationFactor: 3, brokers: Array(1...12))
        let plan = try RebalancePlanner.plan(assignment, cluster: ClusterSpec(brokers: Array(1...12)))
        #expect(plan.moves.isEmpty)
        #expect(plan.leaderChanges == 0)
        #expect(plan.changedPartitions.isEmpty)
        #expect(plan.bound.moves == 0)
    }
}

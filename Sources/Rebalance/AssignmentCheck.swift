/// The health of an assignment as it stands: how far each broker is from its weighted share
/// of replicas and leaders, which partitions crowd a rack, which have lost replicas.
public struct AssignmentCheck: Sendable {
    public struct Broker: Sendable, Equatable {
        public var broker: Int
        public var rack: String?
        public var weight: Double
        public var replicas: Int
        public var targetReplicas: Double
        public var leaders: Int
        public var targetLeaders: Double
        public var bytes: UInt64
        /// |replicas − target| / target (0 when the target is 0 and the broker is empty).
        public var skew: Double
    }

    public var brokers: [Broker]
    public var partitions: Int
    public var replicas: Int
    /// The largest target broker's skew (replicas); with `perTopic`, the largest over every topic.
    public var skew: Double
    public var leaderSkew: Double
    /// Partitions whose replicas are not spread evenly over racks.
    public var rackViolatingPartitions: [TopicPartition]
    /// Replicas that would have to change rack to fix them.
    public var rackViolationReplicas: Int
    /// Partitions with fewer replicas than their topic's replication factor (the most common
    /// replica count among the topic's partitions; a tie takes the larger).
    public var underReplicated: [TopicPartition]
    /// Replicas on brokers outside the target set (`--brokers`).
    public var replicasOutsideTargets: Int
    /// Whether every broker is within one replica (and one lead) of its share.
    public var balanced: Bool

    public init(_ assignment: Assignment, cluster: ClusterSpec, perTopic: Bool = false) {
        let state = PlannerState(assignment: assignment, cluster: cluster)
        let counts = state.counts
        let total = counts.reduce(0, +)
        let all = Array(state.replicas.indices)
        let targets = state.replicaTargets(all)
        var leads = Array(repeating: 0, count: state.brokerCount)
        for list in state.replicas { leads[list[0]] += 1 }
        let leaderTargets = WeightedTargets(total: state.replicas.count, weights: state.weights)
        let rackNames = cluster.rackNames

        // Rounded to 1e-9 so 1.8 / 7.2 reads as the 25% it is, not 24.999…% (thresholds compare it).
        func skewOf(_ count: Int, _ share: Double) -> Double {
            guard share > 0 else { return count > 0 ? .infinity : 0 }
            return ((abs(Double(count) - share) / share) * 1e9).rounded() / 1e9
        }
        let brokerList = (0..<state.brokerCount).map { b in
            Broker(broker: state.brokerIDs[b], rack: state.rack[b] >= 0 ? rackNames[state.rack[b]] : nil,
                   weight: state.weights[b], replicas: counts[b], targetReplicas: targets.share[b],
                   leaders: leads[b], targetLeaders: leaderTargets.share[b], bytes: state.bytes[b],
                   skew: skewOf(counts[b], targets.share[b]))
        }
        brokers = brokerList
        partitions = state.replicas.count
        replicas = total
        // Skew over target brokers only: replicas outside the targets are counted on their own.
        let targetIndices = (0..<state.brokerCount).filter { state.isTarget[$0] }
        var worst = targetIndices.map { brokerList[$0].skew }.max() ?? 0
        if perTopic {
            for t in 0..<state.topicCount {
                let topicTargets = state.replicaTargets(all.filter { state.topicOf[$0] == t })
                for b in targetIndices { worst = max(worst, skewOf(state.topicCounts[t][b], topicTargets.share[b])) }
            }
        }
        skew = worst
        leaderSkew = targetIndices.map { skewOf(leads[$0], leaderTargets.share[$0]) }.max() ?? 0
        var violating: [TopicPartition] = []
        var violationReplicas = 0
        for p in state.replicas.indices {
            let v = state.rackViolation(p)
            if v > 0 {
                violating.append(assignment.partitions[p].id)
                violationReplicas += v
            }
        }
        rackViolatingPartitions = violating
        rackViolationReplicas = violationReplicas

        var byTopic: [String: [Int: Int]] = [:]
        for partition in assignment.partitions { byTopic[partition.id.topic, default: [:]][partition.replicas.count, default: 0] += 1 }
        var factor: [String: Int] = [:]
        for (topic, histogram) in byTopic {
            factor[topic] = histogram.max { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }!.key
        }
        underReplicated = assignment.partitions.filter { $0.replicas.count < factor[$0.id.topic]! }.map(\.id)
        replicasOutsideTargets = (0..<state.brokerCount).filter { !state.isTarget[$0] }.reduce(0) { $0 + counts[$1] }
        balanced = targets.minimumMoves(counts) == 0 && leaderTargets.minimumMoves(leads) == 0
    }
}

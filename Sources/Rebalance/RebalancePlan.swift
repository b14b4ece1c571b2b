/// What `--balance` evens out across brokers.
public enum BalanceMode: String, Sendable, CaseIterable {
    /// Replica counts, to within one of each broker's weighted share.
    case replicas
    /// Bytes, to within one partition (the largest) of each broker's weighted share.
    case bytes
}

public struct PlanOptions: Sendable {
    public var balance: BalanceMode
    /// Balance each topic's replicas on its own (and leaders per topic).
    public var perTopic: Bool

    public init(balance: BalanceMode = .replicas, perTopic: Bool = false) {
        self.balance = balance
        self.perTopic = perTopic
    }
}

/// One replica leaving one broker for another.
public struct ReplicaMove: Sendable, Equatable {
    public var partition: TopicPartition
    public var from: Int
    public var to: Int
    /// The partition's size, when known.
    public var bytes: UInt64?
    /// The partition's leader before the plan: the broker a new replica copies from.
    public var copySource: Int

    public init(partition: TopicPartition, from: Int, to: Int, bytes: UInt64?, copySource: Int) {
        self.partition = partition
        self.from = from
        self.to = to
        self.bytes = bytes
        self.copySource = copySource
    }
}

/// Why a plan cannot move fewer replicas, in parts a person can check by hand.
public struct LowerBound: Sendable, Equatable {
    /// The bound on replica moves: the largest of the parts below, and of the sum over scopes
    /// of each scope's larger count or rack bound (more than either sum with `--per-topic`
    /// when topics differ in which one decides).
    public var moves: Int
    /// Replicas on brokers leaving the cluster: every one must move.
    public var removedReplicas: Int
    /// Σ max(0, low − count): replicas that must arrive at brokers below their share.
    public var arrivals: Int
    /// Σ max(0, count − high): replicas that must leave brokers above their share (removed brokers included).
    public var departures: Int
    /// Σ over scopes (all partitions, or each topic with --per-topic) of max(arrivals, departures).
    public var countMoves: Int
    /// Replicas in a rack that holds more than its even share of their partition.
    public var rackViolations: Int
    /// With racks, the bound counted rack by rack (`rackAwareMoves`): each rack needs the larger
    /// of its brokers' shortfall and its partitions' spread shortfall in arrivals, and likewise
    /// for departures. 0 without racks or with `--balance bytes`.
    public var rackMoves: Int
    /// With `--balance bytes`: bytes that must move (removed brokers' bytes, or what brings every
    /// broker within one partition of its share, whichever is more).
    public var bytes: UInt64?
    /// Leadership changes needed to balance leaders once the replicas are placed.
    public var leaderChanges: Int
}

/// One broker before and after the plan.
public struct BrokerOutcome: Sendable, Equatable {
    public var broker: Int
    public var rack: String?
    /// 0 for a broker leaving the cluster.
    public var weight: Double
    /// The weighted share of replicas (of bytes with --balance bytes) this broker should hold.
    public var targetReplicas: Double
    public var replicasBefore: Int
    public var replicasAfter: Int
    public var leadersBefore: Int
    public var leadersAfter: Int
    public var bytesBefore: UInt64
    public var bytesAfter: UInt64
    /// Bytes this broker receives (new replicas it must copy).
    public var bytesIn: UInt64
    /// Bytes this broker sends: new replicas copy from the partition's leader.
    public var bytesOut: UInt64
    public var replicasIn: Int
    public var replicasOut: Int
}

public struct RebalancePlan: Sendable {
    public var before: Assignment
    public var after: Assignment
    /// Net moves, by partition: a replica that hopped twice while planning is one move.
    public var moves: [ReplicaMove]
    /// Partitions whose preferred leader changed by reordering their replicas (no data moves).
    public var leaderChanges: Int
    /// Partitions whose preferred leader (first replica) differs from before, for any reason.
    public var leadersMoved: Int
    public var bound: LowerBound
    public var brokers: [BrokerOutcome]
    /// Whether any broker has a rack: the rules then spread replicas over racks.
    public var rackAware: Bool { brokers.contains { $0.rack != nil } }
    /// Whether every broker ended within its targets (and every partition spread over racks).
    public var balanced: Bool
    /// Whether no plan moves fewer replicas: it meets the bound, or an exact search (min-cost
    /// flow) found nothing better. Only for replica balance with the targets reached.
    public var minimal: Bool
    /// Sentences about targets the plan could not reach, for people.
    public var problems: [String]
    /// When a minimal plan is over its bound: per scope, the placement rule that forces the
    /// extra moves, from the exact search's dual (`BindingRule`), for people.
    public var binding: [String]
    public var options: PlanOptions

    /// The partitions whose replica list changed (membership or order): what `--execute` needs.
    public var changedPartitions: [PartitionReplicas] {
        zip(before.partitions, after.partitions).compactMap { $0.replicas == $1.replicas ? nil : $1 }
    }

    public var bytesMoved: UInt64 { moves.reduce(0) { $0 + ($1.bytes ?? 0) } }

    /// Moves beyond the lower bound (0 when the plan is provably minimal).
    public var movesOverBound: Int { max(0, moves.count - bound.moves) }
}

/// Groups a plan into batches to run one after another, and estimates how long the copying takes.
///
/// A partition's moves run together (Kafka reassigns a partition's replica list at once). Each
/// move occupies its two brokers — the one losing the replica and the one receiving it — and a
/// batch holds at most `maxConcurrent` moves per broker; partitions are placed, in plan order,
/// into the first batch with room. Partitions that only change their leader move no data and go
/// in batch 1.
///
/// Duration: Kafka's replication throttle caps each broker's replication traffic in and out, and
/// a new replica copies from the partition's leader, so the busiest broker sets the pace:
/// max over brokers of max(bytes in, bytes out) / throttle.
public struct MoveSchedule: Sendable, Equatable {
    /// Batch number (from 1) per partition that changes, keyed by partition.
    public var batchOf: [TopicPartition: Int]
    public var batchCount: Int
    /// Seconds at the throttle, when one was given and sizes are known.
    public var estimatedSeconds: Double?
    /// The busiest broker's max(bytes in, bytes out).
    public var busiestBrokerBytes: UInt64
    public var busiestBroker: Int?

    public init(plan: RebalancePlan, maxConcurrent: Int, throttleBytesPerSecond: Double?) {
        var batchOf: [TopicPartition: Int] = [:]
        var load: [[Int: Int]] = []
        var movesByPartition: [TopicPartition: [ReplicaMove]] = [:]
        for move in plan.moves { movesByPartition[move.partition, default: []].append(move) }
        for partition in plan.changedPartitions {
            guard let moves = movesByPartition[partition.id] else {
                batchOf[partition.id] = 1
                continue
            }
            var uses: [Int: Int] = [:]
            for move in moves {
                uses[move.from, default: 0] += 1
                uses[move.to, default: 0] += 1
            }
            var batch = 0
            while batch < load.count, !uses.allSatisfy({ load[batch][$0.key, default: 0] + $0.value <= maxConcurrent }) { batch += 1 }
            if batch == load.count { load.append([:]) }
            for (broker, count) in uses { load[batch][broker, default: 0] += count }
            batchOf[partition.id] = batch + 1
        }
        self.batchOf = batchOf
        batchCount = max(load.count, batchOf.isEmpty ? 0 : 1)
        var busiest: (broker: Int, bytes: UInt64)?
        for outcome in plan.brokers {
            let bytes = max(outcome.bytesIn, outcome.bytesOut)
            if bytes > 0, busiest == nil || bytes > busiest!.bytes { busiest = (outcome.broker, bytes) }
        }
        busiestBrokerBytes = busiest?.bytes ?? 0
        busiestBroker = busiest?.broker
        if let throttle = throttleBytesPerSecond, throttle > 0 {
            estimatedSeconds = Double(busiestBrokerBytes) / throttle
        }
    }
}

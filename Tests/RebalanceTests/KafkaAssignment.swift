import Rebalance
import ScaleCore

/// Kafka's own replica placement for new topics (`kafka.admin.AdminUtils.assignReplicasToBrokers`),
/// reproduced so tests start from what a real cluster holds. Kafka picks `startIndex` and the
/// replica shift at random; passing `fixedStartIndex` ≥ 0 fixes both to that value, exactly as
/// Kafka's own tests do (`assignReplicasToBrokers(brokers, 10, 3, 0)`). These tests fix them to 0
/// for every topic. Checked against Kafka's published vectors in `KafkaAssignmentTests`.
enum KafkaAssignment {
    /// `assignReplicasToBrokersRackUnaware`.
    static func rackUnaware(partitions: Int, replicationFactor: Int, brokers: [Int], fixedStartIndex: Int = 0) -> [[Int]] {
        rackUnaware(partitions: partitions, replicationFactor: replicationFactor, brokers: brokers, startIndex: fixedStartIndex, shift: fixedStartIndex)
    }

    /// The same with Kafka's two random draws given separately (start index and first shift).
    static func rackUnaware(partitions: Int, replicationFactor: Int, brokers: [Int], startIndex: Int, shift: Int) -> [[Int]] {
        let n = brokers.count
        var nextReplicaShift = shift
        var result: [[Int]] = []
        for partition in 0..<partitions {
            if partition > 0 && partition % n == 0 { nextReplicaShift += 1 }
            let first = (partition + startIndex) % n
            var replicas = [brokers[first]]
            for j in 0..<(replicationFactor - 1) {
                replicas.append(brokers[replicaIndex(first, nextReplicaShift, j, n)])
            }
            result.append(replicas)
        }
        return result
    }

    static func replicaIndex(_ first: Int, _ shift: Int, _ j: Int, _ n: Int) -> Int {
        (first + 1 + (shift + j) % (n - 1)) % n
    }

    /// `getRackAlternatedBrokerList`: racks sorted, brokers sorted within a rack, then one from
    /// each rack in turn.
    static func rackAlternated(_ racks: [Int: String]) -> [Int] {
        let rackNames = Array(Set(racks.values)).sorted()
        var queues = rackNames.map { name in racks.filter { $0.value == name }.map(\.key).sorted() }
        var result: [Int] = []
        var rack = 0
        while result.count < racks.count {
            if !queues[rack].isEmpty { result.append(queues[rack].removeFirst()) }
            rack = (rack + 1) % rackNames.count
        }
        return result
    }

    /// `assignReplicasToBrokersRackAware`: like the rack-unaware walk over the rack-alternated
    /// list (shift × racks), skipping a broker whose rack (or itself) already has a replica while
    /// some rack (broker) has none.
    static func rackAware(partitions: Int, replicationFactor: Int, racks: [Int: String], fixedStartIndex: Int = 0) -> [[Int]] {
        let arranged = rackAlternated(racks)
        let n = arranged.count
        let rackCount = Set(racks.values).count
        let startIndex = fixedStartIndex
        var nextReplicaShift = fixedStartIndex
        var result: [[Int]] = []
        for partition in 0..<partitions {
            if partition > 0 && partition % n == 0 { nextReplicaShift += 1 }
            let first = (partition + startIndex) % n
            let leader = arranged[first]
            var replicas = [leader]
            var racksWithReplicas: Set<String> = [racks[leader]!]
            var brokersWithReplicas: Set<Int> = [leader]
            var k = 0
            for _ in 0..<(replicationFactor - 1) {
                while true {
                    let broker = arranged[replicaIndex(first, nextReplicaShift * rackCount, k, n)]
                    let rack = racks[broker]!
                    k += 1
                    if (!racksWithReplicas.contains(rack) || racksWithReplicas.count == rackCount)
                        && (!brokersWithReplicas.contains(broker) || brokersWithReplicas.count == n) {
                        replicas.append(broker)
                        racksWithReplicas.insert(rack)
                        brokersWithReplicas.insert(broker)
                        break
                    }
                }
            }
            result.append(replicas)
        }
        return result
    }

    /// Topics `t0…` each created with Kafka's placement over `brokers`.
    static func cluster(topics: Int, partitions: Int, replicationFactor: Int, brokers: [Int]) -> Assignment {
        var list: [PartitionReplicas] = []
        for t in 0..<topics {
            for (p, replicas) in rackUnaware(partitions: partitions, replicationFactor: replicationFactor, brokers: brokers).enumerated() {
                list.append(PartitionReplicas(TopicPartition("t\(t)", p), replicas: replicas))
            }
        }
        return Assignment(list)
    }

    /// Topics `t0…` as Kafka really creates them: each draws its own start index and shift.
    static func randomCluster(topics: Int, partitions: Int, replicationFactor: Int, brokers: [Int], using random: inout SplitMix64) -> Assignment {
        var list: [PartitionReplicas] = []
        for t in 0..<topics {
            let start = Int.random(in: 0..<brokers.count, using: &random), shift = Int.random(in: 0..<brokers.count, using: &random)
            for (p, replicas) in rackUnaware(partitions: partitions, replicationFactor: replicationFactor, brokers: brokers, startIndex: start, shift: shift).enumerated() {
                list.append(PartitionReplicas(TopicPartition("t\(t)", p), replicas: replicas))
            }
        }
        return Assignment(list)
    }

    static func rackAwareCluster(topics: Int, partitions: Int, replicationFactor: Int, racks: [Int: String]) -> Assignment {
        var list: [PartitionReplicas] = []
        for t in 0..<topics {
            for (p, replicas) in rackAware(partitions: partitions, replicationFactor: replicationFactor, racks: racks).enumerated() {
                list.append(PartitionReplicas(TopicPartition("t\(t)", p), replicas: replicas))
            }
        }
        return Assignment(list)
    }
}

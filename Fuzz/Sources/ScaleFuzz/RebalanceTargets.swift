import Rebalance
import ScaleCore

/// What `scalectl rebalance` reads: Kafka reassignment JSON, assignment CSV, sizes, CLUSTER NODES.
extension FuzzTargets {
    static let rebalance: [FuzzTarget] = [
        FuzzTarget(name: "kafka-reassignment", input: "a kafka-reassign-partitions.sh JSON file (also through the format-sniffing reader)") { bytes in
            _ = try? KafkaReassignmentJSON.parse(bytes, source: "fuzz.json")
            _ = try? AssignmentInput.parse(bytes, source: "fuzz")
        },
        FuzzTarget(name: "assignment-csv", input: "an assignment CSV (topic,partition,replicas) or a partition sizes file") { bytes in
            _ = try? AssignmentCSV.parse(bytes, source: "fuzz.csv")
            _ = try? PartitionSizes.parse(bytes, source: "sizes.csv")
        },
        FuzzTarget(name: "redis-cluster-nodes", input: "redis-cli CLUSTER NODES output") { bytes in
            _ = try? RedisClusterNodes.parse(bytes, source: "nodes.txt")
        },
    ]
}

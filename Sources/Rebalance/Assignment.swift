public import ScaleCore

/// A Kafka topic partition, printed as Kafka prints it: `orders-3`.
public struct TopicPartition: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int

    public init(_ topic: String, _ partition: Int) {
        self.topic = topic
        self.partition = partition
    }

    public var description: String { "\(topic)-\(partition)" }

    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        lhs.topic != rhs.topic ? lhs.topic < rhs.topic : lhs.partition < rhs.partition
    }

    /// Splits `orders-3` at the last '-' (topic names may contain '-'); nil when there is no
    /// partition number after it.
    public static func parse(_ text: String) -> TopicPartition? {
        guard let dash = text.lastIndex(of: "-") else { return nil }
        let topic = String(text[..<dash])
        let number = text[text.index(after: dash)...]
        guard !topic.isEmpty, !number.isEmpty, number.allSatisfy(\.isASCIIDigit),
              let partition = Int(number), partition <= Int(Int32.max) else { return nil }
        return TopicPartition(topic, partition)
    }
}

/// One partition's replica list; the first replica is the preferred leader.
public struct PartitionReplicas: Sendable, Equatable {
    public var id: TopicPartition
    public var replicas: [Int]
    /// Kafka's `log_dirs` (absolute paths or `any`), one per replica, when the input gave them.
    public var logDirs: [String]?
    /// The partition's size in bytes (one replica's worth), when known.
    public var sizeBytes: UInt64?

    public init(_ id: TopicPartition, replicas: [Int], logDirs: [String]? = nil, sizeBytes: UInt64? = nil) {
        self.id = id
        self.replicas = replicas
        self.logDirs = logDirs
        self.sizeBytes = sizeBytes
    }

    public var leader: Int? { replicas.first }
}

/// A whole cluster's replica assignment, in input order.
public struct Assignment: Sendable, Equatable {
    public var partitions: [PartitionReplicas]

    public init(_ partitions: [PartitionReplicas]) { self.partitions = partitions }

    /// Every broker that holds a replica, ascending.
    public var brokers: [Int] {
        var seen = Set<Int>()
        for partition in partitions { seen.formUnion(partition.replicas) }
        return seen.sorted()
    }

    public var replicaCount: Int { partitions.reduce(0) { $0 + $1.replicas.count } }

    /// Topics in order of first appearance.
    public var topics: [String] {
        var seen = Set<String>()
        var ordered: [String] = []
        for partition in partitions where seen.insert(partition.id.topic).inserted { ordered.append(partition.id.topic) }
        return ordered
    }

    /// Attaches sizes by partition; partitions missing from `sizes` keep what they had. The bytes
    /// of every replica must add up to at most 2^63 (8 EiB), so that every sum a plan makes of
    /// them (per broker, moved, in and out) fits; `source` names the sizes in the error.
    public mutating func applySizes(_ sizes: [TopicPartition: UInt64], source: String) throws(ScaleError) {
        var total: UInt64 = 0
        for index in partitions.indices {
            if let size = sizes[partitions[index].id] { partitions[index].sizeBytes = size }
            let bytes = (partitions[index].sizeBytes ?? 0).multipliedReportingOverflow(by: UInt64(partitions[index].replicas.count))
            let sum = total.addingReportingOverflow(bytes.partialValue)
            guard !bytes.overflow, !sum.overflow, sum.partialValue <= UInt64(Int64.max) else {
                throw .input("the partition sizes times their replicas add up to more than 2^63 bytes (8 EiB)", at: source,
                             fix: "check the sizes' units (bytes, or a size such as 12GiB)")
            }
            total = sum.partialValue
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

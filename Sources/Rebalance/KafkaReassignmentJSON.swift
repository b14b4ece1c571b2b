public import ScaleCore

/// Kafka's partition reassignment JSON, as `kafka-reassign-partitions.sh` reads (`--execute`)
/// and prints (`--generate`):
/// `{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2,3],"log_dirs":["any","any","any"]}]}`.
public enum KafkaReassignmentJSON {
    /// The header line `--generate` prints before the current assignment.
    public static let currentHeader = "Current partition replica assignment"

    /// Reads a reassignment document, or the whole output of `kafka-reassign-partitions.sh
    /// --generate` (the "Current partition replica assignment" JSON is taken).
    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> Assignment {
        let document: JSONValue
        if let start = generateOutputStart(bytes) {
            document = try JSONParser.parsePrefix(bytes, from: start, source: source, duplicateKeys: .keep).0
        } else {
            document = try JSONParser.parse(bytes, source: source, duplicateKeys: .keep)
        }
        return try assignment(from: document, source: source)
    }

    /// Where the JSON after the `--generate` header begins, when the input is that output.
    static func generateOutputStart(_ bytes: [UInt8]) -> Int? {
        let header = Array(currentHeader.utf8)
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x0A || bytes[start] == 0x0D || bytes[start] == 0x09 { start += 1 }
        guard bytes.count - start >= header.count, Array(bytes[start..<start + header.count]) == header else { return nil }
        return start + header.count
    }

    public static func assignment(from document: JSONValue, source: String) throws(ScaleError) -> Assignment {
        guard case .object = document else {
            throw .input("the document is \(document.kindDescription), not a reassignment object", at: source,
                         fix: "give {\"version\":1,\"partitions\":[…]} as kafka-reassign-partitions.sh prints it")
        }
        if let version = document["version"] {
            guard version.int64 == 1 else {
                throw .input("\"version\" is \(describe(version)); only version 1 is defined", at: "\(source): version")
            }
        }
        guard let list = document["partitions"] else {
            throw .input("no \"partitions\" array", at: source, fix: "give {\"version\":1,\"partitions\":[…]}")
        }
        guard case .array(let entries) = list else {
            throw .input("\"partitions\" is \(list.kindDescription), not an array", at: "\(source): partitions")
        }
        var seen: [TopicPartition: Int] = [:]
        var partitions: [PartitionReplicas] = []
        partitions.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            let path = "\(source): partitions[\(index)]"
            guard case .object = entry else { throw .input("is \(entry.kindDescription), not an object", at: path) }
            guard case .string(let topic)? = entry["topic"], !topic.isEmpty else {
                throw .input("needs \"topic\" as a non-empty string", at: path)
            }
            guard let number = entry["partition"]?.int64, number >= 0, number <= Int64(Int32.max) else {
                throw .input("needs \"partition\" as a whole number from 0", at: path)
            }
            let id = TopicPartition(topic, Int(number))
            if let first = seen[id] {
                throw .input("\(id) appears again (first at partitions[\(first)])", at: path, fix: "list each partition once")
            }
            seen[id] = index
            guard case .array(let replicaValues)? = entry["replicas"] else {
                throw .input("needs \"replicas\" as an array of broker ids", at: path)
            }
            var replicas: [Int] = []
            for (position, value) in replicaValues.enumerated() {
                guard let broker = value.int64, broker >= 0, broker <= Int64(Int32.max) else {
                    throw .input("replicas[\(position)] is \(describe(value)), not a broker id (a whole number from 0)", at: path)
                }
                guard !replicas.contains(Int(broker)) else {
                    throw .input("\(id) lists broker \(broker) twice", at: path, fix: "a partition's replicas must be on distinct brokers")
                }
                replicas.append(Int(broker))
            }
            guard !replicas.isEmpty else { throw .input("\(id) has no replicas", at: path) }
            var logDirs: [String]?
            if let dirs = entry["log_dirs"] {
                guard case .array(let dirValues) = dirs, dirValues.count == replicas.count else {
                    throw .input("\"log_dirs\" must be an array with one entry per replica", at: path)
                }
                logDirs = []
                for value in dirValues {
                    guard case .string(let dir) = value else { throw .input("\"log_dirs\" entries must be strings", at: path) }
                    logDirs!.append(dir)
                }
            }
            partitions.append(PartitionReplicas(id, replicas: replicas, logDirs: logDirs))
        }
        return Assignment(partitions)
    }

    /// The document `--execute` reads: one partition per line (readable in a diff), every
    /// replica's log dir `any` (the broker picks; a moved replica cannot keep its old path).
    public static func encode(_ partitions: [PartitionReplicas]) -> String {
        var out = "{\"version\":1,\"partitions\":["
        for (index, partition) in partitions.enumerated() {
            out += index == 0 ? "\n" : ",\n"
            out += "{\"topic\":" + JSON.string(partition.id.topic)
            out += ",\"partition\":\(partition.id.partition)"
            out += ",\"replicas\":[" + partition.replicas.map(String.init).joined(separator: ",") + "]"
            out += ",\"log_dirs\":[" + Array(repeating: "\"any\"", count: partition.replicas.count).joined(separator: ",") + "]}"
        }
        out += partitions.isEmpty ? "]}\n" : "\n]}\n"
        return out
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .number(let n): return n.int64.map { String($0) } ?? Format.shortest(n.double)
        case .string(let s): return JSON.string(s)
        default: return value.kindDescription
        }
    }
}

extension JSONValue {
    /// What this value is, for error messages: "an integer" for a whole number within 64 bits,
    /// so "partition is a number" does not confuse someone who wrote 1.5.
    var kindDescription: String {
        if case .number(let n) = self, n.int64 != nil { return "an integer" }
        return kindName
    }
}

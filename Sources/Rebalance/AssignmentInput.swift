public import ScaleCore

/// Reads an assignment in whichever form it comes: Kafka reassignment JSON, the whole output of
/// `kafka-reassign-partitions.sh --generate`, or the simple CSV form.
public enum AssignmentInput {
    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> Assignment {
        let assignment: Assignment
        switch firstSignificantByte(bytes) {
        case nil:
            throw .input("the assignment is empty", at: source, fix: "give Kafka reassignment JSON or partition,replica… lines")
        case UInt8(ascii: "{")?, UInt8(ascii: "[")?:
            assignment = try KafkaReassignmentJSON.parse(bytes, source: source)
        default:
            if KafkaReassignmentJSON.generateOutputStart(bytes) != nil {
                assignment = try KafkaReassignmentJSON.parse(bytes, source: source)
            } else {
                assignment = try AssignmentCSV.parse(bytes, source: source)
            }
        }
        guard !assignment.partitions.isEmpty else {
            throw .input("the assignment lists no partitions", at: source)
        }
        return assignment
    }

    static func firstSignificantByte(_ bytes: [UInt8]) -> UInt8? {
        bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }
}

/// Partition sizes: `partition,bytes` lines (`orders-0,12GiB`), or the output of
/// `kafka-log-dirs.sh --describe` (its JSON, with or without the two lines it prints first).
/// From log dirs, a partition's size is its largest non-future replica.
public enum PartitionSizes {
    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> [TopicPartition: UInt64] {
        if let start = jsonStart(bytes) {
            return try logDirs(JSONParser.parsePrefix(bytes, from: start, source: source, duplicateKeys: .keep).0, source: source)
        }
        var sizes: [TopicPartition: UInt64] = [:]
        for (number, line) in TextLines.split(bytes).enumerated() {
            let location = "\(source):\(number + 1)"
            let text = try TextLines.decode(line, at: location).trimmingSpaces
            if text.isEmpty || text.hasPrefix("#") { continue }
            let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            if number == 0 || sizes.isEmpty, fields[0].lowercased() == "partition" { continue }
            guard fields.count == 2, let id = TopicPartition.parse(fields[0]) else {
                throw .input("expected 'partition,size' such as orders-0,12GiB", at: location)
            }
            do { sizes[id] = try SizeUnits.parse(fields[1]) } catch {
                throw .input("'\(fields[1])' is not a size", at: location, fix: "write bytes, or a size such as 12GiB or 5MB")
            }
        }
        return sizes
    }

    /// The offset of a line that starts with `{`, when the input is JSON (possibly after
    /// kafka-log-dirs.sh's "Querying brokers…" lines).
    static func jsonStart(_ bytes: [UInt8]) -> Int? {
        var lineStart = 0
        while lineStart < bytes.count {
            var index = lineStart
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: "{") { return index }
            guard let newline = bytes[lineStart...].firstIndex(of: 0x0A) else { return nil }
            let line = String(decoding: bytes[lineStart..<newline], as: UTF8.self)
            // Only kafka-log-dirs.sh's own preamble may precede the JSON.
            guard line.hasPrefix("Querying brokers") || line.hasPrefix("Received log directory") || line.trimmingSpaces.isEmpty else { return nil }
            lineStart = newline + 1
        }
        return nil
    }

    static func logDirs(_ document: JSONValue, source: String) throws(ScaleError) -> [TopicPartition: UInt64] {
        guard case .array(let brokers)? = document["brokers"] else {
            throw .input("no \"brokers\" array: not kafka-log-dirs.sh --describe output", at: source)
        }
        var sizes: [TopicPartition: UInt64] = [:]
        for (b, broker) in brokers.enumerated() {
            guard case .array(let dirs)? = broker["logDirs"] else { continue }
            for (d, dir) in dirs.enumerated() {
                guard case .array(let entries)? = dir["partitions"] else { continue }
                for (p, entry) in entries.enumerated() {
                    let path = "\(source): brokers[\(b)].logDirs[\(d)].partitions[\(p)]"
                    if entry["isFuture"] == .bool(true) { continue }
                    guard case .string(let name)? = entry["partition"], let id = TopicPartition.parse(name) else {
                        throw .input("needs \"partition\" as TOPIC-NUMBER", at: path)
                    }
                    guard let size = entry["size"]?.int64, size >= 0 else {
                        throw .input("needs \"size\" as a whole number of bytes", at: path)
                    }
                    sizes[id] = max(sizes[id] ?? 0, UInt64(size))
                }
            }
        }
        return sizes
    }
}

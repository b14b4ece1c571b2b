public import ScaleCore

/// The simple text form of an assignment, one partition per line:
///
///     partition,replica1,replica2,replica3,size     (optional header)
///     orders-0,1,2,3,12GiB
///     orders-1,2,3,1,11GiB
///
/// Without a header every field after the partition is a broker id. A header whose first field
/// is `partition` may name a last column `size` (or `bytes`); sizes take units (`12GiB`, `5MB`,
/// a bare number is bytes). Blank lines and lines starting with `#` are skipped.
public enum AssignmentCSV {
    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> Assignment {
        var partitions: [PartitionReplicas] = []
        var seen: [TopicPartition: Int] = [:]
        var sizeColumnLast = false
        var sawData = false
        for (number, line) in TextLines.split(bytes).enumerated() {
            let location = "\(source):\(number + 1)"
            let text = try TextLines.decode(line, at: location)
            let trimmed = text.trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            if !sawData, fields[0].lowercased() == "partition" {
                let last = fields.last?.lowercased() ?? ""
                sizeColumnLast = fields.count > 1 && (last == "size" || last == "bytes")
                sawData = true
                continue
            }
            sawData = true
            guard let id = TopicPartition.parse(fields[0]) else {
                throw .input("'\(fields[0])' is not a partition", at: location,
                             fix: "write the partition as TOPIC-NUMBER, e.g. orders-0")
            }
            if let first = seen[id] {
                throw .input("\(id) appears again (first on line \(first))", at: location, fix: "list each partition once")
            }
            seen[id] = number + 1
            var replicaFields = Array(fields.dropFirst())
            var size: UInt64?
            if sizeColumnLast, let last = replicaFields.popLast(), !last.isEmpty {
                do { size = try SizeUnits.parse(last) } catch {
                    throw .input("'\(last)' is not a size", at: location, fix: "write bytes, or a size such as 12GiB or 5MB")
                }
            }
            var replicas: [Int] = []
            for field in replicaFields where !field.isEmpty {
                guard let broker = Int(field), broker >= 0, broker <= Int(Int32.max) else {
                    throw .input("'\(field)' is not a broker id", at: location,
                                 fix: sizeColumnLast ? "broker ids are whole numbers" : "broker ids are whole numbers; for sizes add a header 'partition,replica1,…,size'")
                }
                guard !replicas.contains(broker) else {
                    throw .input("\(id) lists broker \(broker) twice", at: location, fix: "a partition's replicas must be on distinct brokers")
                }
                replicas.append(broker)
            }
            guard !replicas.isEmpty else { throw .input("\(id) has no replicas", at: location) }
            partitions.append(PartitionReplicas(id, replicas: replicas, sizeBytes: size))
        }
        return Assignment(partitions)
    }
}

/// Line splitting and decoding shared by the text inputs.
enum TextLines {
    /// Lines without their `\n` or `\r\n`.
    static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            var end = index
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(bytes[start..<end])
            start = index + 1
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    static let maxLineBytes = 1 << 20

    static func decode(_ line: ArraySlice<UInt8>, at location: String) throws(ScaleError) -> String {
        guard line.count <= maxLineBytes else {
            throw .input("line is longer than \(maxLineBytes) bytes", at: location, fix: "is this the right file?")
        }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw .input("line is not valid UTF-8", at: location, fix: "is this a text file?")
        }
        return text
    }
}

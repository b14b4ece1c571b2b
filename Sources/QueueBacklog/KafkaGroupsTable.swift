public import ScaleCore

/// The table `kafka-consumer-groups.sh --describe --group G` prints, possibly several times
/// (one snapshot per header row). A line holding only a timestamp (Unix seconds or RFC 3339,
/// e.g. from `date -u +%FT%TZ`) dates the snapshot that follows; undated snapshots are spaced
/// by the caller's interval. Columns are found by their header names, so the older layout
/// without GROUP and the newer one with CONSUMER-ID/HOST/CLIENT-ID both read.
public enum KafkaGroupsTable {
    public struct Row: Sendable, Equatable {
        public var group: String
        public var topic: String
        public var partition: Int
        /// Nil for `-` (nothing committed yet).
        public var currentOffset: Int64?
        public var logEndOffset: Int64

        public init(group: String, topic: String, partition: Int, currentOffset: Int64?, logEndOffset: Int64) {
            self.group = group
            self.topic = topic
            self.partition = partition
            self.currentOffset = currentOffset
            self.logEndOffset = logEndOffset
        }
    }

    public struct Snapshot: Sendable, Equatable {
        public var time: Double?
        public var rows: [Row]

        public init(time: Double?, rows: [Row]) {
            self.time = time
            self.rows = rows
        }
    }

    public static let maxRows = 1_000_000

    public static func parse(_ bytes: [UInt8], file: String) throws(ScaleError) -> [Snapshot] {
        var snapshots: [Snapshot] = []
        var columns: [String: Int]?
        var pendingTime: Double?
        var lineNumber = 0
        var total = 0
        for rawLine in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = String(decoding: rawLine, as: UTF8.self)
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard !words.isEmpty else { continue }
            let at = "\(file):\(lineNumber)"
            if words.count == 1, let time = Timestamp.parse(words[0]) {
                pendingTime = time
                continue
            }
            if words.contains("PARTITION"), words.contains("LOG-END-OFFSET") {
                var map: [String: Int] = [:]
                for (i, word) in words.enumerated() { map[word] = i }
                guard map["TOPIC"] != nil, map["CURRENT-OFFSET"] != nil else {
                    throw .input("header without TOPIC or CURRENT-OFFSET", at: at, fix: "pipe the output of kafka-consumer-groups.sh --describe")
                }
                columns = map
                snapshots.append(Snapshot(time: pendingTime, rows: []))
                pendingTime = nil
                continue
            }
            // Notices such as "Consumer group 'g' has no active members." carry no numbers.
            guard let columns else { continue }
            let partitionText = words.count > columns["PARTITION"]! ? words[columns["PARTITION"]!] : ""
            guard let partition = Int(partitionText) else {
                if words.count < columns.count / 2 || Int(words.last ?? "") == nil { continue }
                throw .input("'\(partitionText)' is not a partition number", at: at)
            }
            func offset(_ name: String) throws(ScaleError) -> Int64? {
                guard let i = columns[name], i < words.count else { throw .input("missing \(name)", at: at) }
                if words[i] == "-" { return nil }
                guard let value = Int64(words[i]), value >= 0 else {
                    throw .input("\(name) '\(words[i])' is not an offset", at: at)
                }
                return value
            }
            func word(_ name: String) throws(ScaleError) -> String? {
                guard let i = columns[name] else { return nil }
                guard i < words.count else { throw .input("the row ends before its \(name) column", at: at) }
                return words[i]
            }
            guard let logEnd = try offset("LOG-END-OFFSET") else { throw .input("LOG-END-OFFSET is '-'", at: at) }
            let group = try word("GROUP") ?? "-"
            let topic = try word("TOPIC") ?? ""
            total += 1
            guard total <= maxRows else { throw .input("more than \(maxRows) rows", at: at) }
            snapshots[snapshots.count - 1].rows.append(Row(group: group, topic: topic, partition: partition,
                                                           currentOffset: try offset("CURRENT-OFFSET"), logEndOffset: logEnd))
        }
        guard snapshots.contains(where: { !$0.rows.isEmpty }) else {
            throw .input("no partition rows found", at: file,
                         fix: "pipe the output of kafka-consumer-groups.sh --describe --group G (with its header row)")
        }
        return snapshots
    }
}

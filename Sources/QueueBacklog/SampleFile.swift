public import ScaleCore

/// Samples for replay, as CSV or ndjson (`{` first decides). Rows need a timestamp and a
/// depth; `arrived_total`, `deleted_total`, `oldest_age_seconds`, `consumers` and `queue` are
/// optional. CSV without a header row is `timestamp,depth[,arrived_total,deleted_total,oldest_age_seconds]`.
/// Empty cells and JSON nulls are unknown values; `#` starts a comment line.
public enum SampleFile {
    public struct Series: Sendable, Equatable {
        public var queue: String
        public var samples: [BacklogSample]
    }

    static let columns: [String: String] = [
        "timestamp": "timestamp", "time": "timestamp", "ts": "timestamp",
        "depth": "depth", "messages": "depth",
        "arrived_total": "arrived_total", "deleted_total": "deleted_total",
        "oldest_age_seconds": "oldest_age_seconds", "oldest_age": "oldest_age_seconds",
        "consumers": "consumers", "queue": "queue",
    ]
    static let positional = ["timestamp", "depth", "arrived_total", "deleted_total", "oldest_age_seconds"]
    /// Rows kept per file: a replay is an incident, not a year of data.
    public static let maxRows = 1_000_000

    /// Parses a whole file; errors name `file:line` and the column.
    public static func parse(_ bytes: [UInt8], file: String, defaultQueue: String) throws(ScaleError) -> [Series] {
        var order: [String] = []
        var byQueue: [String: [BacklogSample]] = [:]
        var header: [String]?
        var lineNumber = 0
        var isJSON: Bool?
        var rows = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var line = Array(bytes[start..<end])
            start = end + 1
            if line.last == 0x0D { line.removeLast() }
            let trimmed = String(decoding: line, as: UTF8.self).trimmingSpaces
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let at = "\(file):\(lineNumber)"
            if isJSON == nil { isJSON = trimmed.hasPrefix("{") }
            var cells: [String: String] = [:]
            if isJSON == true {
                let document: JSONValue
                do {
                    document = try JSONParser.parse(Array(trimmed.utf8), file: file)
                } catch {
                    // The reader counts lines within this one line: keep its column, use our line.
                    throw error.at("\(at):\(error.location.split(separator: ":").last ?? "1")")
                }
                guard case .object(let members) = document else {
                    throw .input("expected a JSON object per line", at: at, fix: "write one {\"timestamp\":…,\"depth\":…} per line")
                }
                for (key, value) in members {
                    guard let name = columns[key] else { continue }
                    switch value {
                    case .null: continue
                    case .number(let number): cells[name] = number.text
                    case .string(let text): cells[name] = text
                    default: throw .input("\(key) is \(value.kindName)", at: at, fix: "write a number or a string")
                    }
                }
            } else {
                let fields = csvFields(trimmed)
                if header == nil {
                    if Timestamp.parse(fields[0].trimmingSpaces) == nil {
                        header = try fields.map { (name: String) throws(ScaleError) -> String in
                            let key = name.trimmingSpaces.lowercased()
                            guard let column = columns[key] else {
                                throw .input("unknown column '\(name)'", at: at,
                                             fix: "columns are timestamp, depth, arrived_total, deleted_total, oldest_age_seconds, consumers, queue")
                            }
                            return column
                        }
                        continue
                    }
                    header = positional
                }
                guard fields.count <= header!.count else {
                    throw .input("\(fields.count) fields, expected at most \(header!.count)", at: at, fix: "check the separators")
                }
                for (name, value) in zip(header!, fields) where !value.trimmingSpaces.isEmpty {
                    cells[name] = value.trimmingSpaces
                }
            }
            rows += 1
            guard rows <= maxRows else {
                throw .input("more than \(maxRows) samples", at: at, fix: "cut the file to the window you need")
            }
            let sample = try sample(cells, at: at)
            let queue = cells["queue"] ?? defaultQueue
            if byQueue[queue] == nil { order.append(queue) }
            byQueue[queue, default: []].append(sample)
        }
        guard !order.isEmpty else {
            throw .input("no samples", at: file, fix: "write rows of timestamp,depth[,arrived_total,deleted_total,oldest_age_seconds]")
        }
        return order.map { Series(queue: $0, samples: byQueue[$0]!) }
    }

    static func sample(_ cells: [String: String], at: String) throws(ScaleError) -> BacklogSample {
        guard let timeText = cells["timestamp"] else { throw .input("missing timestamp", at: at) }
        guard let time = Timestamp.parse(timeText) else {
            throw .input("'\(timeText)' is not a timestamp", at: at, fix: "write Unix seconds or RFC 3339 such as 2024-05-01T08:00:00Z")
        }
        guard cells["depth"] != nil else { throw .input("missing depth", at: at) }
        func count(_ name: String) throws(ScaleError) -> Double? {
            guard let text = cells[name] else { return nil }
            guard let value = Double(text), InputRange.isCount(value) else {
                throw .input("\(name) '\(text)' is not a count", at: at, fix: "write a whole number of messages")
            }
            return value
        }
        let depth = try count("depth")!
        var age: Double?
        if let text = cells["oldest_age_seconds"] {
            if let seconds = Double(text), InputRange.isCount(seconds) { age = seconds } else {
                do { age = try DurationUnits.parse(text) } catch { throw .input("oldest_age_seconds '\(text)' is not a duration", at: at, fix: "write seconds or e.g. 5m") }
            }
        }
        var consumers: Int?
        if let text = cells["consumers"] {
            guard let value = Int(text), value >= 0 else { throw .input("consumers '\(text)' is not a whole number", at: at) }
            consumers = value
        }
        return BacklogSample(time: time, depth: depth, arrivedTotal: try count("arrived_total"),
                             deletedTotal: try count("deleted_total"), oldestAgeSeconds: age, consumers: consumers)
    }

    /// RFC 4180 fields: commas separate, double quotes enclose, `""` is a quote.
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let ch = iterator.next() {
            if quoted {
                if ch == "\"" {
                    // Lookahead for an escaped quote.
                    if let next = iterator.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; if next == "," { fields.append(current); current = "" } else { current.append(next) } }
                    } else { quoted = false }
                } else { current.append(ch) }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                fields.append(current); current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }
}

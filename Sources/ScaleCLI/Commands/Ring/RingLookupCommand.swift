import HashRing
import ScaleCore

/// `scalectl ring lookup`: the owner of each key, streamed.
enum RingLookupCommand {
    enum LookupOption {
        static let keysFile = OptionSpec("keys-file", value: "FILE", completion: .file, help: "read keys from a file, one a line")
        static let count = OptionSpec("count", help: "print per-node key counts instead of each key's owner")
    }

    static let spec = CommandSpec(
        "lookup",
        summary: "print the node that owns each key",
        discussion: """
        Prints the owner of each KEY argument, or of each line of --keys-file or standard input \
        (streamed in bounded memory: millions of keys are fine). The table format is one \
        'key<TAB>node' line per key with no header, ready for cut, sort and join; json, ndjson and \
        csv carry the fields key and node. A CR before the LF is dropped, blank lines are skipped \
        and counted (a warning says how many), and a line longer than 64 KiB is an error. Keys with \
        control characters or bytes that are not UTF-8 are printed escaped (\\t, \\x01) in the table \
        format; json and csv replace invalid UTF-8 with U+FFFD. --count prints how many keys each \
        node got instead, next to its fair share w/W. Bounded loads places keys in input order, so \
        its owners depend on that order.
        """,
        arguments: [ArgumentSpec("KEY", help: "keys to look up (default: read --keys-file or standard input)", optional: true, repeatable: true)],
        options: RingCommand.nodeOptions + RingCommand.algorithmOptions + [LookupOption.keysFile, LookupOption.count],
        examples: [
            Example("Which memcached server owns these keys (libmemcached's ketama)",
                    ["ring", "lookup", "--nodes", "cache-a:11211,cache-b:11211,cache-c:11211", "user:1001", "user:1002", "session:af31"],
                    output: "user:1001\tcache-b:11211\nuser:1002\tcache-b:11211\nsession:af31\tcache-c:11211\n"),
            Example("Per-node key counts for a key list, with rendezvous hashing",
                    ["ring", "lookup", "--nodes-file", "demo/ring-nodes.txt", "--algorithm", "rendezvous", "--keys-file", "demo/ring-keys.txt", "--count"]),
            Example("Owners as JSON lines",
                    ["ring", "lookup", "--nodes", "a,b", "-o", "ndjson", "k1"],
                    output: "{\"type\": \"result\", \"key\": \"k1\", \"node\": \"a\"}\n{\"type\": \"summary\", \"schema_version\": 1, \"command\": \"ring lookup\", \"algorithm\": \"ketama\", \"keys\": 1, \"blank_lines_skipped\": 0}\n"),
        ],
        formats: [.table, .json, .ndjson, .csv],
        handler: run
    )

    /// The summary of a lookup, streamed after the owners by `LookupWriter`.
    struct Summary {
        var algorithm: Algorithm
        var keys: Int
        var blankLines: Int
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("algorithm", .text, \.algorithm.rawValue),
        Column("keys", .integer, \.keys),
        Column("blank_lines_skipped", .integer, \.blankLines),
    ]

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let nodes = try RingInput.nodes(invocation)
        let algorithm = RingInput.algorithm(invocation)
        let ring = try RingInput.ring(algorithm, nodes: nodes, options: try RingInput.options(invocation))
        let keysFile = invocation.value(LookupOption.keysFile)
        if keysFile != nil, !invocation.positionals.isEmpty {
            throw .usage("KEY arguments and --keys-file both given", at: "--keys-file", fix: "give the keys one way")
        }
        let format = invocation.format
        var sink = LookupSink(ring: ring, countOnly: invocation.flag(LookupOption.count),
                              writer: LookupWriter(format: format, names: nodes.map(\.name), console: context.console))
        defer { sink.writer.close() }
        // The closures below are passed straight to the readers (non-escaping), so the per-key
        // path has no boxed captures and no dynamic exclusivity checks.
        var blank = 0
        if !invocation.positionals.isEmpty {
            for key in invocation.positionals {
                let bytes = Array(key.utf8)
                if bytes.isEmpty { blank += 1; continue }
                bytes.withUnsafeBytes { sink.add($0) }
            }
        } else {
            var splitter = LineSplitter(source: keysFile ?? "standard input")
            if let keysFile {
                try InputFile.stream(keysFile) { (block) throws(ScaleError) in try splitter.feed(block) { sink.add($0) } }
            } else {
                try context.console.streamStandardInput { (block) throws(ScaleError) in try splitter.feed(block) { sink.add($0) } }
            }
            try splitter.finish { sink.add($0) }
            blank = splitter.blankLines
        }
        let total = sink.total
        if blank > 0 {
            context.warn("skipped \(blank) blank line\(blank == 1 ? "" : "s") (an empty key)")
        }
        // Streamed owners go to stdout as they come, so the notes go to stderr (and json's "notes").
        let notes = RingInput.clientLimitNotes(ring)
        if sink.countOnly {
            var report = countReport(ring, counts: sink.counts, total: total)
            report.notes = notes
            context.emit(report, format: format)
        } else {
            for note in notes { context.warn(note) }
            sink.writer.finish(summary: Summary(algorithm: algorithm, keys: total, blankLines: blank), notes: notes)
        }
        return .ok
    }

    /// A row of --count: the keys one node got, next to its fair share.
    struct NodeCount {
        var node: RingNode
        var keys: Int
        /// NaN when there were no keys.
        var ratio: Double
        var fair: Double
    }

    static let countColumns: [Column<NodeCount>] = [
        Column("node", .text, \.node.name),
        Column("weight", .integer, \.node.weight),
        Column("keys", .integer, \.keys),
        Column("key_ratio", .ratio(places: 2), title: "KEYS %", \.ratio),
        Column("fair_ratio", .ratio(places: 2), title: "FAIR %", \.fair),
    ]

    struct CountSummary {
        var algorithm: Algorithm
        var keys: Int
        /// The largest key share over its fair share; nil without keys.
        var peakToMean: Double?
    }

    static let countSummaryColumns: [Column<CountSummary>] = [
        Column("algorithm", .text, \.algorithm.rawValue),
        Column("keys", .integer, \.keys),
        Column("peak_to_mean", .number(places: 3), \.peakToMean),
    ]

    static func countReport(_ ring: any ConsistentHash, counts: [Int], total: Int) -> Report {
        let weight = Double(ring.nodes.reduce(0) { $0 + $1.weight })
        let rows = ring.nodes.indices.map { i in
            NodeCount(node: ring.nodes[i], keys: counts[i], ratio: total == 0 ? Double.nan : Double(counts[i]) / Double(total),
                      fair: Double(ring.nodes[i].weight) / weight)
        }
        let peak = total == 0 ? nil : rows.map { $0.ratio / $0.fair }.reduce(0.0, max)
        return Report(command: "ring lookup", columns: countColumns, rows: rows, summaryColumns: countSummaryColumns,
                      summary: CountSummary(algorithm: ring.algorithm, keys: total, peakToMean: peak))
    }
}

/// Where each key goes: its owner written out, or counted.
struct LookupSink {
    let ring: any ConsistentHash
    let ketama: KetamaRing?
    let countOnly: Bool
    var writer: LookupWriter
    var counts: [Int]
    var total = 0

    init(ring: any ConsistentHash, countOnly: Bool, writer: LookupWriter) {
        self.ring = ring
        ketama = ring as? KetamaRing
        self.countOnly = countOnly
        self.writer = writer
        counts = [Int](repeating: 0, count: ring.nodes.count)
    }

    mutating func add(_ key: UnsafeRawBufferPointer) {
        // ketama, the default and the benchmarked path, is called directly (final class) so its
        // MD5 and search inline here.
        let owner = ketama?.owner(of: key) ?? ring.owner(of: key)
        total += 1
        if countOnly { counts[owner] += 1 } else { writer.append(key: key, owner: owner) }
    }
}

/// Streams lookup results in the same shapes the report renderers produce, in large blocks:
/// the per-key path copies bytes into one preallocated buffer and never builds a String per key.
struct LookupWriter {
    let format: OutputFormat
    /// Node labels as each format prints them, back to back; `offsets[i]..<offsets[i+1]` is node i.
    let labels: [UInt8]
    let offsets: [Int]
    let console: any Console
    let buffer: UnsafeMutableRawBufferPointer
    var used = 0
    var rows = 0
    var closed = false
    static let flushSize = 1 << 20
    /// Room for the longest line one key can produce: an escaped key is at most 4 bytes a byte.
    static let capacity = flushSize + 4 * LineSplitter.maximumLine + (1 << 16)

    init(format: OutputFormat, names: [String], console: any Console) {
        self.format = format
        let printed: [String]
        switch format {
        case .json, .ndjson: printed = names.map { JSON.string($0) }
        case .csv: printed = names.map { CSVRenderer.quote($0) }
        default: printed = names.map { TableRenderer.cell(.text($0), kind: .text) }
        }
        var labels: [UInt8] = []
        var offsets = [0]
        for label in printed {
            labels += Array(label.utf8)
            offsets.append(labels.count)
        }
        self.labels = labels
        self.offsets = offsets
        self.console = console
        buffer = .allocate(byteCount: Self.capacity, alignment: 16)
        switch format {
        case .json: append("{\n  \"schema_version\": \(Report.schemaVersion),\n  \"command\": \"ring lookup\",\n  \"results\": [")
        case .csv: append("key,node\r\n")
        default: break
        }
    }

    mutating func append(_ text: String) {
        var copy = text
        copy.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if used + bytes.count > Self.capacity { flush() }
        if bytes.count > Self.capacity {
            console.write(String(decoding: bytes, as: UTF8.self))
            return
        }
        (buffer.baseAddress! + used).copyMemory(from: base, byteCount: bytes.count)
        used += bytes.count
    }

    /// Checked like `append(_:)`: a node name may be longer than the slack after `flushSize`
    /// (names are not bounded), so a row can fill the buffer before its last byte.
    @inline(__always)
    mutating func append(byte: UInt8) {
        if used == Self.capacity { flush() }
        buffer[used] = byte
        used += 1
    }

    @inline(__always)
    mutating func appendLabel(_ owner: Int) {
        labels.withUnsafeBytes { all in append(UnsafeRawBufferPointer(rebasing: all[offsets[owner]..<offsets[owner + 1]])) }
    }

    mutating func append(key: UnsafeRawBufferPointer, owner: Int) {
        switch format {
        case .json:
            append(rows == 0 ? "\n    {\"key\": " : ",\n    {\"key\": ")
            appendJSONString(key)
            append(", \"node\": ")
            appendLabel(owner)
            append(byte: UInt8(ascii: "}"))
        case .ndjson:
            append("{\"type\": \"result\", \"key\": ")
            appendJSONString(key)
            append(", \"node\": ")
            appendLabel(owner)
            append("}\n")
        case .csv:
            if !Self.isPlain(key) || key.contains(where: { $0 == 0x2C || $0 == 0x22 }) {
                append(CSVRenderer.quote(String(decoding: key, as: UTF8.self)))
            } else {
                append(key)
            }
            append(byte: UInt8(ascii: ","))
            appendLabel(owner)
            append("\r\n")
        default:
            if Self.isPlain(key) { append(key) } else { appendEscaped(key) }
            append(byte: 0x09)
            appendLabel(owner)
            append(byte: 0x0A)
        }
        rows += 1
        if used >= Self.flushSize { flush() }
    }

    /// Printable ASCII: the fast path, copied as is.
    @inline(__always)
    static func isPlain(_ key: UnsafeRawBufferPointer) -> Bool {
        for byte in key where byte &- 0x20 >= 0x5F { return false }
        return true
    }

    mutating func appendJSONString(_ key: UnsafeRawBufferPointer) {
        if Self.isPlain(key), !key.contains(where: { $0 == 0x22 || $0 == 0x5C }) {
            append(byte: 0x22)
            append(key)
            append(byte: 0x22)
        } else {
            append(JSON.string(String(decoding: key, as: UTF8.self)))
        }
    }

    /// Control characters as the table renderer shows them, and bytes that are not UTF-8 as \xNN.
    mutating func appendEscaped(_ key: UnsafeRawBufferPointer) {
        let text = String(decoding: key, as: UTF8.self)
        if text.utf8.elementsEqual(key) {
            append(TableRenderer.cell(.text(text), kind: .text))
            return
        }
        let digits = Array("0123456789abcdef".utf8)
        for byte in key {
            if byte >= 0x20 && byte < 0x7F {
                append(byte: byte)
            } else {
                for b in [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 15)]] { append(byte: b) }
            }
        }
    }

    mutating func flush() {
        guard used > 0 else { return }
        console.write(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[0..<used]), as: UTF8.self))
        used = 0
    }

    /// Closes the document (json) or adds the summary line (ndjson) and writes what is left.
    mutating func finish(summary: RingLookupCommand.Summary, notes: [String] = []) {
        let items = RingLookupCommand.summaryColumns.map { "\(JSON.string($0.field.name)): \(JSON.value($0.value(summary)))" }
        switch format {
        case .json:
            append(rows == 0 ? "],\n" : "\n  ],\n")
            append("  \"summary\": {" + items.joined(separator: ", ") + "},\n  \"notes\": [" + notes.map(JSON.string).joined(separator: ", ") + "]\n}\n")
        case .ndjson:
            // As the ndjson renderer does: a notes array after the command, only when there are notes.
            let noted = notes.isEmpty ? "" : "\"notes\": [" + notes.map(JSON.string).joined(separator: ",") + "], "
            append("{\"type\": \"summary\", \"schema_version\": \(Report.schemaVersion), \"command\": \"ring lookup\", " + noted + items.joined(separator: ", ") + "}\n")
        default: break
        }
        flush()
    }

    /// Frees the buffer; once only, also when a read error ended the run early.
    mutating func close() {
        guard !closed else { return }
        closed = true
        buffer.deallocate()
    }
}

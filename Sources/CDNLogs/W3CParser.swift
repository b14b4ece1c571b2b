import Glibc

/// AWS CloudFront logs: tab-separated fields named by the W3C `#Fields:` header of standard
/// logs, or, for real-time logs (no header), by the configured field list. Values are
/// URL-encoded by CloudFront; `-` means none.
final class W3CParser: LineParser, @unchecked Sendable {
    enum Column: Equatable {
        case ignored, date, time, timestamp, pop, bytes, method, cdnHost, hostHeader, path, query, status
        case resultType, timeTaken, contentType
        /// cs(Cookie): `-` unless the distribution logs cookies.
        case cookie
        /// A field a fallback or refinement of the vocabulary reads: its slot in `ruleFields`.
        case rule(Int)
    }

    let fields: [String]
    private let columns: [Column]
    let vocabulary: CacheVocabulary
    /// The fields the vocabulary's fallbacks and refinements read (CloudFront: the response
    /// and detailed result types), lower-cased; a line's values of them sit in as many slots.
    private let ruleFields: [String]
    static let maxRuleFields = 4
    /// The vocabulary's fallbacks and refinements as bytes, each with its field's slot (nil when
    /// the log lacks the field: it is none then).
    private let fallbacks: [(slot: Int?, replaces: [[UInt8]], ignores: [[UInt8]])]
    private let refinements: [(slot: Int?, primary: [UInt8], value: [UInt8])]

    /// The field names of CloudFront real-time logs in the order CloudFront writes them when
    /// every field is selected (the order is fixed; unselected fields are left out).
    static let realtimeOrder = [
        "timestamp", "c-ip", "time-to-first-byte", "sc-status", "sc-bytes", "cs-method", "cs-protocol", "cs-host",
        "cs-uri-stem", "cs-bytes", "x-edge-location", "x-edge-request-id", "x-host-header", "time-taken",
        "cs-protocol-version", "c-ip-version", "cs-user-agent", "cs-referer", "cs-cookie", "cs-uri-query",
        "x-edge-response-result-type", "x-forwarded-for", "ssl-protocol", "ssl-cipher", "x-edge-result-type",
        "fle-encrypted-fields", "fle-status", "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
        "c-port", "x-edge-detailed-result-type", "c-country", "cs-accept-encoding", "cs-accept",
        "cache-behavior-path-pattern", "cs-headers", "cs-header-names", "cs-headers-count",
    ]

    init(fields: [String], vocabulary: CacheVocabulary = .cloudfront) {
        self.fields = fields
        self.vocabulary = vocabulary
        var ruleFields: [String] = []
        for name in vocabulary.fallbacks.map(\.field) + vocabulary.refinements.map(\.field) where !ruleFields.contains(name.lowercased()) {
            ruleFields.append(name.lowercased())
        }
        precondition(ruleFields.count <= Self.maxRuleFields, "a vocabulary reads at most \(Self.maxRuleFields) second fields")
        self.ruleFields = ruleFields
        let present = Set(fields.map { $0.lowercased() })
        func slot(_ field: String) -> Int? { present.contains(field.lowercased()) ? ruleFields.firstIndex(of: field.lowercased()) : nil }
        fallbacks = vocabulary.fallbacks.map { (slot($0.field), $0.replaces.map { Array($0.utf8) }, $0.ignores.map { Array($0.utf8) }) }
        refinements = vocabulary.refinements.map { (slot($0.field), Array($0.primary.utf8), Array($0.value.utf8)) }
        columns = fields.map { name in
            if let k = ruleFields.firstIndex(of: name.lowercased()) { return .rule(k) }
            return Self.column(name)
        }
    }

    static func column(_ name: String) -> Column {
        switch name.lowercased() {
        case "date": return .date
        case "time": return .time
        case "timestamp": return .timestamp
        case "x-edge-location": return .pop
        case "sc-bytes": return .bytes
        case "cs-method": return .method
        case "cs(host)", "cs-host": return .cdnHost
        case "x-host-header": return .hostHeader
        case "cs-uri-stem": return .path
        case "cs-uri-query": return .query
        case "sc-status": return .status
        case "x-edge-result-type": return .resultType
        case "time-taken": return .timeTaken
        case "sc-content-type": return .contentType
        case "cs(cookie)", "cs-cookie": return .cookie
        default: return .ignored
        }
    }

    /// The names on a `#Fields:` line.
    static func fields(fromHeader line: ByteSlice) -> [String]? {
        guard line.hasPrefix("#Fields:") else { return nil }
        return line.dropFirst(8).string.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    var hasCacheStatus: Bool { columns.contains(.resultType) || fallbacks.contains { $0.slot != nil } }

    func isComment(_ line: ByteSlice) -> Bool { line.count > 0 && line[0] == 0x23 }

    func parse(_ line: ByteSlice, into r: inout LogRecord, context: inout ParseContext) -> ParseFailure? {
        guard let base = line.base else { return ParseFailure("empty line") }
        var p = base
        let end = base + line.count
        var date = ByteSlice.empty, time = ByteSlice.empty
        var path = ByteSlice.empty, query = ByteSlice.empty
        var cdnHost = ByteSlice.empty
        var result = ByteSlice.empty
        var ruleValues = InlineArray<4, ByteSlice>(repeating: .empty)
        var index = 0
        while index < columns.count {
            let valueEnd: UnsafePointer<UInt8>
            if let tab = memchr(p, 0x09, end - p) {
                valueEnd = UnsafePointer(tab.assumingMemoryBound(to: UInt8.self))
            } else {
                valueEnd = end
            }
            let value = ByteSlice(p, valueEnd)
            switch columns[index] {
            case .ignored: break
            case .date: date = value
            case .time: time = value
            case .timestamp:
                guard let t = Timestamps.epoch(value) else { return ParseFailure("the timestamp is not seconds since the epoch", progress: index) }
                r.time = t
            case .pop: if !value.isDash { r.pop = value }
            case .bytes:
                guard let b = ByteScan.byteCount(value) else { return ParseFailure("sc-bytes is not a number", progress: index) }
                r.bytes = b
            case .method: r.method = value
            case .cdnHost: cdnHost = value
            case .hostHeader: if !value.isDash { r.host = value }
            case .path: path = value
            case .query: query = value
            case .status:
                guard let s = ByteScan.unsigned(value), s < 1000 else {
                    if value.isDash || value.equals("000") { r.status = 0; break }
                    return ParseFailure("sc-status is not a number", progress: index)
                }
                r.status = Int(s)
            case .resultType: result = value
            case .rule(let k): if !value.isDash { ruleValues[k] = value }
            case .timeTaken:
                if let s = ByteScan.decimal(value), s >= 0 { r.durationMicros = ByteScan.micros(s, unitMicros: 1_000_000) }
            case .contentType: if !value.isDash { r.contentType = value }
            case .cookie: if !value.isDash { r.setHeader(.cookie, value) }
            }
            index += 1
            if valueEnd == end { break }
            p = valueEnd + 1
        }
        guard index == columns.count else {
            return ParseFailure("the line has fewer tab-separated fields than the #Fields header names", progress: index)
        }
        if !date.isEmpty || !time.isEmpty {
            guard date.count == 10, time.count >= 8 else { return ParseFailure("date or time is not YYYY-MM-DD HH:MM:SS", progress: 1) }
            let joined = context.reserve(19)
            memcpy(joined, date.base!, 10)
            joined[10] = 0x54
            memcpy(joined + 11, time.base!, 8)
            guard let t = Timestamps.iso8601(ByteSlice(base: UnsafePointer(joined), count: 19)) else {
                return ParseFailure("date or time is not YYYY-MM-DD HH:MM:SS", progress: 1)
            }
            r.time = t
        }
        if r.host.isEmpty, !cdnHost.isDash { r.host = cdnHost }
        r.target = context.join(path: path, query: query)
        // The vocabulary's rules, as its `fallbacks` documentation defines them (and `cdn sql`
        // writes them): `Error` in x-edge-result-type with a non-error response type means the
        // viewer went away after CloudFront had the answer; Origin Shield answering a request
        // the edge missed is a hit, with no origin bytes.
        let first = result.isDash ? ByteSlice.empty : result
        var value = first
        for rule in fallbacks {
            guard let k = rule.slot, !ruleValues[k].isEmpty else { continue }
            let second = ruleValues[k]
            if value.isEmpty || rule.replaces.contains(where: { value.equals($0) }), !rule.ignores.contains(where: { second.equals($0) }) {
                value = second
            }
        }
        for rule in refinements {
            guard let k = rule.slot, !ruleValues[k].isEmpty else { continue }
            if first.equals(rule.primary), ruleValues[k].equals(rule.value) { value = ruleValues[k] }
        }
        if !value.isEmpty { r.classify(value, with: vocabulary) }
        return nil
    }
}

import Glibc

/// Parses lines laid out by a `LineTemplate` (nginx, varnishncsa, Apache, Fastly syslog formats).
/// The template's literals are copied into one block of memory so the per-line loop reads
/// nothing but raw pointers.
final class TemplateParser: LineParser, @unchecked Sendable {
    let template: LineTemplate
    let vocabulary: CacheVocabulary
    private let fieldCount: Int
    private let kinds: UnsafeMutablePointer<LineTemplate.Field>
    private let literalStart: UnsafeMutablePointer<Int>
    private let literalLength: UnsafeMutablePointer<Int>
    private let literals: UnsafeMutablePointer<UInt8>
    private let leading: UnsafeMutablePointer<UInt8>
    private let leadingLength: Int
    private let hasBodyBytes: Bool
    private let splitTarget: Bool

    init(_ template: LineTemplate) {
        self.template = template
        vocabulary = CacheVocabulary.all.first { $0.name == template.vocabulary } ?? .nginx
        fieldCount = template.items.count
        kinds = .allocate(capacity: fieldCount)
        literalStart = .allocate(capacity: fieldCount)
        literalLength = .allocate(capacity: fieldCount)
        let total = template.items.reduce(0) { $0 + $1.literal.count }
        literals = .allocate(capacity: max(total, 1))
        var offset = 0
        for (i, item) in template.items.enumerated() {
            kinds[i] = item.field
            literalStart[i] = offset
            literalLength[i] = item.literal.count
            for b in item.literal { literals[offset] = b; offset += 1 }
        }
        leadingLength = template.leading.count
        leading = .allocate(capacity: max(leadingLength, 1))
        for (i, b) in template.leading.enumerated() { leading[i] = b }
        hasBodyBytes = template.items.contains { $0.field == .bodyBytes }
        splitTarget = template.items.contains { $0.field == .path } && template.items.contains { $0.field == .query }
    }

    deinit {
        kinds.deallocate(); literalStart.deallocate(); literalLength.deallocate()
        literals.deallocate(); leading.deallocate()
    }

    func parse(_ line: ByteSlice, into r: inout LogRecord, context: inout ParseContext) -> ParseFailure? {
        guard let start = line.base else { return ParseFailure("empty line") }
        let end = start + line.count
        var p = start
        if leadingLength > 0 {
            guard line.count >= leadingLength, bytesEqual(p, leading, leadingLength) else {
                return ParseFailure("the line does not start as the format does")
            }
            p += leadingLength
        }
        var path = ByteSlice.empty
        var query = ByteSlice.empty
        for i in 0..<fieldCount {
            let length = literalLength[i]
            let valueEnd: UnsafePointer<UInt8>
            if length == 0 {
                valueEnd = end
            } else {
                guard let found = findLiteral(literals + literalStart[i], length, from: p, end: end) else {
                    return ParseFailure("the line ends before a field the format has (truncated, or another layout)", progress: i + 1)
                }
                valueEnd = found
            }
            let value = ByteSlice(p, valueEnd)
            p = valueEnd + length
            switch kinds[i] {
            case .ignored:
                break
            case .timeCommon:
                var t = value
                if t.count > 2, t[0] == 0x5B { t = t.dropFirst(1); if t[t.count - 1] == 0x5D { t.count -= 1 } }
                guard let time = context.commonLogTime(t) else { return ParseFailure("the time is not dd/Mon/yyyy:HH:MM:SS +zzzz", progress: i) }
                r.time = time
            case .timeISO8601:
                guard let time = Timestamps.iso8601(value) else { return ParseFailure("the time is not ISO 8601", progress: i) }
                r.time = time
            case .timeEpoch:
                guard let time = Timestamps.epoch(value) else { return ParseFailure("the time is not seconds since the epoch", progress: i) }
                r.time = time
            case .request:
                r.splitRequest(value)
            case .method:
                r.method = value
            case .uri:
                r.target = value
            case .path:
                path = value
            case .query:
                query = value
            case .status:
                guard let status = ByteScan.unsigned(value), status < 1000 else {
                    return ParseFailure("the status is not a number", progress: i)
                }
                r.status = Int(status)
            case .bodyBytes:
                guard let bytes = ByteScan.byteCount(value) else { return ParseFailure("the body size is not a number", progress: i) }
                r.bytes = bytes
            case .bytesSent:
                if !hasBodyBytes {
                    guard let bytes = ByteScan.byteCount(value) else { return ParseFailure("the byte count is not a number", progress: i) }
                    r.bytes = bytes
                }
            case .host:
                if !value.isDash { r.host = value }
            case .durationSeconds:
                if let seconds = ByteScan.decimal(value), seconds >= 0 { r.durationMicros = UInt64(seconds * 1_000_000 + 0.5) }
            case .durationMillis:
                if let ms = ByteScan.unsigned(value) { r.durationMicros = ms &* 1000 }
            case .durationMicros:
                if let us = ByteScan.unsigned(value) { r.durationMicros = us }
            case .cacheStatus:
                r.classify(value, with: vocabulary)
            case .contentType:
                if !value.isDash { r.contentType = value }
            case .originBytes:
                if let bytes = ByteScan.unsigned(value) { r.originBytes = bytes; r.hasOriginBytes = true }
            case .pop:
                if !value.isDash { r.pop = value }
            }
        }
        if splitTarget { r.target = context.join(path: path, query: query) } else if r.target.isEmpty { r.target = path }
        r.normalise()
        return nil
    }
}

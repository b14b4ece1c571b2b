import Glibc

/// Parses lines laid out by a `LineTemplate` (nginx, varnishncsa, Apache, Fastly syslog formats).
/// The template's literals are copied into one block of memory so the per-line loop reads
/// nothing but raw pointers.
final class TemplateParser: LineParser, @unchecked Sendable {
    let template: LineTemplate
    let vocabulary: CacheVocabulary
    private let fieldCount: Int
    private let kinds: UnsafeMutablePointer<LineTemplate.Field>
    /// The literal after each field, its bytes in `literalBytes`.
    private let literals: UnsafeMutablePointer<LineLiteral>
    /// The fields that are not ignored, in order: the only ones applied.
    private let active: UnsafeMutablePointer<Int>
    private let activeCount: Int
    private let literalBytes: UnsafeMutablePointer<UInt8>
    private let leading: UnsafeMutablePointer<UInt8>
    private let leadingLength: Int
    private let hasBodyBytes: Bool
    private let splitTarget: Bool
    /// Runs of ignored fields split by single spaces (`$remote_addr - $remote_user [`) are
    /// skipped with one search for the literal that ends the run: field i jumps to `skipTo[i]`.
    private let skipTo: UnsafeMutablePointer<Int>
    /// Bare fields at the end of the line (`… "$http_user_agent" $request_time $upstream_cache_status`)
    /// are read from the end backwards, so the ignored fields before them (referer, user agent:
    /// most of the line) are never scanned. `tailStart` is the first of them, `middleStart` the
    /// first ignored field skipped; both are `fieldCount` when the layout has no such tail.
    private let tailStart: Int
    private let middleStart: Int
    /// The byte just before the space that precedes the tail (`"` closing the user agent).
    private let boundary: UInt8

    init(_ template: LineTemplate) {
        self.template = template
        vocabulary = template.cacheVocabulary
        fieldCount = template.items.count
        // `ParseContext.fieldValues` has `maxFields` slots; every template builder refuses more.
        precondition(fieldCount <= LineTemplate.maxFields, "a line template with more than maxFields fields")
        kinds = .allocate(capacity: fieldCount)
        literals = .allocate(capacity: max(fieldCount, 1))
        let used = template.items.indices.filter { template.items[$0].field != .ignored }
        activeCount = used.count
        active = .allocate(capacity: max(used.count, 1))
        for (k, i) in used.enumerated() { active[k] = i }
        let total = template.items.reduce(0) { $0 + $1.literal.count }
        literalBytes = .allocate(capacity: max(total, 1))
        var offset = 0
        for (i, item) in template.items.enumerated() {
            kinds[i] = item.field
            for (k, b) in item.literal.enumerated() { literalBytes[offset + k] = b }
            literals.advanced(by: i).initialize(to: LineLiteral(literalBytes + offset, item.literal.count))
            offset += item.literal.count
        }
        leadingLength = template.leading.count
        leading = .allocate(capacity: max(leadingLength, 1))
        for (i, b) in template.leading.enumerated() { leading[i] = b }
        hasBodyBytes = template.items.contains { $0.field == .bodyBytes }
        splitTarget = template.items.contains { $0.field == .path } && template.items.contains { $0.field == .query }

        let items = template.items
        let n = items.count
        skipTo = .allocate(capacity: max(n, 1))
        for i in 0..<n {
            // A run: ignored fields whose literals are one space, ended by an ignored field whose
            // literal is a space and more (" [").
            var k = i
            while k < n, items[k].field == .ignored, items[k].literal == [0x20] { k += 1 }
            if k > i, k < n, items[k].field == .ignored, items[k].literal.count > 1, items[k].literal[0] == 0x20 {
                skipTo[i] = k
            } else {
                skipTo[i] = i
            }
        }
        // The tail: bare fields (no spaces inside) each followed by one space, the last by nothing.
        var t = n
        let bare: Set<LineTemplate.Field> = [.ignored, .status, .bodyBytes, .bytesSent, .durationSeconds, .durationMillis,
                                             .durationMicros, .cacheStatus, .originBytes, .pop, .host, .contentType, .timeEpoch]
        if n > 0, items[n - 1].literal.isEmpty, bare.contains(items[n - 1].field) {
            t = n - 1
            while t > 0, items[t - 1].literal == [0x20], bare.contains(items[t - 1].field) { t -= 1 }
        }
        var m = t
        while m > 1, items[m - 1].field == .ignored { m -= 1 }
        let before = t > 0 ? items[t - 1].literal : []
        if t < n, m < t, m >= 1, before.count == 2, before[1] == 0x20, before[0] != 0x20 {
            tailStart = t
            middleStart = m
            boundary = before[0]
        } else {
            tailStart = n
            middleStart = n
            boundary = 0
        }
    }

    deinit {
        kinds.deallocate(); literals.deallocate(); skipTo.deallocate(); active.deallocate()
        literalBytes.deallocate(); leading.deallocate()
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
        // First where each field is, then what it holds: one place applies them all.
        let values = context.fieldValues
        var i = 0
        while i < middleStart {
            let last = skipTo[i]
            let length = literals[last].length
            let valueEnd: UnsafePointer<UInt8>
            if length == 0 {
                valueEnd = end
            } else {
                guard let found = literals[last].find(from: p, end: end) else {
                    return ParseFailure("the line ends before a field the format has (truncated, or another layout)", progress: last + 1)
                }
                valueEnd = found
            }
            values[i] = ByteSlice(p, valueEnd)
            p = valueEnd + length
            i = last + 1
        }
        if tailStart < fieldCount {
            // From the end: each tail field is the text after the last space before the previous one.
            var e = end
            var j = fieldCount - 1
            while j >= tailStart {
                guard let q = findLastByte(0x20, from: p, end: e) else {
                    return ParseFailure("the line ends before a field the format has (truncated, or another layout)", progress: j)
                }
                values[j] = ByteSlice(q + 1, e)
                e = q
                j -= 1
            }
            // What comes before the tail must close the skipped fields (the user agent's quote),
            // or the line was cut inside them.
            let close = e - 1
            guard close >= p, close.pointee == boundary, !(boundary == 0x22 && LineLiteral.escaped(close, from: p)) else {
                return ParseFailure("the line ends before a field the format has (truncated, or another layout)", progress: middleStart)
            }
        }
        var path = ByteSlice.empty
        var query = ByteSlice.empty
        for k in 0..<activeCount {
            let f = active[k]
            let value = values[f]
            switch kinds[f] {
            case .ignored:
                break
            case .timeCommon:
                var t = value
                if t.count > 2, t[0] == 0x5B { t = t.dropFirst(1); if t[t.count - 1] == 0x5D { t.count -= 1 } }
                guard let time = context.commonLogTime(t) else { return ParseFailure("the time is not dd/Mon/yyyy:HH:MM:SS +zzzz", progress: f) }
                r.time = time
            case .timeISO8601:
                guard let time = Timestamps.iso8601(value) else { return ParseFailure("the time is not ISO 8601", progress: f) }
                r.time = time
            case .timeEpoch:
                guard let time = Timestamps.epoch(value) else { return ParseFailure("the time is not seconds since the epoch", progress: f) }
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
                    return ParseFailure("the status is not a number", progress: f)
                }
                r.status = Int(status)
            case .bodyBytes:
                // Digits, inline (the common case); "-" and "+N" through byteCount.
                var n: UInt64 = 0
                var digits = true
                if value.count > 0, value.count <= 19 {
                    for j in 0..<value.count {
                        let d = value[j] &- 0x30
                        if d >= 10 { digits = false; break }
                        n = n &* 10 &+ UInt64(d)
                    }
                } else {
                    digits = false
                }
                if digits {
                    r.bytes = n
                } else {
                    guard let bytes = ByteScan.byteCount(value) else { return ParseFailure("the body size is not a number", progress: f) }
                    r.bytes = bytes
                }
            case .bytesSent:
                if !hasBodyBytes {
                    guard let bytes = ByteScan.byteCount(value) else { return ParseFailure("the byte count is not a number", progress: f) }
                    r.bytes = bytes
                }
            case .host:
                if !value.isDash { r.host = value }
            case .durationSeconds:
                if let micros = ByteScan.micros(value) { r.durationMicros = micros }
            case .durationMillis:
                if let ms = ByteScan.unsigned(value) { r.durationMicros = ByteScan.micros(millis: ms) }
            case .durationMicros:
                if let us = ByteScan.unsigned(value) { r.durationMicros = min(us, ByteScan.maxDurationMicros) }
            case .cacheStatus:
                r.classify(value, with: vocabulary)
            case .contentType:
                if !value.isDash { r.contentType = value }
            case .originBytes:
                if let bytes = ByteScan.unsigned(value) { r.originBytes = bytes; r.hasOriginBytes = true }
            case .pop:
                if !value.isDash { r.pop = value }
            case .header(let field):
                r.setHeader(field, value)
            }
        }
        if splitTarget { r.target = context.join(path: path, query: query) } else if r.target.isEmpty { r.target = path }
        r.normalise()
        return nil
    }
}

/// Finds where the cache status sits in a "combined plus extra fields" line — the layout of
/// nginx, varnishncsa, Apache and Fastly syslog logs — by reading the first lines: the common
/// fields (`host ident user [time] "request" status bytes`, optionally `"referer" "agent"`),
/// then each extra field is checked against the vendors' cache words.
enum CombinedLayout {
    /// Fields of the common log format (the ones every such line has).
    static let prefixFields = 7

    struct Layout {
        var format: LogFormat
        var template: LineTemplate
        var description: String
    }

    enum TokenKind: Equatable { case bare, quoted, bracketed }

    struct Token {
        var kind: TokenKind
        var value: ByteSlice
        /// Spaces before the token (rt_cache writes two after the time).
        var gap = 1
    }

    /// Splits a line into space-separated tokens, keeping `"…"` (with `\"` escapes) and `[…]` whole.
    static func tokens(_ line: ByteSlice) -> [Token]? {
        var out: [Token] = []
        var i = 0
        let n = line.count
        while i < n {
            let start = i
            while i < n, line[i] == 0x20 { i += 1 }
            guard i < n else { break }
            let gap = max(1, i - start)
            switch line[i] {
            case 0x22:
                var j = i + 1
                while j < n, line[j] != 0x22 { j += line[j] == 0x5C ? 2 : 1 }
                guard j < n else { return nil }
                out.append(Token(kind: .quoted, value: line.dropFirst(i + 1).prefix(j - i - 1), gap: gap))
                i = j + 1
            case 0x5B:
                guard let close = line.dropFirst(i).firstIndex(of: 0x5D) else { return nil }
                out.append(Token(kind: .bracketed, value: line.dropFirst(i + 1).prefix(close - 1), gap: gap))
                i += close + 1
            default:
                var j = i
                while j < n, line[j] != 0x20 { j += 1 }
                out.append(Token(kind: .bare, value: line.dropFirst(i).prefix(j - i), gap: gap))
                i = j
            }
        }
        return out
    }

    struct Shape: Hashable {
        var hostFirst: Bool
        var combined: Bool
        var trailing: [TokenKind]
    }

    /// The common part of a line, or how far it got.
    static func shape(_ tokens: [Token]) -> (Shape?, progress: Int) {
        // [time] is the 4th token, or the 5th with a virtual host in front (vhost_combined).
        guard let timeIndex = tokens.prefix(5).firstIndex(where: { $0.kind == .bracketed }), timeIndex == 3 || timeIndex == 4 else {
            return (nil, 0)
        }
        guard tokens[..<timeIndex].allSatisfy({ $0.kind == .bare }), Timestamps.commonLog(tokens[timeIndex].value) != nil else { return (nil, 1) }
        var i = timeIndex + 1
        guard i < tokens.count, tokens[i].kind == .quoted else { return (nil, 2) }
        i += 1
        guard i + 1 < tokens.count, tokens[i].kind == .bare, ByteScan.unsigned(tokens[i].value) != nil else { return (nil, 3) }
        guard tokens[i + 1].kind == .bare, ByteScan.byteCount(tokens[i + 1].value) != nil else { return (nil, 4) }
        i += 2
        var combined = false
        if i + 1 < tokens.count, tokens[i].kind == .quoted, tokens[i + 1].kind == .quoted {
            combined = true
            i += 2
        }
        return (Shape(hostFirst: timeIndex == 4, combined: combined, trailing: tokens[i...].map(\.kind)), prefixFields)
    }

    static func detect(_ lines: [ByteSlice], allowed: [LogFormat]) -> Result<Layout, FormatDetection.Trial> {
        let family: LogFormat = allowed.count == 1 ? allowed[0] : .nginx
        var failure = FormatDetection.Trial(format: family)
        var parsed: [(Shape, [Token])] = []
        var firstCombined: Int?
        for (index, line) in lines.enumerated() {
            let tokens = tokens(line) ?? []
            let (shape, progress) = shape(tokens)
            if let shape {
                parsed.append((shape, tokens))
                if firstCombined == nil { firstCombined = index }
            } else if failure.line == 0 {
                failure.line = index + 1
                failure.reason = "not the combined log layout (host ident user [time] \"request\" status bytes …)"
                failure.excerpt = FormatDetection.excerpt(line)
            }
            failure.progress = max(failure.progress, progress)
        }
        // The most common shape decides; other lines will count as malformed.
        var counts: [Shape: Int] = [:]
        for (shape, _) in parsed { counts[shape, default: 0] += 1 }
        guard let shape = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.trailing.count > $1.key.trailing.count) })?.key else {
            return .failure(failure)
        }
        let rows = parsed.filter { $0.0 == shape }.map { Array($0.1.suffix(shape.trailing.count)) }
        var candidates: [(position: Int, format: LogFormat, specific: Bool)] = []
        var evidence = false
        for position in shape.trailing.indices {
            let values = rows.map { $0[position].value }
            for format in allowed {
                let vocabulary = format.vocabulary
                // Most values must be the vendor's words; a few new ones are counted as UNKNOWN by name.
                var matched = 0
                var words = 0
                var specific = false
                for v in values where !v.isDash {
                    words += 1
                    guard vocabulary.lookup(v) != nil else { continue }
                    matched += 1
                    if isDistinctive(v, format) { specific = true }
                }
                let enough = matched > 0 && matched * 2 >= words
                evidence = evidence || enough
                if enough || (words == 0 && format == .nginx && !values.isEmpty && position == shape.trailing.count - 1) {
                    candidates.append((position, format, specific))
                }
            }
        }
        // A value only one vendor writes settles it; otherwise nginx before Fastly (same words),
        // and varnish's handling field (with pass/pipe/synth) before its hitmiss field.
        // The rt_cache layout (`$remote_addr - $upstream_cache_status [$time_local] …`, from
        // rtCamp's EasyEngine guide) puts the cache status in the $remote_user slot: taken when
        // that slot holds nginx's words and no field after the combined ones does.
        let userSlot = (shape.hostFirst ? 4 : 3) - 1
        var inUserSlot = false
        if !evidence, allowed.contains(.nginx) {
            let values = parsed.filter { $0.0 == shape }.map { $0.1[userSlot].value }
            let words = values.filter { !$0.isDash }
            let matched = words.filter { CacheVocabulary.nginx.lookup($0) != nil }.count
            inUserSlot = matched > 0 && matched * 2 >= words.count
        }
        var chosen = candidates.first { $0.specific } ?? candidates.first { $0.format == .nginx }
            ?? candidates.first { $0.format == .fastly } ?? candidates.last { $0.format == .varnish } ?? candidates.first
        if inUserSlot { chosen = (-1, .nginx, true) }
        // A format given by name places its cache status after the combined fields even when the
        // first lines hold no value its table knows (Apache's reason strings): read the last
        // field, whose unknown values are counted by name, instead of guessing it away.
        var placed = false
        if chosen == nil, allowed.count == 1, !shape.trailing.isEmpty {
            chosen = (shape.trailing.count - 1, allowed[0], false)
            placed = true
        }
        guard let chosen else {
            failure.reason = "the combined layout, but no field holds cache-status values"
                + (shape.trailing.isEmpty ? " (nothing follows the user agent)" : "")
            let first = firstCombined ?? 0
            failure.line = first + 1
            failure.excerpt = FormatDetection.excerpt(lines[first])
            // The layout was understood: this is the closest any format came.
            failure.progress = 1000
            return .failure(failure)
        }
        // nginx writes $request_time with exactly three decimals: take the first such field.
        var durationPosition: Int?
        if chosen.format == .nginx {
            durationPosition = shape.trailing.indices.first { position in
                position != chosen.position && shape.trailing[position] == .bare
                    && rows.allSatisfy { looksLikeRequestTime($0[position].value) }
            }
        }
        var fields: [(LineTemplate.Field, TokenKind, String)] = []
        if shape.hostFirst { fields.append((.host, .bare, "$host")) }
        fields += [(.ignored, .bare, "$remote_addr"), (.ignored, .bare, "$ident"),
                   inUserSlot ? (.cacheStatus, .bare, "$upstream_cache_status") : (.ignored, .bare, "$remote_user"),
                   (.timeCommon, .bracketed, "$time_local"), (.request, .quoted, "$request"), (.status, .bare, "$status"),
                   (.bodyBytes, .bare, "$body_bytes_sent")]
        if shape.combined { fields += [(.ignored, .quoted, "$http_referer"), (.ignored, .quoted, "$http_user_agent")] }
        for (position, kind) in shape.trailing.enumerated() {
            if position == chosen.position { fields.append((.cacheStatus, kind, "cache status")) } else if position == durationPosition {
                fields.append((.durationSeconds, kind, "$request_time"))
            } else {
                fields.append((.ignored, kind, "extra field \(position + 1)"))
            }
        }
        // The parser keeps one slot per field; a line with more fields than that is not a
        // layout it can hold (and no vendor writes one).
        guard fields.count <= LineTemplate.maxFields else {
            failure.reason = "the combined layout, but with more than \(LineTemplate.maxFields) fields"
            let first = firstCombined ?? 0
            failure.line = first + 1
            failure.excerpt = FormatDetection.excerpt(lines[first])
            failure.progress = 1000
            return .failure(failure)
        }
        // The spaces between fields as the first line of this shape has them.
        let gaps = parsed.first { $0.0 == shape }.map { $0.1.map(\.gap) } ?? []
        let template = build(fields, vocabulary: chosen.format.vocabulary.name, gaps: gaps)
        let fieldNumber = fields.firstIndex { $0.0 == .cacheStatus }! + 1
        var description = "\(chosen.format.rawValue): \(shape.combined ? "combined" : "common") + \(chosen.format.vocabulary.field) as field \(fieldNumber)"
        if durationPosition != nil { description += ", field \(fields.firstIndex { $0.2 == "$request_time" }! + 1) read as $request_time" }
        if inUserSlot { description += " (rt_cache: in the $remote_user slot)" }
        if placed { description += " (the last field: no value of the first \(lines.count) lines is in the \(chosen.format.rawValue) table)" }
        return .success(Layout(format: chosen.format, template: template, description: description))
    }

    /// Words only one vendor uses.
    static func isDistinctive(_ v: ByteSlice, _ format: LogFormat) -> Bool {
        switch format {
        case .nginx: return v.equals("BYPASS") || v.equals("EXPIRED") || v.equals("UPDATING") || v.equals("REVALIDATED")
        case .fastly: return v.hasPrefix("HIT-") || v.hasPrefix("MISS-") || v.hasPrefix("PASS") || v.equals("HITPASS") || v.hasPrefix("ERROR")
        case .varnish: return v.equals("pass") || v.equals("pipe") || v.equals("synth")
        case .apache: return true
        default: return false
        }
    }

    static func looksLikeRequestTime(_ v: ByteSlice) -> Bool {
        guard v.count >= 5, let dot = v.firstIndex(of: 0x2E), dot == v.count - 4 else { return false }
        for i in 0..<v.count where i != dot && !ByteScan.isDigit(v[i]) { return false }
        return true
    }

    /// A template from fields and how each is delimited.
    static func build(_ fields: [(LineTemplate.Field, TokenKind, String)], vocabulary: String, gaps: [Int] = []) -> LineTemplate {
        func open(_ k: TokenKind) -> [UInt8] { k == .quoted ? [0x22] : k == .bracketed ? [0x5B] : [] }
        func close(_ k: TokenKind) -> [UInt8] { k == .quoted ? [0x22] : k == .bracketed ? [0x5D] : [] }
        var items: [LineTemplate.Item] = []
        for (index, field) in fields.enumerated() {
            var literal = close(field.1)
            if index + 1 < fields.count {
                let gap = index + 1 < gaps.count ? gaps[index + 1] : 1
                literal += [UInt8](repeating: 0x20, count: gap) + open(fields[index + 1].1)
            }
            items.append(LineTemplate.Item(field: field.0, literal: literal, name: field.2))
        }
        return LineTemplate(leading: open(fields[0].1), items: items, vocabulary: vocabulary)
    }
}

import ScaleCore

/// The format of one input, found from its first lines (or forced), with the parser to use.
struct DetectedFormat {
    var format: LogFormat
    var parser: any LineParser
    /// How the layout was understood, for the report (`nginx: combined + $upstream_cache_status as field 10`).
    var description: String
    var hasTime: Bool
    var hasCacheStatus: Bool
}

/// No format fits: names the closest one and the first line it could not read.
public struct DetectionError: Error, Sendable, Equatable {
    public var closest: LogFormat?
    /// 1-based line within the sample.
    public var line: Int
    public var reason: String
    public var excerpt: String
}

enum FormatDetection {
    /// Enough lines to get past a run of dynamic pages that never touched the cache (all `-`).
    static let sampleLines = 1024

    /// `sample` holds the first lines of the input, blank ones included, so an error can name
    /// the line's real number.
    static func detect(_ sample: [ByteSlice], options: AnalysisOptions) throws(DetectionError) -> DetectedFormat {
        let numbers = sample.indices.filter { sample[$0].trimmed.count > 0 }
        do {
            return try detect(nonBlank: numbers.map { sample[$0] }, options: options)
        } catch {
            var e = error
            if e.line >= 1, e.line <= numbers.count { e.line = numbers[e.line - 1] + 1 }
            throw e
        }
    }

    private static func detect(nonBlank lines: [ByteSlice], options: AnalysisOptions) throws(DetectionError) -> DetectedFormat {
        if let forced = options.format { return try forcedFormat(forced, lines, options) }
        if options.template != nil {
            // A given layout says which family it is: its cache field names the vendor.
            return try templateFormat(options.template!, lines)
        }
        if lines.contains(where: { $0.hasPrefix("#Version") || $0.hasPrefix("#Fields:") }) {
            return try forcedFormat(.cloudfront, lines, options)
        }
        guard let first = lines.first else {
            // Nothing to look at (an empty file): any parser will do, nothing will be counted.
            return DetectedFormat(format: .nginx, parser: TemplateParser(try! LineTemplate.nginx("combined")),
                                  description: "empty input", hasTime: true, hasCacheStatus: false)
        }
        if first.trimmed.count > 0, first.trimmed[0] == 0x7B { return try jsonFormat(lines, forced: nil) }
        if let realtime = try realtimeFormat(first, lines, options) { return realtime }

        var attempts: [(DetectedFormat?, Trial)] = []
        let squidLike = SquidParser(vocabulary: squidVocabulary(lines))
        let squidFormat: LogFormat = squidLike.vocabulary.name == "ats" ? .ats : .squid
        attempts.append((DetectedFormat(format: squidFormat, parser: squidLike, description: squidFormat.rawValue + " native",
                                        hasTime: true, hasCacheStatus: true), trial(squidLike, lines, squidFormat)))
        let haproxy = HAProxyParser()
        attempts.append((DetectedFormat(format: .haproxy, parser: haproxy, description: "haproxy httplog", hasTime: true, hasCacheStatus: true),
                         trial(haproxy, lines, .haproxy)))
        switch CombinedLayout.detect(lines, allowed: [.nginx, .fastly, .varnish, .apache]) {
        case .success(let layout):
            let parser = TemplateParser(layout.template)
            attempts.append((DetectedFormat(format: layout.format, parser: parser, description: layout.description,
                                            hasTime: true, hasCacheStatus: true), trial(parser, lines, layout.format)))
        case .failure(let failure):
            attempts.append((nil, failure))
        }
        if let best = attempts.filter({ $0.0 != nil && $0.1.parsed > 0 }).max(by: { $0.1.parsed < $1.1.parsed }) {
            return best.0!
        }
        let closest = attempts.max { $0.1.progress < $1.1.progress }!.1
        throw closest.error
    }

    /// CloudFront real-time logs have no header: tab-separated values, the first the epoch
    /// timestamp with milliseconds. All 40 fields selected is the one layout that can be known
    /// without being told; any other selection needs its field list.
    static func realtimeFormat(_ first: ByteSlice, _ lines: [ByteSlice], _ options: AnalysisOptions) throws(DetectionError) -> DetectedFormat? {
        guard let tab = first.firstIndex(of: 0x09) else { return nil }
        let stamp = first.prefix(tab)
        guard stamp.firstIndex(of: 0x2E) != nil, Timestamps.epoch(stamp) != nil else { return nil }
        var fields = 1
        for i in 0..<first.count where first[i] == 0x09 { fields += 1 }
        if options.cloudfrontFields != nil || fields == W3CParser.realtimeOrder.count {
            return try forcedFormat(.cloudfrontRealtime, lines, options)
        }
        throw DetectionError(closest: .cloudfrontRealtime, line: 1,
                             reason: "tab-separated values after an epoch timestamp, as in CloudFront real-time logs, but \(fields) fields, "
                                 + "not the \(W3CParser.realtimeOrder.count) written when every field is selected: give the selected fields in order with "
                                 + "\(Parameter.cloudfrontFields) and \(Parameter.logFormat) \(LogFormat.cloudfrontRealtime.rawValue)",
                             excerpt: excerpt(first))
    }

    // MARK: - Trials

    struct Trial: Error {
        var format: LogFormat
        var parsed = 0
        var progress = -1
        var line = 0
        var reason = ""
        var excerpt = ""

        var error: DetectionError { DetectionError(closest: format, line: line, reason: reason, excerpt: excerpt) }
    }

    static func trial(_ parser: any LineParser, _ lines: [ByteSlice], _ format: LogFormat) -> Trial {
        var result = Trial(format: format)
        var context = ParseContext()
        defer { context.release() }
        for (index, line) in lines.enumerated() where !parser.isComment(line) {
            var record = LogRecord()
            context.reset(forLineOf: line.count)
            if let failure = parser.parse(line, into: &record, context: &context) {
                if result.line == 0 {
                    result.line = index + 1
                    result.reason = failure.text
                    result.excerpt = excerpt(line)
                }
                result.progress = max(result.progress, failure.progress)
            } else {
                result.parsed += 1
            }
        }
        return result
    }

    static func excerpt(_ line: ByteSlice) -> String {
        var text = line.prefix(120).string
        if line.count > 120 { text += "…" }
        return text
    }

    // MARK: - Forced and family formats

    static func forcedFormat(_ format: LogFormat, _ lines: [ByteSlice], _ options: AnalysisOptions) throws(DetectionError) -> DetectedFormat {
        switch format {
        case .cloudfront:
            let header = lines.lazy.compactMap(W3CParser.fields(fromHeader:)).first
            let fields = header ?? options.cloudfrontFields ?? standardCloudFrontFields
            let parser = W3CParser(fields: fields)
            return DetectedFormat(format: .cloudfront, parser: parser,
                                  description: "cloudfront standard, \(fields.count) fields" + (header == nil ? " (no #Fields header: the standard 33)" : ""),
                                  hasTime: true, hasCacheStatus: parser.hasCacheStatus)
        case .cloudfrontRealtime:
            let fields = options.cloudfrontFields ?? W3CParser.realtimeOrder
            let parser = W3CParser(fields: fields)
            return DetectedFormat(format: .cloudfrontRealtime, parser: parser, description: "cloudfront real-time, \(fields.count) fields",
                                  hasTime: fields.contains("timestamp"), hasCacheStatus: parser.hasCacheStatus)
        case .cloudflare, .akamai:
            return try jsonFormat(lines, forced: format)
        case .fastly:
            if let first = lines.first?.trimmed, first.count > 0, first[0] == 0x7B { return try jsonFormat(lines, forced: .fastly) }
            return try familyFormat(.fastly, lines, options)
        case .nginx, .varnish, .apache:
            return try familyFormat(format, lines, options)
        case .squid, .ats:
            let parser = SquidParser(vocabulary: format.vocabulary)
            return DetectedFormat(format: format, parser: parser, description: format.rawValue + " native", hasTime: true, hasCacheStatus: true)
        case .haproxy:
            return DetectedFormat(format: .haproxy, parser: HAProxyParser(), description: "haproxy httplog", hasTime: true, hasCacheStatus: true)
        }
    }

    static func familyFormat(_ format: LogFormat, _ lines: [ByteSlice], _ options: AnalysisOptions) throws(DetectionError) -> DetectedFormat {
        if let template = options.template {
            var t = template
            if !t.hasCacheStatus || format != .nginx { t.vocabulary = format.vocabulary.name }
            return DetectedFormat(format: format, parser: TemplateParser(t), description: "\(format.rawValue), layout given",
                                  hasTime: t.hasTime, hasCacheStatus: t.hasCacheStatus)
        }
        switch CombinedLayout.detect(lines, allowed: [format]) {
        case .success(let layout):
            return DetectedFormat(format: format, parser: TemplateParser(layout.template), description: layout.description,
                                  hasTime: true, hasCacheStatus: true)
        case .failure:
            // The format was given: read the combined layout (every request NONE); lines that
            // are not in it count as malformed.
            let template = try! LineTemplate.nginx("combined")
            return DetectedFormat(format: format, parser: TemplateParser(template),
                                  description: "\(format.rawValue): combined, no cache-status field", hasTime: true, hasCacheStatus: false)
        }
    }

    static func templateFormat(_ template: LineTemplate, _ lines: [ByteSlice]) throws(DetectionError) -> DetectedFormat {
        let format = template.format
        let parser = TemplateParser(template)
        return DetectedFormat(format: format, parser: parser, description: "\(format.rawValue), layout given",
                              hasTime: template.hasTime, hasCacheStatus: template.hasCacheStatus)
    }

    static func jsonFormat(_ lines: [ByteSlice], forced: LogFormat?) throws(DetectionError) -> DetectedFormat {
        let text = lines.prefix(8).map(\.string).joined(separator: "\n")
        let format: LogFormat
        if let forced { format = forced } else if text.contains("\"CacheCacheStatus\"") { format = .cloudflare } else if text.contains("\"cacheStatus\"") {
            format = .akamai
        } else if JSONLineParser.fastlyKeys.contains(where: { $0.1 == .cache && text.contains("\"\($0.0)\"") }) {
            format = .fastly
        } else {
            throw DetectionError(closest: .cloudflare, line: 1,
                                 reason: "a JSON log without a cache-status member (CacheCacheStatus, cacheStatus, response_state or fastly_info_state)",
                                 excerpt: lines.first.map(excerpt) ?? "")
        }
        let keys: [(String, JSONLineParser.Key)]
        switch format {
        case .cloudflare: keys = JSONLineParser.cloudflareKeys
        case .akamai: keys = JSONLineParser.akamaiKeys
        default: keys = JSONLineParser.fastlyKeys
        }
        let parser = JSONLineParser(vocabulary: format.vocabulary, keys: keys)
        return DetectedFormat(format: format, parser: parser, description: "\(format.rawValue) JSON", hasTime: true, hasCacheStatus: true)
    }

    /// Squid and Traffic Server share the native layout and most codes. A code only one of the
    /// two tables knows settles it (Squid's TCP_DENIED, TCP_TUNNEL, TCP_REFRESH_MODIFIED, TAG_NONE;
    /// Traffic Server's TCP_REFRESH_HIT, TCP_IMS_MISS, ERR_…); otherwise Squid, whose older
    /// releases also wrote `DIRECT/` and `NONE/-` hierarchy tags.
    static func squidVocabulary(_ lines: [ByteSlice]) -> CacheVocabulary {
        var squidOnly = 0, atsOnly = 0
        for line in lines {
            let f = SquidParser.Fields(line)
            guard f.count >= 4, let slash = f[3].firstIndex(of: 0x2F) else { continue }
            let code = f[3].prefix(slash)
            let inSquid = CacheVocabulary.squid.lookup(code) != nil
            let inATS = CacheVocabulary.ats.lookup(code) != nil
            if inSquid, !inATS { squidOnly += 1 } else if inATS, !inSquid { atsOnly += 1 }
        }
        return atsOnly > squidOnly ? .ats : .squid
    }

    /// The 33 fields of current CloudFront standard logs, in order.
    static let standardCloudFrontFields = [
        "date", "time", "x-edge-location", "sc-bytes", "c-ip", "cs-method", "cs(Host)", "cs-uri-stem", "sc-status",
        "cs(Referer)", "cs(User-Agent)", "cs-uri-query", "cs(Cookie)", "x-edge-result-type", "x-edge-request-id",
        "x-host-header", "cs-protocol", "cs-bytes", "time-taken", "x-forwarded-for", "ssl-protocol", "ssl-cipher",
        "x-edge-response-result-type", "cs-protocol-version", "fle-status", "fle-encrypted-fields", "c-port",
        "time-to-first-byte", "x-edge-detailed-result-type", "sc-content-type", "sc-content-len", "sc-range-start", "sc-range-end",
    ]
}

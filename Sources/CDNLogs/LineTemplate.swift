import ScaleCore

/// A log line layout compiled from an nginx `log_format` string (`$remote_addr … $upstream_cache_status`)
/// or an Apache/varnishncsa/Fastly format string (`%h %l %u %t "%r" %>s %b …`): literal text
/// and fields in turn. A field runs up to the next occurrence of the literal after it (quotes
/// escaped as `\"` are skipped; nginx writes them as `\x22`), so spaces inside quoted fields,
/// URLs and user agents never shift the columns.
public struct LineTemplate: Sendable, Equatable {
    public enum Field: Sendable, Hashable {
        case ignored
        /// `[10/Oct/2000:13:55:36 -0700]` with or without brackets.
        case timeCommon
        case timeISO8601
        /// Seconds since the epoch, with a fraction (`$msec`).
        case timeEpoch
        /// `GET /path HTTP/1.1`.
        case request
        case method
        /// Path and query.
        case uri
        case path
        /// The query string, with or without its `?`.
        case query
        case status
        case bodyBytes
        /// Bytes including headers; used when the format has no body size.
        case bytesSent
        case host
        case durationSeconds
        case durationMillis
        case durationMicros
        case cacheStatus
        case contentType
        case originBytes
        case pop
        /// Vary, Cookie, Set-Cookie, or a request header a Vary names (`cdn why`'s
        /// vary-fragmentation). Request headers count only beside Vary, Cookie or Set-Cookie.
        case header(HeaderField)
    }

    public struct Item: Sendable, Equatable {
        public var field: Field
        /// What follows the field; empty for the last field (it runs to the end of the line).
        public var literal: [UInt8]
        /// The variable as written, for messages.
        public var name: String
    }

    /// Fields a template may have (the parser keeps their places on the stack).
    public static let maxFields = 64

    public var leading: [UInt8]
    public var items: [Item]
    /// The vendor table for the cache field.
    public var vocabulary: String

    /// The format a report names for lines in this layout, from its cache-status table.
    public var format: LogFormat {
        switch vocabulary {
        case CacheVocabulary.varnish.name: return .varnish
        case CacheVocabulary.apache.name, CacheVocabulary.haproxy.name: return .apache
        case CacheVocabulary.fastly.name: return .fastly
        default: return .nginx
        }
    }

    /// The cache-status table the cache field is read with.
    public var cacheVocabulary: CacheVocabulary {
        CacheVocabulary.all.first { $0.name == vocabulary } ?? .nginx
    }

    public var hasCacheStatus: Bool { items.contains { $0.field == .cacheStatus } }
    public var hasTime: Bool { items.contains { [.timeCommon, .timeISO8601, .timeEpoch].contains($0.field) } }
    public var hasDuration: Bool { items.contains { [.durationSeconds, .durationMillis, .durationMicros].contains($0.field) } }

    public static func == (a: LineTemplate, b: LineTemplate) -> Bool {
        a.leading == b.leading && a.items == b.items && a.vocabulary == b.vocabulary
    }

    // MARK: - nginx

    /// nginx's predefined `combined` format.
    public static let nginxCombined = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\""

    /// Compiles an nginx `log_format`. Accepts the format string alone, the name `combined`,
    /// or a whole directive as written in nginx.conf (`log_format cache escape=json '…' '…';`),
    /// whose quoted parts are joined as nginx joins them.
    public static func nginx(_ text: String) throws(TemplateError) -> LineTemplate {
        var format = text.trimmingSpaces
        if format == "combined" { format = nginxCombined }
        if format.hasPrefix("log_format ") || format.hasPrefix("log_format\t") { format = try directiveBody(format) }
        var leading: [UInt8] = []
        var items: [Item] = []
        var pendingLiteral: [UInt8] = []
        let bytes = Array(format.utf8)
        var i = 0
        var vocabulary = CacheVocabulary.nginx.name
        while i < bytes.count {
            if bytes[i] == 0x24 {  // $
                var j = i + 1
                var braced = false
                if j < bytes.count, bytes[j] == 0x7B { braced = true; j += 1 }
                let start = j
                while j < bytes.count, Self.isNameByte(bytes[j]) { j += 1 }
                let name = String(decoding: bytes[start..<j], as: UTF8.self)
                if braced {
                    guard j < bytes.count, bytes[j] == 0x7D else { throw TemplateError("${\(name) is not closed with }") }
                    j += 1
                }
                guard !name.isEmpty else { pendingLiteral.append(0x24); i += 1; continue }
                if items.isEmpty { leading = pendingLiteral } else { items[items.count - 1].literal = pendingLiteral }
                if !items.isEmpty, pendingLiteral.isEmpty {
                    throw TemplateError("$\(items[items.count - 1].name) and $\(name) have nothing between them, so neither can be told where it ends")
                }
                pendingLiteral = []
                let field = nginxField(name)
                if field == .cacheStatus { vocabulary = CacheVocabulary.nginx.name }
                items.append(Item(field: field, literal: [], name: name))
                i = j
            } else {
                pendingLiteral.append(bytes[i])
                i += 1
            }
        }
        if items.isEmpty { throw TemplateError("the format has no $variables") }
        if items.count > maxFields { throw TemplateError("the format has \(items.count) variables; at most \(maxFields) are supported") }
        items[items.count - 1].literal = pendingLiteral
        return LineTemplate(leading: leading, items: withHeaderFields(items), vocabulary: vocabulary)
    }

    /// The request headers a Vary may name (user agent, Accept-Encoding…) are read only when
    /// the format also logs Vary, Cookie or Set-Cookie: alone they say nothing about copies,
    /// and a combined log's user agent stays a field the parser skips without reading.
    private static func withHeaderFields(_ items: [Item]) -> [Item] {
        let decisive: Set<Field> = [.header(.vary), .header(.cookie), .header(.setCookie)]
        guard !items.contains(where: { decisive.contains($0.field) }) else { return items }
        return items.map { item in
            guard case .header = item.field else { return item }
            var ignored = item
            ignored.field = .ignored
            return ignored
        }
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
    }

    static func nginxField(_ name: String) -> Field {
        switch name {
        case "time_local": return .timeCommon
        case "time_iso8601": return .timeISO8601
        case "msec": return .timeEpoch
        case "request": return .request
        case "request_method": return .method
        case "request_uri": return .uri
        case "uri", "document_uri": return .path
        case "args", "query_string": return .query
        case "status": return .status
        case "body_bytes_sent": return .bodyBytes
        case "bytes_sent": return .bytesSent
        case "host", "http_host", "server_name": return .host
        case "request_time": return .durationSeconds
        case "upstream_cache_status": return .cacheStatus
        case "sent_http_content_type": return .contentType
        case "upstream_bytes_received": return .originBytes
        case "sent_http_vary", "upstream_http_vary": return .header(.vary)
        case "sent_http_set_cookie", "upstream_http_set_cookie": return .header(.setCookie)
        case "http_cookie": return .header(.cookie)
        case "http_user_agent": return .header(.userAgent)
        case "http_accept_encoding": return .header(.acceptEncoding)
        case "http_accept_language": return .header(.acceptLanguage)
        default: return name.hasPrefix("cookie_") ? .header(.cookie) : .ignored
        }
    }

    /// The quoted parts of `log_format NAME [escape=…] '…' '…';`, joined.
    private static func directiveBody(_ directive: String) throws(TemplateError) -> String {
        var out = ""
        var quote: Character?
        var sawQuoted = false
        var escaped = false
        for ch in directive {
            if let q = quote {
                if escaped { out.append(ch); escaped = false; continue }
                if ch == "\\" { escaped = true; continue }
                if ch == q { quote = nil; continue }
                out.append(ch)
            } else if ch == "'" || ch == "\"" {
                quote = ch
                sawQuoted = true
            } else if ch == ";" {
                break
            }
        }
        guard sawQuoted, quote == nil else { throw TemplateError("the log_format directive has no complete quoted format string") }
        return out
    }

    // MARK: - Apache, varnishncsa, Fastly

    /// Apache's `LogFormat` (also varnishncsa `-F` and Fastly's version 2 formats).
    public static let apacheCombined = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\""

    public static func apache(_ text: String) throws(TemplateError) -> LineTemplate {
        let format = text == "combined" ? apacheCombined : text
        let bytes = Array(format.utf8)
        var leading: [UInt8] = []
        var items: [Item] = []
        var pending: [UInt8] = []
        var vocabulary = CacheVocabulary.apache.name
        var i = 0
        while i < bytes.count {
            guard bytes[i] == 0x25, i + 1 < bytes.count else { pending.append(bytes[i]); i += 1; continue }  // %
            var j = i + 1
            if bytes[j] == 0x25 { pending.append(0x25); i = j + 1; continue }
            // Modifiers: status-code conditions (%400,501{…}i, %!200r) and < > (original/final).
            while j < bytes.count, bytes[j] == 0x21 || bytes[j] == 0x2C || bytes[j] == 0x3C || bytes[j] == 0x3E || ByteScan.isDigit(bytes[j]) { j += 1 }
            var argument = ""
            if j < bytes.count, bytes[j] == 0x7B {
                guard let end = bytes[j...].firstIndex(of: 0x7D) else { throw TemplateError("%{ is not closed with }") }
                argument = String(decoding: bytes[(j + 1)..<end], as: UTF8.self)
                j = end + 1
            }
            guard j < bytes.count else { throw TemplateError("the format ends inside a % directive") }
            let letter = Character(UnicodeScalar(bytes[j]))
            j += 1
            let name = "%" + (argument.isEmpty ? "" : "{\(argument)}") + String(letter)
            var (field, vocab) = apacheField(letter, argument)
            // %U%q: path then query with nothing between them is the request URI.
            if field == .path, j + 1 < bytes.count, bytes[j] == 0x25, bytes[j + 1] == 0x71 {
                field = .uri
                j += 2
            }
            if let vocab { vocabulary = vocab }
            if items.isEmpty { leading = pending } else {
                guard !pending.isEmpty else {
                    throw TemplateError("\(items[items.count - 1].name) and \(name) have nothing between them, so neither can be told where it ends")
                }
                items[items.count - 1].literal = pending
            }
            pending = []
            items.append(Item(field: field, literal: [], name: name))
            i = j
        }
        if items.isEmpty { throw TemplateError("the format has no % directives") }
        if items.count > maxFields { throw TemplateError("the format has \(items.count) directives; at most \(maxFields) are supported") }
        items[items.count - 1].literal = pending
        return LineTemplate(leading: leading, items: withHeaderFields(items), vocabulary: vocabulary)
    }

    static func apacheField(_ letter: Character, _ argument: String) -> (Field, String?) {
        let lower = argument.lowercased()
        switch letter {
        case "t": return (argument.isEmpty ? .timeCommon : .ignored, nil)
        case "r": return (.request, nil)
        case "m": return (.method, nil)
        case "U", "f": return (.path, nil)
        case "q": return (.query, nil)
        case "s": return (.status, nil)
        case "b", "B": return (.bodyBytes, nil)
        case "O": return (.bytesSent, nil)
        case "v": return (.host, nil)
        case "V" where argument.isEmpty: return (.host, nil)
        case "D": return (.durationMicros, nil)
        case "T":
            switch lower {
            case "ms": return (.durationMillis, nil)
            case "us": return (.durationMicros, nil)
            default: return (.durationSeconds, nil)
            }
        case "i":
            switch lower {
            case "host": return (.host, nil)
            case "cookie": return (.header(.cookie), nil)
            case "user-agent": return (.header(.userAgent), nil)
            case "accept-encoding": return (.header(.acceptEncoding), nil)
            case "accept-language": return (.header(.acceptLanguage), nil)
            default: return (.ignored, nil)
            }
        case "o":
            switch lower {
            case "content-type": return (.contentType, nil)
            case "x-cache": return (.cacheStatus, CacheVocabulary.haproxy.name)
            case "vary": return (.header(.vary), nil)
            case "set-cookie": return (.header(.setCookie), nil)
            default: return (.ignored, nil)
            }
        case "C" where !argument.isEmpty: return (.header(.cookie), nil)
        case "e": return lower == "cache-status" ? (.cacheStatus, CacheVocabulary.apache.name) : (.ignored, nil)
        case "x":
            switch lower {
            case "varnish:hitmiss", "varnish:handling": return (.cacheStatus, CacheVocabulary.varnish.name)
            case "varnish:time_firstbyte": return (.durationSeconds, nil)
            default: return (.ignored, nil)
            }
        case "V":
            // Fastly's VCL variables.
            switch lower {
            case "fastly_info.state": return (.cacheStatus, CacheVocabulary.fastly.name)
            case "server.datacenter": return (.pop, nil)
            case "req.http.host": return (.host, nil)
            case "req.url": return (.uri, nil)
            case "req.method", "req.request": return (.method, nil)
            case "resp.status": return (.status, nil)
            case "resp.body_bytes_written": return (.bodyBytes, nil)
            case "time.elapsed.usec": return (.durationMicros, nil)
            case "time.elapsed.msec": return (.durationMillis, nil)
            case "time.start.sec": return (.timeEpoch, nil)
            case "resp.http.vary": return (.header(.vary), nil)
            case "resp.http.set-cookie": return (.header(.setCookie), nil)
            case "req.http.cookie": return (.header(.cookie), nil)
            case "req.http.user-agent": return (.header(.userAgent), nil)
            case "req.http.accept-encoding": return (.header(.acceptEncoding), nil)
            case "req.http.accept-language": return (.header(.acceptLanguage), nil)
            default: return (.ignored, nil)
            }
        default: break
        }
        return (.ignored, nil)
    }
}

public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ text: String) { description = text }
}

import Glibc

/// Squid's native access.log and Apache Traffic Server's squid-compatible log:
/// `time.ms elapsed client CODE/status bytes method URL user hierarchy/peer type`, fields
/// separated by runs of spaces (Squid pads the elapsed time).
final class SquidParser: LineParser, @unchecked Sendable {
    let vocabulary: CacheVocabulary

    init(vocabulary: CacheVocabulary) { self.vocabulary = vocabulary }

    /// Up to ten fields split on runs of spaces and tabs, without allocating.
    struct Fields {
        var items = InlineArray<10, ByteSlice>(repeating: .empty)
        var count = 0

        init(_ line: ByteSlice) {
            guard let base = line.base else { return }
            var i = 0
            let n = line.count
            while i < n, count < 10 {
                while i < n, base[i] == 0x20 || base[i] == 0x09 { i += 1 }
                guard i < n else { break }
                let start = i
                while i < n, base[i] != 0x20, base[i] != 0x09 { i += 1 }
                items[count] = ByteSlice(base: base + start, count: i - start)
                count += 1
            }
        }

        subscript(_ i: Int) -> ByteSlice { items[i] }
    }

    func parse(_ line: ByteSlice, into r: inout LogRecord, context: inout ParseContext) -> ParseFailure? {
        let f = Fields(line)
        guard f.count >= 7 else { return ParseFailure("fewer than 7 space-separated fields", progress: f.count) }
        guard let time = Timestamps.epoch(f[0]), f[0].firstIndex(of: 0x2E) != nil else {
            return ParseFailure("the first field is not seconds.milliseconds since the epoch")
        }
        r.time = time
        if let ms = ByteScan.unsigned(f[1]) { r.durationMicros = ByteScan.micros(millis: ms) }
        guard let slash = f[3].firstIndex(of: 0x2F) else { return ParseFailure("field 4 is not CODE/status", progress: 3) }
        guard let status = ByteScan.unsigned(f[3].dropFirst(slash + 1)), status < 1000 else {
            return ParseFailure("field 4 has no numeric status after the slash", progress: 3)
        }
        r.status = Int(status)
        guard let bytes = ByteScan.byteCount(f[4]) else { return ParseFailure("field 5 (bytes) is not a number", progress: 4) }
        r.bytes = bytes
        r.method = f[5]
        r.target = f[6]
        if f.count >= 10, !f[9].isDash { r.contentType = f[9] }
        r.classify(f[3].prefix(slash), with: vocabulary)
        r.normalise()
        return nil
    }
}

/// HAProxy `option httplog` lines, with or without a syslog prefix:
/// `client:port [accept date] frontend backend/server Tq/Tw/Tc/Tr/Tt status bytes cookie cookie
/// termination conns queues {captured request headers} {captured response headers} "request"`.
/// HAProxy has no cache field of its own: server `<CACHE>` means its cache answered; a captured
/// response header (`capture response header X-Cache len 32`) carries an upstream's status.
final class HAProxyParser: LineParser, @unchecked Sendable {
    let vocabulary = CacheVocabulary.haproxy

    func parse(_ line: ByteSlice, into r: inout LogRecord, context: inout ParseContext) -> ParseFailure? {
        guard let base = line.base else { return ParseFailure("empty line") }
        let end = base + line.count
        // The accept date: ` [dd/Mon/yyyy:HH:MM:SS.mmm] ` after client:port.
        var p = base
        var dateStart: UnsafePointer<UInt8>?
        while p < end, let found = memchr(p, 0x5B, end - p) {
            let q = UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
            if end - q > 25, q[3] == 0x2F, q[7] == 0x2F, q[12] == 0x3A, q > base, (q - 1).pointee == 0x20 {
                dateStart = q
                break
            }
            p = q + 1
        }
        guard let dateStart, let close = memchr(dateStart, 0x5D, end - dateStart) else {
            return ParseFailure("no [accept date] after the client address")
        }
        let dateEnd = UnsafePointer(close.assumingMemoryBound(to: UInt8.self))
        guard let time = Timestamps.commonLog(ByteSlice(dateStart + 1, dateEnd)) else {
            return ParseFailure("the accept date is not dd/Mon/yyyy:HH:MM:SS.mmm", progress: 1)
        }
        r.time = time
        let f = SquidParser.Fields(ByteSlice(dateEnd + 1, end))
        // frontend, backend/server, timers, status, bytes, cookie, cookie, termination, conns, queues
        guard f.count == 10 else { return ParseFailure("fewer fields after the date than option httplog writes", progress: 2 + f.count) }
        guard let slash = f[1].firstIndex(of: 0x2F) else { return ParseFailure("the second field is not backend/server", progress: 3) }
        let server = f[1].dropFirst(slash + 1)
        if let lastSlash = f[2].lastIndex(of: 0x2F), let total = ByteScan.unsigned(f[2].dropFirst(lastSlash + 1)) {
            r.durationMicros = ByteScan.micros(millis: total)
        }
        if let status = ByteScan.unsigned(f[3]), status < 1000 { r.status = Int(status) } else if f[3].equals("-1") { r.status = 0 } else {
            return ParseFailure("the status is not a number", progress: 5)
        }
        guard let bytes = ByteScan.byteCount(f[4]) else { return ParseFailure("the byte count is not a number", progress: 6) }
        r.bytes = bytes
        // After the queues: optional {…} capture blocks, then the quoted request.
        var rest = ByteSlice(f[9].base! + f[9].count, end)
        var lastCapture: ByteSlice?
        while true {
            rest = rest.trimmed
            guard rest.count > 0, rest[0] == 0x7B, let closeBrace = rest.firstIndex(of: 0x7D) else { break }
            lastCapture = rest.dropFirst(1).prefix(closeBrace - 1)
            rest = rest.dropFirst(closeBrace + 1)
        }
        guard rest.count >= 2, rest[0] == 0x22 else { return ParseFailure("no quoted request at the end", progress: 8) }
        var request = rest.dropFirst(1)
        if request.count > 0, request[request.count - 1] == 0x22 { request.count -= 1 }
        r.splitRequest(request)
        // Which value speaks for the cache: the last captured response header that is a known
        // cache word, else the server name.
        var classified = false
        if let response = lastCapture {
            var start = 0
            var i = 0
            while i <= response.count {
                if i == response.count || response[i] == 0x7C {
                    let value = response.dropFirst(start).prefix(i - start)
                    if !value.isEmpty, vocabulary.lookup(value) != nil {
                        r.classify(value, with: vocabulary)
                        classified = true
                    }
                    start = i + 1
                }
                i += 1
            }
        }
        if !classified {
            if server.equals("<CACHE>") || server.equals("<NOSRV>") {
                r.classify(server, with: vocabulary)
            } else {
                // Forwarded to a server while no captured header says more: the origin answered.
                r.cacheValue = server
                r.cacheClass = .miss
            }
        }
        r.normalise()
        return nil
    }
}

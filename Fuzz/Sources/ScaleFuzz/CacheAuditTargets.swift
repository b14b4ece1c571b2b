import CacheAudit
import ScaleCore

/// Response heads from saved curl output and HAR files, and the header grammars inside them.
extension FuzzTargets {
    static let cacheAudit: [FuzzTarget] = [
        FuzzTarget(name: "cache-headers", input: "one header value per line: Cache-Control, structured-field dictionaries, delta-seconds") { bytes in
            let lines = textLines(bytes)
            let cc = CacheControl.parse(lines)
            for directive in cc.directives { _ = DeltaSeconds.parse(directive.argument) }
            _ = StructuredDictionary.parse(lines)
            _ = CacheAudit.explain(cacheControl: lines.first ?? "", now: 1_700_000_000)
        },
        FuzzTarget(name: "http-date", input: "one date per line: HTTP dates (all three forms), --now text, HAR ISO 8601, RFC 3339") { bytes in
            for line in textLines(bytes) {
                if let date = HTTPDate.parse(line) { _ = HTTPDate.parse(date.imfFixdate) }
                _ = TimeText.parse(line)
                _ = TimeText.iso8601(line)
                _ = UTCTimestamp.seconds(rfc3339: Array(line.utf8))
            }
        },
        FuzzTarget(name: "raw-responses", input: "saved `curl -sD-` output; every response head found is audited") { bytes in
            guard let responses = try? RawResponses.parse(bytes) else { return }
            for response in responses.prefix(64) {
                _ = CacheAudit.audit(Exchange(url: "https://example.test/a.css", status: response.status,
                                              headers: response.headers, receivedAt: 1_700_000_000))
            }
        },
        FuzzTarget(name: "har", input: "a HAR file; every entry found is audited") { bytes in
            guard let entries = try? HAR.entries(bytes) else { return }
            for entry in entries.prefix(64) {
                _ = CacheAudit.audit(Exchange(url: entry.url, method: entry.method, requestHeaders: entry.requestHeaders,
                                              status: entry.status, headers: entry.headers,
                                              receivedAt: entry.receivedAt ?? 1_700_000_000, requestTime: entry.startedAt))
            }
        },
    ]
}

/// A response to one of the requests `--active` compares. The body is kept only as a digest
/// (FNV-1a 64 and length) and its first byte, so memory stays bounded however many URLs run.
public struct Probe: Sendable, Equatable {
    public var status: Int
    public var headers: [HeaderField]
    public var bodyDigest: UInt64
    public var bodyLength: Int
    public var firstByte: UInt8?

    public init(status: Int, headers: [HeaderField], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in body { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        bodyDigest = hash
        bodyLength = body.count
        firstByte = body.first
    }

    func sameBody(_ other: Probe) -> Bool { bodyDigest == other.bodyDigest && bodyLength == other.bodyLength }
}

/// The extra requests of `--active` and what their answers mean (catalogue checks marked active).
public enum ActiveChecks {
    public enum Kind: String, Sendable, CaseIterable {
        /// If-None-Match with the ETag (RFC 9110 §13.1.2).
        case ifNoneMatch = "if-none-match"
        /// If-Modified-Since with Last-Modified (§13.1.3).
        case ifModifiedSince = "if-modified-since"
        /// Accept-Encoding: gzip, against the identity response.
        case gzip
        /// The same GET again: validators must be stable.
        case again
        /// Range: bytes=0-0 when Accept-Ranges: bytes is offered.
        case range
    }

    /// The probes worth sending after `base` (a 200 to a GET), with their request headers.
    public static func plan(base: Probe) -> [(kind: Kind, headers: [HeaderField])] {
        guard base.status == 200 else { return [] }
        var out: [(Kind, [HeaderField])] = []
        if let etag = base.headers.values("etag").first { out.append((.ifNoneMatch, [HeaderField("If-None-Match", etag)])) }
        if let modified = base.headers.values("last-modified").first { out.append((.ifModifiedSince, [HeaderField("If-Modified-Since", modified)])) }
        out.append((.gzip, [HeaderField("Accept-Encoding", "gzip")]))
        out.append((.again, []))
        if base.headers.values("accept-ranges").contains(where: { $0.asciiLowercased.contains("bytes") }) {
            out.append((.range, [HeaderField("Range", "bytes=0-0")]))
        }
        return out
    }

    /// Fields a 304 must repeat when the 200 had them (RFC 9110 §15.4.5).
    static let notModifiedFields = ["cache-control", "content-location", "date", "etag", "expires", "vary"]
    /// Fields a 206 must repeat when the 200 had them (RFC 9110 §15.3.7).
    static let partialFields = ["date", "cache-control", "etag", "expires", "content-location", "vary"]

    /// Judges the answers. A probe that failed to fetch is a `String` saying why (CACHE058).
    public static func evaluate(base: Probe, probes: [(kind: Kind, result: Result<Probe, ProbeFailure>)]) -> [Finding] {
        var out: [Finding] = []
        let baseETag = base.headers.values("etag").first
        let baseModified = base.headers.values("last-modified").first
        for (kind, result) in probes {
            let probe: Probe
            switch result {
            case .failure(let failure):
                out.append(Finding(.validationInconclusive, "\(kind.rawValue): \(failure.message)"))
                continue
            case .success(let p): probe = p
            }
            switch kind {
            case .ifNoneMatch, .ifModifiedSince:
                let id: CheckID = kind == .ifNoneMatch ? .ifNoneMatchIgnored : .ifModifiedSinceIgnored
                if probe.status == 304 {
                    let missing = notModifiedFields.filter { base.headers.has($0) && !probe.headers.has($0) }
                    if !missing.isEmpty { out.append(Finding(.notModifiedLacksFields, "\(kind.rawValue) 304 lacks " + missing.joined(separator: ", "))) }
                } else if probe.status == 200 {
                    if probe.sameBody(base), sameValidators(base, probe) {
                        out.append(Finding(id, kind == .ifNoneMatch ? "If-None-Match: \(baseETag ?? "")" : "If-Modified-Since: \(baseModified ?? "")"))
                    } else {
                        out.append(Finding(.validationInconclusive, "\(kind.rawValue): the content changed between requests"))
                    }
                } else {
                    out.append(Finding(.validationInconclusive, "\(kind.rawValue): status \(probe.status)"))
                }
            case .gzip:
                guard probe.status == base.status else {
                    out.append(Finding(.varyInconsistent, "status \(base.status) without gzip, \(probe.status) with"))
                    continue
                }
                let encoding = probe.headers.values("content-encoding").joined(separator: ",").asciiLowercased.trimmingOWS
                let negotiated = !encoding.isEmpty && encoding != "identity"
                let baseVary = varySet(base.headers), probeVary = varySet(probe.headers)
                if negotiated, !probeVary.contains("accept-encoding"), !probeVary.contains("*") {
                    out.append(Finding(.negotiatedWithoutVary, "Content-Encoding: \(encoding), Vary: \(probe.headers.values("vary").joined(separator: ", "))"))
                }
                if negotiated, baseVary != probeVary {
                    out.append(Finding(.varyInconsistent, "Vary without gzip: \(baseVary.sorted().joined(separator: ", ")); with: \(probeVary.sorted().joined(separator: ", "))"))
                } else if base.headers.values("content-type").first != probe.headers.values("content-type").first {
                    out.append(Finding(.varyInconsistent, "Content-Type differs"))
                }
                if negotiated, let etag = baseETag, !etag.hasPrefix("W/"), probe.headers.values("etag").first == etag {
                    out.append(Finding(.strongETagReused, "gzip and identity both \(etag)"))
                }
            case .again:
                let etag2 = probe.headers.values("etag").first, modified2 = probe.headers.values("last-modified").first
                if probe.status != base.status {
                    out.append(Finding(.validationInconclusive, "second GET: status \(probe.status)"))
                } else if etag2 != baseETag || modified2 != baseModified {
                    if probe.sameBody(base) {
                        out.append(Finding(.unstableValidators, "ETag \(baseETag ?? "-") then \(etag2 ?? "-"); Last-Modified \(baseModified ?? "-") then \(modified2 ?? "-")"))
                    } else {
                        out.append(Finding(.validationInconclusive, "second GET: the content changed"))
                    }
                } else if !probe.sameBody(base), let etag = baseETag, !etag.hasPrefix("W/") {
                    out.append(Finding(.strongETagReused, "\(etag) for two different bodies"))
                }
            case .range:
                if probe.status == 200 {
                    out.append(Finding(.rangeIgnored, "Range: bytes=0-0 returned 200"))
                } else if probe.status == 206 {
                    if let first = base.firstByte, probe.bodyLength != 1 || probe.firstByte != first {
                        out.append(Finding(.rangeIgnored, "Range: bytes=0-0 returned \(probe.bodyLength) bytes, not the first byte"))
                    }
                    let missing = partialFields.filter { base.headers.has($0) && !probe.headers.has($0) }
                    if !missing.isEmpty { out.append(Finding(.partialLacksFields, "206 lacks " + missing.joined(separator: ", "))) }
                } else {
                    out.append(Finding(.validationInconclusive, "range: status \(probe.status)"))
                }
            }
        }
        return out
    }

    public struct ProbeFailure: Error, Sendable, Equatable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    static func sameValidators(_ a: Probe, _ b: Probe) -> Bool {
        a.headers.values("etag").first == b.headers.values("etag").first
            && a.headers.values("last-modified").first == b.headers.values("last-modified").first
    }

    static func varySet(_ headers: [HeaderField]) -> Set<String> {
        Set(headers.values("vary").flatMap { $0.split(separator: ",").map { String($0).trimmingOWS.asciiLowercased } }.filter { !$0.isEmpty })
    }
}

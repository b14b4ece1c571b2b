/// How many copies of each URL a cache had to keep, from the headers some formats log (`Vary`,
/// `Cookie`, `Set-Cookie` and the request headers a `Vary` names): per URL, the distinct
/// variants its requests asked for, and its MISS/PASS responses that carried `Set-Cookie`.
///
/// Bounded: at most `maxURLs` URLs (the first seen; later ones are counted in
/// `untrackedRequests`), each with at most `maxVariants` distinct variants kept as 64-bit hashes
/// (past that the URL is marked, and reported as having more). A URL with more than 64 copies
/// is fragmented whatever the exact number, and 10,000 URLs × (64 hashes, at most `maxURLBytes`
/// of URL and `maxVaryText` of Vary) stay under 12 MB a thread. Header values are kept only as
/// hashes: cookies are secrets and never leave here.
final class VariantTable: @unchecked Sendable {
    static let maxURLs = 10_000
    static let maxVariants = 64
    /// The longest `Vary` value kept for the report (header names only, never values).
    static let maxVaryText = 80
    /// The longest URL kept for the report (longer ones are told apart by their hash, shown cut).
    static let maxURLBytes = 512

    struct Entry {
        var url: [UInt8]
        /// The URL table's hash of `url`: the key of `index`.
        var hash: UInt64
        var requests: UInt64 = 0
        var served: UInt64 = 0
        var misses: UInt64 = 0
        var passes: UInt64 = 0
        var originBytes: UInt64 = 0
        var setCookieMissOrPass: UInt64 = 0
        /// Distinct variant hashes, at most `maxVariants`.
        var variants: [UInt64] = []
        var overflow = false
        /// The first `Vary` the URL's responses carried (as logged), empty when none was.
        var vary: [UInt8] = []
        /// Whether the variants are told apart by the request's Cookie header (no Vary logged).
        var byCookie = false
        /// `Vary` names a request header the log does not have.
        var unloggedVary = false

        var distinct: Int { variants.count }
    }

    private(set) var entries: [Entry] = []
    private var index: [UInt64: Int] = [:]
    /// Requests that carried any of the headers, and those of URLs past `maxURLs`.
    private(set) var requests: UInt64 = 0
    private(set) var untrackedRequests: UInt64 = 0
    /// The headers seen logged on any line (bit `HeaderField.rawValue`).
    private(set) var loggedHeaders: UInt8 = 0

    func logged(_ field: HeaderField) -> Bool { loggedHeaders & (1 << field.rawValue) != 0 }

    /// Adds one request of URL `url` (its hash `urlHash`, the URL table's) and class `c`.
    func add(urlHash: UInt64, url: ByteSlice, _ c: CacheClass, origin: UInt64, record r: UnsafePointer<LogRecord>) {
        requests &+= 1
        loggedHeaders |= r.pointee.headerBits
        let i: Int
        if let found = index[urlHash] {
            i = found
        } else {
            guard entries.count < Self.maxURLs else { untrackedRequests &+= 1; return }
            i = entries.count
            index[urlHash] = i
            entries.append(Entry(url: url.prefix(Self.maxURLBytes).bytes, hash: urlHash))
        }
        entries[i].requests &+= 1
        entries[i].originBytes &+= origin
        if c.isServedFromCache { entries[i].served &+= 1 } else if c == .miss { entries[i].misses &+= 1 } else if c == .pass { entries[i].passes &+= 1 }
        if (c == .miss || c == .pass), r.pointee.header(.setCookie) != nil { entries[i].setCookieMissOrPass &+= 1 }
        guard let variant = variant(r, entry: i) else { return }
        if entries[i].variants.contains(variant) { return }
        if entries[i].variants.count < Self.maxVariants { entries[i].variants.append(variant) } else { entries[i].overflow = true }
    }

    /// The hash of what tells this request's copy apart: the request headers its response's
    /// `Vary` names (those the log has), or, with no `Vary` logged, its Cookie header. A header
    /// logged as none (`-`) is a variant of its own (the request without it).
    private func variant(_ r: UnsafePointer<LogRecord>, entry i: Int) -> UInt64? {
        let bits = r.pointee.headerBits
        if let vary = r.pointee.header(.vary) {
            if entries[i].vary.isEmpty {
                entries[i].vary = vary.prefix(Self.maxVaryText).bytes
            }
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var keyed = false
            // Each comma-separated name: a request header the log has is part of the variant.
            var start = 0
            while start <= vary.count {
                var end = start
                while end < vary.count, vary[end] != 0x2C { end += 1 }
                var a = start, b = end
                while a < b, vary[a] == 0x20 || vary[a] == 0x09 { a += 1 }
                while b > a, vary[b - 1] == 0x20 || vary[b - 1] == 0x09 { b -= 1 }
                if b > a {
                    let name = vary.dropFirst(a).prefix(b - a)
                    if let field = HeaderField.requestField(named: name) {
                        if bits & (1 << field.rawValue) != 0 {
                            keyed = true
                            h = Self.mix(h, UInt64(field.rawValue))
                            if let value = r.pointee.header(field) { h = Self.fnv(value, h) }
                        } else {
                            entries[i].unloggedVary = true
                        }
                    } else if !(b - a == 1 && vary[a] == 0x2A) {
                        entries[i].unloggedVary = true
                    }
                }
                start = end + 1
            }
            return keyed ? h : nil
        }
        guard bits & (1 << HeaderField.cookie.rawValue) != 0 else { return nil }
        entries[i].byCookie = true
        return r.pointee.header(.cookie).map { Self.fnv($0, 0xcbf2_9ce4_8422_2325) } ?? 0
    }

    @inline(__always)
    private static func fnv(_ s: ByteSlice, _ seed: UInt64) -> UInt64 {
        var h = seed
        for k in 0..<s.count { h = (h ^ UInt64(s[k])) &* 0x100_0000_01b3 }
        return h
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ v: UInt64) -> UInt64 { (h ^ (v &+ 0x9e37_79b9_7f4a_7c15)) &* 0xbf58_476d_1ce4_e5b9 }

    /// Adds another thread's table: the same URL (by hash) adds its counts and its variants,
    /// still at most `maxVariants`; URLs past `maxURLs` count as untracked.
    func merge(_ other: VariantTable) {
        requests &+= other.requests
        untrackedRequests &+= other.untrackedRequests
        loggedHeaders |= other.loggedHeaders
        // In the other table's order (first seen first), not its index's: a Dictionary's order
        // is seeded per process, and which URLs fit under maxURLs must not vary from run to run.
        for e in other.entries {
            guard let i = index[e.hash] else {
                guard entries.count < Self.maxURLs else { untrackedRequests &+= e.requests; continue }
                index[e.hash] = entries.count
                entries.append(e)
                continue
            }
            entries[i].requests &+= e.requests
            entries[i].served &+= e.served
            entries[i].misses &+= e.misses
            entries[i].passes &+= e.passes
            entries[i].originBytes &+= e.originBytes
            entries[i].setCookieMissOrPass &+= e.setCookieMissOrPass
            entries[i].overflow = entries[i].overflow || e.overflow
            entries[i].byCookie = entries[i].byCookie || e.byCookie
            entries[i].unloggedVary = entries[i].unloggedVary || e.unloggedVary
            if entries[i].vary.isEmpty { entries[i].vary = e.vary }
            for v in e.variants where !entries[i].variants.contains(v) {
                if entries[i].variants.count < Self.maxVariants { entries[i].variants.append(v) } else { entries[i].overflow = true }
            }
        }
    }
}

extension HeaderField {
    /// The request header a `Vary` name or a logged request header's name is, if the log can
    /// carry it (case-insensitive).
    static func requestField(named name: ByteSlice) -> HeaderField? { field(named: name, request: true) }

    /// The response header (Vary, Set-Cookie) a logged response header's name is (case-insensitive).
    static func responseField(named name: ByteSlice) -> HeaderField? { field(named: name, request: false) }

    /// Each header's name in lower case, as bytes, and whether a request carries it.
    private static let lowerNames: [(field: HeaderField, name: [UInt8], request: Bool)] = allCases.map {
        ($0, Array($0.displayName.lowercased().utf8), $0.requestHeaderName != nil)
    }

    private static func field(named name: ByteSlice, request: Bool) -> HeaderField? {
        outer: for entry in lowerNames where entry.request == request && entry.name.count == name.count {
            for (k, b) in entry.name.enumerated() where ByteScan.lower(name[k]) != b { continue outer }
            return entry.field
        }
        return nil
    }
}

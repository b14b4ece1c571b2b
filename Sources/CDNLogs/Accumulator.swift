import Glibc

/// Adds parsed records to one thread's `LogStatistics`: filters, then the totals and every
/// breakdown. This is the per-line hot path after parsing: byte slices in, table updates out.
///
/// Records are counted in batches. The URL table is the one too big for the caches: the line
/// of each record's slot is asked for as the record is taken, while the next lines are parsed;
/// the flush asks for the entries and keys of the whole batch and counts everything else while
/// they arrive, so the lookups rarely wait for memory.
struct Accumulator {
    static let batchSize = 32

    /// What a record adds everywhere, worked out once.
    private struct Derived {
        var classIndex: Int
        var bytes: UInt64
        var origin: UInt64
        var unsafeMiss: Bool
        var expired: Bool
        var passCacheable: Bool
        var urlHash: UInt64
        var urlEntry: Int
    }

    let stats: LogStatistics
    private let urls: KeyTable, prefixes: KeyTable, exts: KeyTable, hosts: KeyTable
    private let pops: KeyTable, types: KeyTable, buckets: KeyTable, values: KeyTable
    private let depth: Int
    private let bucketSeconds: Int64
    private let since: Int64, until: Int64
    private let filtersTime: Bool
    private let hostFilter: [[UInt8]]
    private let prefixFilter: [[UInt8]]
    /// Lower-cased copies of short keys (hosts, extensions, content types).
    private let fold: UnsafeMutablePointer<UInt8>
    static let foldCapacity = 512
    private let pending: UnsafeMutablePointer<LogRecord>
    private let derived: UnsafeMutablePointer<Derived>
    private(set) var pendingCount = 0
    /// Latency bucket counts of hits, misses and passes, kept here and added by `finish()`.
    private let latency: UnsafeMutablePointer<UInt64>
    /// Status-class tallies, kept here (no array checks per line) and added to `stats` by `finish()`.
    private let statusTallies: UnsafeMutablePointer<Tally>
    /// The time bucket of the last record (its seconds, `start..<end`) and its entry:
    /// consecutive lines share a bucket, found again without a division or a lookup.
    private let lastBucket: UnsafeMutablePointer<(start: Int64, end: Int64, entry: Int)>
    /// Cache-status values are mostly a vendor's own words, which the parser's lookup already
    /// named by entry index (`LogRecord.valueEntry`): those are tallied here by that index, with
    /// the word as first seen, and added to the value table by `settleValues()`; only other
    /// values are counted by their bytes. The indices are those of `vocabularyName`'s table.
    private let valueTallies: UnsafeMutablePointer<Tally>
    private let valueWords: UnsafeMutablePointer<[UInt8]>
    private static let valueSlots = 64
    /// The headers that make a request count in `LogStatistics.variants`.
    private static let variantBits: UInt8 = 1 << HeaderField.vary.rawValue | 1 << HeaderField.cookie.rawValue | 1 << HeaderField.setCookie.rawValue
    private var vocabularyName = ""
    /// Whether the prefix and extension tables are filled from the URL table (`stopFolding()`)
    /// rather than line by line. Every URL maps to one prefix and one extension, so while no
    /// table can evict a key, a prefix's tally is the sum of its URLs' tallies: the URL's entry
    /// remembers both entries, and the sums are taken once, at the end or just before a table
    /// could fill. That spares two tally updates a line.
    private var foldsLinks: Bool

    init(stats: LogStatistics, options: AnalysisOptions) {
        self.stats = stats
        urls = stats.table(.url); prefixes = stats.table(.prefix); exts = stats.table(.ext); hosts = stats.table(.host)
        pops = stats.table(.pop); types = stats.table(.type); buckets = stats.table(.time); values = stats.table(.value)
        depth = max(1, options.depth)
        bucketSeconds = max(1, options.bucketSeconds)
        since = options.since ?? .min
        until = options.until ?? .max
        filtersTime = options.filtersTime
        hostFilter = options.hosts.map { Array($0.lowercased().utf8) }
        prefixFilter = options.pathPrefixes.map { Array($0.utf8) }
        fold = .allocate(capacity: Self.foldCapacity)
        pending = .allocate(capacity: Self.batchSize)
        pending.initialize(repeating: LogRecord(), count: Self.batchSize)
        derived = .allocate(capacity: Self.batchSize)
        latency = .allocate(capacity: 3 * LatencyHistogram.bucketCount)
        latency.initialize(repeating: 0, count: 3 * LatencyHistogram.bucketCount)
        statusTallies = .allocate(capacity: 6)
        statusTallies.initialize(repeating: Tally(), count: 6)
        lastBucket = .allocate(capacity: 1)
        lastBucket.initialize(to: (.max, .min, -1))
        valueTallies = .allocate(capacity: Self.valueSlots)
        valueTallies.initialize(repeating: Tally(), count: Self.valueSlots)
        valueWords = .allocate(capacity: Self.valueSlots)
        valueWords.initialize(repeating: [], count: Self.valueSlots)
        // Only over tables this accumulator filled from empty: folding adds every URL tally.
        foldsLinks = urls.count == 0 && prefixes.count == 0 && exts.count == 0
    }

    /// Before records parsed with `vocabulary`: entry indices of another table mean other words,
    /// so what was tallied by index goes to the value table first.
    mutating func use(_ vocabulary: CacheVocabulary) {
        guard vocabulary.name != vocabularyName else { return }
        flush()
        settleValues()
        vocabularyName = vocabulary.name
    }

    /// Adds the values tallied by entry index to the value table, under their words.
    private func settleValues() {
        for k in 0..<Self.valueSlots where valueTallies[k].totalRequests > 0 {
            valueWords[k].withUnsafeBufferPointer { w in
                let i = values.entry(w.baseAddress!, w.count, hash: values.hash(w.baseAddress!, w.count))
                values.values[i].merge(valueTallies[k])
                values.counted(i)
            }
            valueTallies[k] = Tally()
            valueWords[k] = []
        }
    }

    /// Adds what is kept here to the statistics (after the last flush).
    mutating func finish() {
        stopFolding()
        settleValues()
        for i in 0..<6 { stats.statusClasses[i].merge(statusTallies[i]) }
        statusTallies.update(repeating: Tally(), count: 6)
        let n = LatencyHistogram.bucketCount
        stats.hitLatency.add(counts: latency)
        stats.missLatency.add(counts: latency + n)
        stats.passLatency.add(counts: latency + 2 * n)
        latency.update(repeating: 0, count: 3 * n)
    }

    func release() {
        latency.deallocate()
        statusTallies.deallocate()
        fold.deallocate()
        pending.deinitialize(count: Self.batchSize)
        pending.deallocate()
        derived.deallocate()
        lastBucket.deallocate()
        valueTallies.deallocate()
        valueWords.deinitialize(count: Self.valueSlots)
        valueWords.deallocate()
    }

    /// Where the next record is parsed, in place (reset, ready).
    @inline(__always)
    func nextRecord() -> UnsafeMutablePointer<LogRecord> {
        let slot = pending + pendingCount
        slot.pointee.reset()
        return slot
    }

    /// Takes the record parsed into `nextRecord()` (filters first). Its views must stay valid
    /// until `flush()`.
    @inline(__always)
    mutating func commit() {
        let r = pending + pendingCount
        if filtersTime, r.pointee.time == LogRecord.noTime || r.pointee.time < since || r.pointee.time >= until { stats.filteredLines &+= 1; return }
        if !hostFilter.isEmpty, !matchesHost(r.pointee.host) { stats.filteredLines &+= 1; return }
        if !prefixFilter.isEmpty, !matchesPrefix(r.pointee.target) { stats.filteredLines &+= 1; return }
        let target = r.pointee.target
        let hash = urls.hash(target.base ?? UnsafePointer(fold), target.count)
        derived[pendingCount].urlHash = hash
        urls.prefetchSlot(hash: hash)
        pendingCount += 1
        if pendingCount == Self.batchSize { flush() }
    }

    /// Counts every record taken so far.
    mutating func flush() {
        let n = pendingCount
        guard n > 0 else { return }
        pendingCount = 0
        // This batch may add n keys to each table: fold while none of them can fill up.
        if foldsLinks, urls.count + n > urls.limit || prefixes.count + n > prefixes.limit || exts.count + n > exts.limit {
            stopFolding()
        }
        // Hints only: a key inserted or evicted before its lookup just wastes one.
        for k in 0..<n { derived[k].urlEntry = urls.prefetchEntry(hash: derived[k].urlHash, classIndex: pending[k].cacheClass.rawValue) }
        for k in 0..<n { urls.prefetchKey(entry: derived[k].urlEntry) }
        // Everything but the URL, while the URL table's lines arrive.
        for k in 0..<n { countExceptURL(k) }
        for k in 0..<n {
            let d = derived[k]
            let i = urls.entry(pending[k].target.base ?? UnsafePointer(fold), pending[k].target.count, hash: d.urlHash)
            urls.values[i].add(d.classIndex, bytes: d.bytes, origin: d.origin, unsafeMiss: d.unsafeMiss, expired: d.expired, passCacheable: d.passCacheable)
            urls.counted(i)
            if foldsLinks {
                if urls.link(i).x < 0 { urls.setLink(i, prefixAndExtension(k)) }
            } else {
                countPrefixAndExtension(k, urlEntry: i)
            }
        }
        stats.noteTotals()
    }

    /// Adds every URL's tally to its prefix's and its extension's, once; from then on each
    /// line adds to them (`countPrefixAndExtension`).
    private mutating func stopFolding() {
        guard foldsLinks else { return }
        foldsLinks = false
        for i in urls.indices {
            let link = urls.link(i)
            // Every URL counted while folding was linked as it was counted.
            precondition(link.x >= 0 && link.y >= 0, "a URL entry without its prefix and extension")
            let p = Int(link.x), e = Int(link.y)
            Tally.add(urls.values + i, to: prefixes.values + p)
            prefixes.counted(p)
            Tally.add(urls.values + i, to: exts.values + e)
            exts.counted(e)
        }
    }

    /// The entries of the prefix and the extension of record k's URL (inserted if new).
    @inline(__always)
    private func prefixAndExtension(_ k: Int) -> SIMD2<Int32> {
        let target = pending[k].target
        let t = target.base ?? UnsafePointer(fold)
        let prefixLength = Self.prefixLength(target, depth: depth)
        let p = prefixes.entry(t, prefixLength, hash: prefixes.hash(t, prefixLength))
        let ext = Self.extensionRange(target)
        let n = min(ext.count, 16)
        for j in 0..<n { fold[j] = ByteScan.lower(t[ext.start + j]) }
        let e = exts.entry(fold, n, hash: exts.hash(fold, n))
        return SIMD2(Int32(p), Int32(e))
    }

    /// The URL's prefix and extension entries: remembered in the URL's entry after the first
    /// lookup, while those tables are exact (a sketch may move a key to another entry). Only
    /// then are the prefix and the extension found in the URL.
    @inline(__always)
    private func countPrefixAndExtension(_ k: Int, urlEntry i: Int) {
        let d = derived[k]
        var link = urls.link(i)
        let exact = !prefixes.isSketch && !exts.isSketch
        if link.x < 0 || !exact {
            link = prefixAndExtension(k)
            urls.setLink(i, exact ? link : SIMD2(-1, -1))
            add(prefixes, Int(link.x), d)
            add(exts, Int(link.y), d)
            return
        }
        add(prefixes, Int(link.x), d)
        add(exts, Int(link.y), d)
    }

    @inline(__always)
    private func add(_ table: KeyTable, _ i: Int, _ d: Derived) {
        table.values[i].add(d.classIndex, bytes: d.bytes, origin: d.origin, unsafeMiss: d.unsafeMiss, expired: d.expired, passCacheable: d.passCacheable)
        table.counted(i)
    }

    @inline(__always)
    private func countExceptURL(_ k: Int) {
        // Through the pointer: a copy of the record would be a memcpy per line.
        let r = UnsafePointer(pending + k)
        let c = r.pointee.cacheClass
        let ci = c.rawValue
        let cacheableMethod = LogRecord.isCacheable(method: r.pointee.method)
        let unsafeMiss = c == .miss && !cacheableMethod
        let origin: UInt64
        if r.pointee.hasOriginBytes {
            origin = r.pointee.originBytes
            stats.originMeasuredRequests &+= 1
        } else {
            origin = (c == .miss || c == .pass) ? r.pointee.bytes : 0
        }
        let passCacheable = c == .pass && cacheableMethod && Self.heuristicallyCacheable(r.pointee.status)
            && Self.hasStaticExtension(r.pointee.target)
        let bytes = r.pointee.bytes
        let expired = r.pointee.expired
        let target = r.pointee.target
        derived[k] = Derived(classIndex: ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired,
                             passCacheable: passCacheable, urlHash: derived[k].urlHash, urlEntry: 0)

        stats.totals.add(ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired, passCacheable: passCacheable)
        let sc = r.pointee.status >= 100 && r.pointee.status < 600 ? r.pointee.status / 100 : 0
        statusTallies[sc].add(ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired, passCacheable: passCacheable)

        @inline(__always)
        func count(_ table: KeyTable, _ key: UnsafePointer<UInt8>, _ length: Int) {
            let i = table.entry(key, length, hash: table.hash(key, length))
            table.values[i].add(ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired, passCacheable: passCacheable)
            table.counted(i)
        }

        if r.pointee.host.count > 0 {
            var n = min(r.pointee.host.count, Self.foldCapacity)
            for j in 0..<n { fold[j] = ByteScan.lower(r.pointee.host[j]) }
            if fold[0] != 0x5B {
                var j = n - 1
                while j > 0, fold[j] != 0x3A { j -= 1 }
                if j > 0 { n = j }
            }
            count(hosts, fold, n)
        }
        if r.pointee.pop.count > 0 { count(pops, r.pointee.pop.base!, r.pointee.pop.count) }
        if r.pointee.contentType.count > 0 {
            var n = min(r.pointee.contentType.count, Self.foldCapacity)
            for j in 0..<n { fold[j] = ByteScan.lower(r.pointee.contentType[j]) }
            if let semicolon = memchr(fold, 0x3B, n) { n = UnsafeMutableRawPointer(semicolon) - UnsafeMutableRawPointer(fold) }
            while n > 0, fold[n - 1] == 0x20 { n -= 1 }
            count(types, fold, n)
        }
        if r.pointee.time != LogRecord.noTime {
            let time = r.pointee.time
            if time >= lastBucket.pointee.start, time < lastBucket.pointee.end, !buckets.isSketch {
                let i = lastBucket.pointee.entry
                buckets.values[i].add(ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired, passCacheable: passCacheable)
                buckets.counted(i)
            } else {
                var bucket = time >= 0 ? time / bucketSeconds : (time - bucketSeconds + 1) / bucketSeconds
                let i = withUnsafeBytes(of: &bucket) { b in
                    let key = b.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    return buckets.entry(key, 8, hash: buckets.hash(key, 8))
                }
                buckets.values[i].add(ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired, passCacheable: passCacheable)
                buckets.counted(i)
                // A bucket at the ends of Int64 is not kept: its bounds would not fit.
                let start = bucket.multipliedReportingOverflow(by: bucketSeconds)
                let end = start.partialValue.addingReportingOverflow(bucketSeconds)
                lastBucket.pointee = start.overflow || end.overflow ? (.max, .min, -1) : (start.partialValue, end.partialValue, i)
            }
            if r.pointee.time < stats.firstTime { stats.firstTime = r.pointee.time }
            if r.pointee.time > stats.lastTime { stats.lastTime = r.pointee.time }
        } else {
            stats.untimedRequests &+= 1
        }
        // Every raw cache-status value (`--by value`; the class breakdown's unknown ones).
        let value = r.pointee.cacheValue
        if value.count > 0 {
            let e = r.pointee.valueEntry
            if e >= 0, e < Self.valueSlots {
                if valueTallies[e].totalRequests == 0 { valueWords[e] = value.bytes }
                valueTallies[e].add(ci, bytes: bytes, origin: origin, unsafeMiss: unsafeMiss, expired: expired, passCacheable: passCacheable)
            } else {
                count(values, value.base!, min(value.count, 200))
            }
        }
        // Vary, Cookie, Set-Cookie: only formats that log them pay for this.
        if r.pointee.headerBits & Self.variantBits != 0 {
            stats.variants.add(urlHash: derived[k].urlHash, url: target, c, origin: origin, record: r)
        }
        let micros = r.pointee.durationMicros
        if micros != LogRecord.noDuration {
            let which = c.isServedFromCache ? 0 : c == .miss ? 1 : c == .pass ? 2 : -1
            if which >= 0 { latency[which * LatencyHistogram.bucketCount + LatencyHistogram.bucket(micros)] &+= 1 }
        }
    }

    private func matchesHost(_ host: ByteSlice) -> Bool {
        var n = host.count
        if let colon = host.lastIndex(of: 0x3A), host.count > 0, host[0] != 0x5B { n = colon }
        for wanted in hostFilter where wanted.count == n {
            var same = true
            for k in 0..<n where ByteScan.lower(host[k]) != wanted[k] { same = false; break }
            if same { return true }
        }
        return false
    }

    private func matchesPrefix(_ target: ByteSlice) -> Bool {
        for prefix in prefixFilter where prefix.count <= target.count {
            if prefix.isEmpty || memcmp(target.base!, prefix, prefix.count) == 0 { return true }
        }
        return false
    }

    /// `/a/b/c.css?x` at depth 1 is `/a/`, at depth 2 `/a/b/`; a path with fewer segments is
    /// its whole path (without the query).
    @inline(__always)
    static func prefixLength(_ target: ByteSlice, depth: Int) -> Int {
        guard let p = target.base else { return 0 }
        let n = target.count
        var slashes = 0
        var i = 0
        while i < n {
            let c = p[i]
            if c == 0x3F || c == 0x23 { return i }
            if c == 0x2F {
                slashes += 1
                if slashes == depth + 1 { return i + 1 }
            }
            i += 1
        }
        return n
    }

    /// Whether the path's extension is a static asset's (`StaticExtensions`).
    @inline(__always)
    static func hasStaticExtension(_ target: ByteSlice) -> Bool {
        let ext = extensionRange(target)
        return ext.count > 0 && StaticExtensions.contains(target.base! + ext.start, ext.count)
    }

    /// Where the extension of the path's last segment is (after its last dot, before the
    /// query): 1–10 letters or digits, else empty.
    @inline(__always)
    static func extensionRange(_ target: ByteSlice) -> (start: Int, count: Int) {
        guard let p = target.base else { return (0, 0) }
        var end = target.count
        if let q = findQuery(p, end) { end = q }
        var i = end - 1
        while i >= 0 {
            let c = p[i]
            if c == 0x2E {
                let n = end - i - 1
                return n >= 1 && n <= 10 ? (i + 1, n) : (0, 0)
            }
            if c == 0x2F { return (0, 0) }
            let alnum = ByteScan.isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A)
            if !alnum { return (0, 0) }
            i -= 1
        }
        return (0, 0)
    }

    /// Where `?` is (targets live in padded block buffers or in scratch with room after them,
    /// so the SWAR search may read a little past the end).
    @inline(__always)
    static func findQuery(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        findByte(0x3F, from: p, end: p + n).map { $0 - p }
    }

    /// Statuses a cache may store without explicit freshness (RFC 9110 §15.1).
    @inline(__always)
    static func heuristicallyCacheable(_ status: Int) -> Bool {
        switch status {
        case 200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501: return true
        default: return false
        }
    }
}

/// File extensions of static assets: a PASS on them usually means a cookie or a header broke
/// caching, and a high MISS share on large ones means TTLs or the cache size are too small.
public enum StaticExtensions {
    public static let all: [String] = [
        "css", "js", "mjs", "map", "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "bmp",
        "woff", "woff2", "ttf", "otf", "eot", "mp4", "webm", "m4s", "m4v", "m4a", "mp3", "ogg", "wav",
        "ts", "m3u8", "mpd", "pdf", "zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "dmg", "iso", "exe",
        "msi", "bin", "wasm", "apk", "deb", "rpm",
    ]
    /// Each extension's bytes as one integer (all are at most five letters): a check is one
    /// lower-cased word compared with these.
    private static let words: [UInt64] = all.map { ext in
        ext.utf8.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    static func contains(_ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        guard n <= 5 else { return false }
        var word: UInt64 = 0
        for k in 0..<n { word |= UInt64(ByteScan.lower(p[k])) << (8 * UInt64(k)) }
        return words.withUnsafeBufferPointer { $0.contains(word) }
    }

    public static func contains(_ ext: String) -> Bool { all.contains(ext.lowercased()) }
}

public import ScaleCore

/// Everything one analysis counts — the mergeable result. Worker threads each fill one; they
/// are merged at the end, and partial files (`--partial`) hold one too, so any split of the
/// input merges to the same counts a single pass gives (exactly, while every breakdown stays
/// under `maxKeys`).
public final class LogStatistics: @unchecked Sendable {
    public enum Dimension: String, CaseIterable, Sendable {
        case url, prefix, ext, host, pop, type, time
        /// Raw cache-status values, by name (a value's requests may span classes only when
        /// inputs of different formats share a word).
        case value
    }

    @exclusivity(unchecked) public internal(set) var depth: Int
    @exclusivity(unchecked) public internal(set) var bucketSeconds: Int64
    @exclusivity(unchecked) public internal(set) var maxKeys: Int

    @exclusivity(unchecked) public internal(set) var totals = Tally()
    /// By status class: index 0 for anything outside 1xx–5xx, then 1…5.
    @exclusivity(unchecked) public internal(set) var statusClasses = [Tally](repeating: Tally(), count: 6)
    let tables: [KeyTable]
    @exclusivity(unchecked) public internal(set) var hitLatency = LatencyHistogram()
    @exclusivity(unchecked) public internal(set) var missLatency = LatencyHistogram()
    @exclusivity(unchecked) public internal(set) var passLatency = LatencyHistogram()
    /// Per-URL variants from Vary/Cookie/Set-Cookie where the format logs them (`cdn why`).
    /// Not kept in partial files.
    let variants = VariantTable()

    /// Non-blank lines read, headers and comments included.
    @exclusivity(unchecked) public internal(set) var lines: UInt64 = 0
    @exclusivity(unchecked) public internal(set) var commentLines: UInt64 = 0
    @exclusivity(unchecked) public internal(set) var malformedLines: UInt64 = 0
    /// Requests left out by --since/--until/--host/--path-prefix.
    @exclusivity(unchecked) public internal(set) var filteredLines: UInt64 = 0
    /// Requests whose origin bytes the log gave (the rest are estimated).
    @exclusivity(unchecked) public internal(set) var originMeasuredRequests: UInt64 = 0
    @exclusivity(unchecked) public internal(set) var firstTime = Int64.max
    @exclusivity(unchecked) public internal(set) var lastTime = Int64.min
    /// Requests with no time (formats without one).
    @exclusivity(unchecked) public internal(set) var untimedRequests: UInt64 = 0
    /// Requests per format name.
    @exclusivity(unchecked) public internal(set) var formats: [String: UInt64] = [:]
    @exclusivity(unchecked) public internal(set) var malformedSamples: [MalformedLine] = []
    @exclusivity(unchecked) public internal(set) var filters = ""
    /// The inputs counted here (several after merges): what `cdn merge` checks for overlap.
    @exclusivity(unchecked) public internal(set) var inputs: [InputCoverage] = []
    /// A count passed `Int64.max` (a report cannot hold it): sticky, checked after each batch of
    /// at most `Accumulator.batchSize` lines of at most `LogRecord.maxBytes` each and on every
    /// merge, so the wrapping sums cannot wrap unnoticed.
    @exclusivity(unchecked) public internal(set) var countsPastLimit = false

    /// `hashKey` is the secret of the tables' hash; merging statistics of different keys
    /// costs a rehash of the other's keys, nothing else. No count or order depends on it.
    public init(depth: Int, bucketSeconds: Int64, maxKeys: Int, hashKey: HashKey = .random()) {
        self.depth = depth
        self.bucketSeconds = bucketSeconds
        self.maxKeys = maxKeys
        tables = Dimension.allCases.map {
            KeyTable(limit: $0 == .value ? min(maxKeys, 10_000) : maxKeys, hashKey: hashKey)
        }
    }

    convenience init(options: AnalysisOptions, hashKey: HashKey) {
        self.init(depth: options.depth, bucketSeconds: options.bucketSeconds, maxKeys: options.maxKeys, hashKey: hashKey)
        filters = options.filterDescription
    }

    func table(_ d: Dimension) -> KeyTable {
        switch d {
        case .url: return tables[0]
        case .prefix: return tables[1]
        case .ext: return tables[2]
        case .host: return tables[3]
        case .pop: return tables[4]
        case .type: return tables[5]
        case .time: return tables[6]
        case .value: return tables[7]
        }
    }

    public var requests: UInt64 { totals.totalRequests }

    /// Adds another result into this one (threads, partial files).
    /// `threads`: how many threads may share merging a big table (the caller's is one of them).
    public func merge(_ other: LogStatistics, threads: Int = 1) {
        countsPastLimit = countsPastLimit || other.countsPastLimit
            || lines.addingReportingOverflow(other.lines).overflow
            || totals.totalBytes.addingReportingOverflow(other.totals.totalBytes).overflow
            || totals.originBytes.addingReportingOverflow(other.totals.originBytes).overflow
        totals.merge(other.totals)
        for i in 0..<statusClasses.count { statusClasses[i].merge(other.statusClasses[i]) }
        for (mine, theirs) in zip(tables, other.tables) { mine.merge(theirs, threads: threads) }
        hitLatency.merge(other.hitLatency)
        missLatency.merge(other.missLatency)
        passLatency.merge(other.passLatency)
        variants.merge(other.variants)
        lines &+= other.lines
        commentLines &+= other.commentLines
        malformedLines &+= other.malformedLines
        filteredLines &+= other.filteredLines
        originMeasuredRequests &+= other.originMeasuredRequests
        firstTime = min(firstTime, other.firstTime)
        lastTime = max(lastTime, other.lastTime)
        untimedRequests &+= other.untimedRequests
        for (name, n) in other.formats { formats[name, default: 0] &+= n }
        malformedSamples += other.malformedSamples
        if filters.isEmpty { filters = other.filters }
        inputs += other.inputs
        noteTotals()
    }

    /// Notes when a total no longer fits a report's integers. Every other count is part of one
    /// of these (a key's bytes of the byte total, requests and malformed lines of the lines;
    /// partial files are checked for that on load), so checking them covers all.
    @inline(__always)
    func noteTotals() {
        let limit = UInt64(Int64.max)
        if lines > limit || totals.totalBytes > limit || totals.originBytes > limit { countsPastLimit = true }
    }

    /// Refuses statistics whose totals passed what a report can hold (2^63 bytes is 8 EiB: no
    /// real log).
    public func checkTotals(_ inputs: String) throws(ScaleError) {
        guard countsPastLimit else { return }
        throw ScaleError(.input, "the counts add up to more than 2^63 (8 EiB of bytes), more than any real log holds", at: inputs,
                         fix: "check that the byte fields are byte counts (\(Parameter.logFormat)), or split the input")
    }

    /// The format names seen, most requests first.
    public var formatNames: [String] {
        formats.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key)
    }
}

/// A line that did not parse, kept as an example for `--show-malformed`.
public struct MalformedLine: Sendable, Equatable {
    public var input: String
    /// 1-based line number in the (decompressed) input.
    public var line: UInt64
    public var reason: String
    /// The start of the line, at most 200 bytes, invalid UTF-8 replaced.
    public var excerpt: String
}

import Glibc

/// The ways a report can slice the requests (`--by`).
public enum Breakdown: String, CaseIterable, Sendable {
    /// Per cache class, then unknown values by name.
    case `class`
    /// 1xx–5xx.
    case status
    /// File extension of the path.
    case ext
    /// Content type of the response, where the format logs it.
    case type
    /// Path prefix, `--depth` segments deep.
    case prefix
    case host
    /// Edge location / POP / colo, where the format logs it.
    case pop
    /// Time buckets (`--bucket`).
    case time
    /// URLs by bytes fetched from the origin: the top misses.
    case url
    /// URLs by PASS/BYPASS requests.
    case uncacheable
    /// The raw cache-status values, each with its class (`MISS: EXPIRED`).
    case value

    public var summary: String {
        switch self {
        case .class: return "cache class (HIT, STALE, REVAL, MISS, PASS, ERROR, EDGE, NONE) and unknown values by name"
        case .status: return "status class (1xx to 5xx)"
        case .ext: return "file extension of the path"
        case .type: return "content type, where the format logs it"
        case .prefix: return "path prefix, --depth segments deep"
        case .host: return "host"
        case .pop: return "edge location (POP), where the format logs it"
        case .time: return "time bucket (--bucket)"
        case .url: return "URLs by bytes fetched from the origin (the top misses)"
        case .uncacheable: return "URLs by PASS/BYPASS requests (the top uncacheable)"
        case .value: return "raw cache-status values with their class (MISS: EXPIRED, HIT: HIT-CLUSTER, REVAL: RefreshHit)"
        }
    }
}

/// One row of a breakdown: a key and its tally. `error` is the Space-Saving bound on its
/// requests (0 while the breakdown is exact): the true count is between requests and
/// requests + error.
public struct BreakdownRow: Sendable, Equatable {
    public var breakdown: Breakdown
    public var key: String
    public var tally: Tally
    public var error: UInt64
    /// False for class rows when the log measured origin bytes: those are not kept per class.
    public var originKnown = true
}

/// How exact a breakdown is.
public struct BreakdownAccuracy: Sendable, Equatable {
    public var breakdown: Breakdown
    public var distinctKeys: Int
    public var isSketch: Bool
    /// The largest error of any row.
    public var maxError: UInt64
    /// Keys not kept had at most this many requests each.
    public var floor: UInt64
}

extension LogStatistics {
    func dimension(_ b: Breakdown) -> Dimension? {
        switch b {
        case .ext: return .ext
        case .type: return .type
        case .prefix: return .prefix
        case .host: return .host
        case .pop: return .pop
        case .time: return .time
        case .url, .uncacheable: return .url
        case .value: return .value
        case .class, .status: return nil
        }
    }

    /// The rows of one breakdown: classes and statuses in their natural order, time in time
    /// order, URLs by origin bytes or PASS requests, everything else by requests (ties by key).
    /// `top` limits every breakdown but class, status and time; `bucket` is the time bucket
    /// (a multiple of the one counted).
    public func rows(_ b: Breakdown, top: Int, bucket: Int64? = nil) -> [BreakdownRow] {
        switch b {
        case .class:
            // Origin bytes are kept per key, not per class: estimated ones are the MISS and PASS
            // bytes by definition; measured ones cannot be split.
            let estimated = originMeasuredRequests == 0
            var rows = CacheClass.allCases.filter { $0 != .unknown }.map { c in
                var t = totals.only(c)
                if estimated, c == .miss || c == .pass { t.originBytes = t.totalBytes }
                return BreakdownRow(breakdown: .class, key: c.name, tally: t, error: 0, originKnown: estimated)
            }
            rows += valueRows(.class).filter { $0.key.hasPrefix("UNKNOWN: ") }.map {
                var row = $0
                row.key = "unknown: " + row.key.dropFirst(9)
                return row
            }
            return rows
        case .value:
            return Array(valueRows(.value).prefix(max(0, top)))
        case .status:
            let names = ["other", "1xx", "2xx", "3xx", "4xx", "5xx"]
            return [1, 2, 3, 4, 5, 0].filter { statusClasses[$0].totalRequests > 0 }.map {
                BreakdownRow(breakdown: .status, key: names[$0], tally: statusClasses[$0], error: 0)
            }
        case .time:
            let size = max(bucketSeconds, (bucket ?? bucketSeconds) / bucketSeconds * bucketSeconds)
            let t = table(.time)
            var merged: [Int64: (Tally, UInt64)] = [:]
            for i in t.indices {
                let bytes = t.key(at: i)
                guard bytes.count == 8 else { continue }
                let index = bytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
                let start = index * bucketSeconds
                let key = start >= 0 ? start / size * size : (start - size + 1) / size * size
                var entry = merged[key] ?? (Tally(), 0)
                entry.0.merge(t.values[i])
                entry.1 += t.errors[i]
                merged[key] = entry
            }
            return merged.keys.sorted().map { BreakdownRow(breakdown: .time, key: Timestamps.iso($0), tally: merged[$0]!.0, error: merged[$0]!.1) }
        default:
            let t = table(dimension(b)!)
            func counted(_ i: Int) -> Bool { b != .uncacheable || t.values[i].requests(.pass) > 0 }
            func measure(_ i: Int) -> (UInt64, UInt64) {
                let v = t.values[i]
                switch b {
                case .url: return (v.originBytes, v.requests(.miss))
                case .uncacheable: return (v.requests(.pass), v.bytes(.pass))
                default: return (v.totalRequests, v.totalBytes)
                }
            }
            // Most first, then by key bytes: a total order (keys are distinct), so the top rows
            // are the same however they are found. Keys compare in place (no copies: ties are
            // common, a URL table has 100k+ keys).
            func before(_ a: ((UInt64, UInt64), Int), _ b: ((UInt64, UInt64), Int)) -> Bool {
                if a.0 != b.0 { return a.0 > b.0 }
                let x = t.keySlice(at: a.1), y = t.keySlice(at: b.1)
                let n = min(x.count, y.count)
                let c = n > 0 ? memcmp(x.base!, y.base!, n) : 0
                return c != 0 ? c < 0 : x.count < y.count
            }
            let wanted = max(0, top)
            var best: [((UInt64, UInt64), Int)]
            if wanted == 0 {
                best = []
            } else if wanted * 8 >= t.count {
                best = Array(t.indices.filter(counted).map { (measure($0), $0) }.sorted(by: before).prefix(wanted))
            } else {
                // Only the top rows are needed: keep them sorted, and let a row in only when it
                // goes before the last of them (one pass over the table, no array of every key).
                best = []
                best.reserveCapacity(wanted + 1)
                for i in t.indices where counted(i) {
                    let row = (measure(i), i)
                    guard best.count < wanted || before(row, best[best.count - 1]) else { continue }
                    var low = 0, high = best.count
                    while low < high {
                        let mid = (low + high) / 2
                        if before(best[mid], row) { low = mid + 1 } else { high = mid }
                    }
                    best.insert(row, at: low)
                    if best.count > wanted { best.removeLast() }
                }
            }
            return best.map { (_, i) in
                var key = t.keySlice(at: i).string
                if key.isEmpty { key = b == .ext ? "(none)" : "(empty)" }
                return BreakdownRow(breakdown: b, key: key, tally: t.values[i], error: t.errors[i])
            }
        }
    }

    public func accuracy(_ b: Breakdown) -> BreakdownAccuracy? {
        guard let d = dimension(b) else { return nil }
        let t = table(d)
        return BreakdownAccuracy(breakdown: b, distinctKeys: t.count, isSketch: t.isEstimate, maxError: t.maxError, floor: t.floor)
    }

    /// Distinct URLs seen (a lower bound once the URL table is a sketch).
    public var distinctURLs: Int { table(.url).count }

    /// Unknown cache-status values by name, most requests first.
    public var unknownValues: [(name: String, requests: UInt64)] {
        let t = table(.value)
        return t.indices.filter { t.values[$0].requests(.unknown) > 0 }.map { (t.keySlice(at: $0).string, t.values[$0].requests(.unknown)) }
            .sorted { ($0.requests, $1.name) > ($1.requests, $0.name) }
    }

    /// One row per value and class (`MISS: EXPIRED`), most requests first. A value counted in
    /// one class keeps its whole tally; one split across classes (two formats' words) gets a
    /// row per class, without origin bytes, which are not kept per class.
    private func valueRows(_ b: Breakdown) -> [BreakdownRow] {
        let t = table(.value)
        var rows: [BreakdownRow] = []
        for i in t.indices {
            let tally = t.values[i]
            let classes = CacheClass.allCases.filter { tally.requests($0) > 0 }
            let name = t.keySlice(at: i).string
            for c in classes {
                rows.append(BreakdownRow(breakdown: b, key: c.name + ": " + name, tally: classes.count == 1 ? tally : tally.only(c),
                                         error: t.errors[i], originKnown: classes.count == 1))
            }
        }
        return rows.sorted { ($0.tally.totalRequests, $1.key) > ($1.tally.totalRequests, $0.key) }
    }
}

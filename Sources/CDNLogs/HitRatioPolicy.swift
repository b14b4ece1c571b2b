public import ScaleCore

/// When a cdn report is OK, WARNING, CRITICAL or UNKNOWN, and why: the limits on the hit ratio
/// (or byte hit ratio), a log with no known cache status, and malformed lines. The reasons are
/// notes for the reader; they name parameters, which the CLI writes as its flags.
public struct HitRatioPolicy: Sendable {
    public var warning: Double?
    public var critical: Double?
    /// Judge the byte hit ratio instead of the request hit ratio.
    public var onBytes: Bool
    /// The share of malformed lines above which the figures rest on too little of the input.
    public var maxMalformed: Double

    public init(warning: Double? = nil, critical: Double? = nil, onBytes: Bool = false, maxMalformed: Double = 0.1) {
        self.warning = warning
        self.critical = critical
        self.onBytes = onBytes
        self.maxMalformed = maxMalformed
    }

    /// The state `value` earns against the limits alone: CRITICAL below `critical`, WARNING
    /// below `warning`, else OK.
    public func level(of value: Double) -> ExitCode {
        if let critical, value < critical { return .critical }
        if let warning, value < warning { return .warning }
        return .ok
    }

    public func judge(_ s: LogStatistics, ratio: RatioDefinition) -> (status: ExitCode, reasons: [String]) {
        var status = ExitCode.ok
        var reasons: [String] = []
        if warning != nil || critical != nil {
            if let value = onBytes ? ratio.byteHitRatio(s.totals) : ratio.hitRatio(s.totals) {
                status = level(of: value)
            } else {
                status = .unknown
                reasons.append("no requests to measure the \(onBytes ? "byte hit ratio" : "hit ratio") on: status UNKNOWN")
            }
        }
        // Requests but no known cache status (no such field, or only NONE/UNKNOWN values): the
        // ratios were not measured, whatever the limits.
        let unclassified = s.totals.requests(.none) + s.totals.requests(.unknown)
        if s.requests > 0, unclassified == s.requests {
            status = status.worse(.unknown)
            reasons.append("no request had a known cache status (\(s.totals.requests(.none)) NONE, \(s.totals.requests(.unknown)) UNKNOWN): "
                           + "the hit ratio and origin offload are unknown, status UNKNOWN; check the cache-status field "
                           + "(\(Parameter.logFormat), \(Parameter.nginxLogFormat))")
        }
        let (malformedStatus, malformedReason) = malformed(s)
        if let malformedReason { reasons.append(malformedReason) }
        return (status.worse(malformedStatus), reasons)
    }

    /// Unreadable lines are a finding of their own: none readable is UNKNOWN (nothing was
    /// measured), a share above `maxMalformed` is WARNING (the figures rest on part of the input).
    public func malformed(_ s: LogStatistics) -> (ExitCode, String?) {
        let readable = s.lines - s.commentLines
        guard s.malformedLines > 0, readable > 0 else { return (.ok, nil) }
        if s.malformedLines == readable {
            return (.unknown, "every line (\(readable)) was malformed: nothing was measured, status UNKNOWN; "
                    + "check the format (\(Parameter.logFormat), \(Parameter.showMalformed) 5)")
        }
        let share = Double(s.malformedLines) / Double(readable)
        guard share > maxMalformed else { return (.ok, nil) }
        return (.warning, "\(Format.percent(share, places: 1)) of the lines were malformed, more than \(Parameter.maxMalformed) "
                + "\(Format.percent(maxMalformed, places: 1)): status WARNING")
    }
}

extension LogStatistics {
    /// The bucket sizes `--by time` chooses from, and how many buckets the span may fill (`cdn sql`
    /// writes the same choice).
    public static let autoBucketSizes: [Int64] = [60, 300, 900, 3600, 21_600, 86_400, 604_800]
    public static let autoBucketsBelow: Int64 = 48

    /// The smallest of 1m, 5m, 15m, 1h, 6h, 1d, 7d giving at most 48 buckets over the time
    /// span (and a multiple of the bucket counted).
    public var autoBucketSeconds: Int64 {
        let span = firstTime <= lastTime ? lastTime - firstTime + 1 : 0
        for size in Self.autoBucketSizes where size % bucketSeconds == 0 && span / size < Self.autoBucketsBelow {
            return size
        }
        return max(604_800 / bucketSeconds, 1) * bucketSeconds
    }

    /// Where the origin bytes come from: the log, MISS and PASS response sizes, or both.
    public var originSource: String {
        if requests == 0 { return "-" }
        if originMeasuredRequests == 0 { return "estimated from MISS and PASS responses" }
        if originMeasuredRequests >= requests { return "measured" }
        return "measured for \(originMeasuredRequests) of \(requests) requests, estimated for the rest"
    }
}

import CDNLogs
import ScaleCore
import Testing

/// When a cdn report is OK, WARNING, CRITICAL or UNKNOWN, on logs whose ratios are counted by hand.
@Suite struct HitRatioPolicyTests {
    static func statistics(_ rows: [(String, Int)]) throws -> LogStatistics {
        try analyze(StatisticsTests.log(rows.map { ($0.0, "GET", $0.1) }), { $0.format = .nginx }).statistics
    }

    /// 3 HIT and 1 MISS: a hit ratio of 75% by the cache definition; bytes 300 of 1300, 23%.
    @Test("limits on the hit ratio or the byte hit ratio: below critical is CRITICAL, below warning WARNING")
    func limits() throws {
        let s = try Self.statistics([("HIT", 100), ("HIT", 100), ("HIT", 100), ("MISS", 1000)])
        #expect(HitRatioPolicy(warning: 0.8).judge(s, ratio: .cache).status == .warning)
        #expect(HitRatioPolicy(warning: 0.8, critical: 0.75).judge(s, ratio: .cache).status == .warning) // 75% is not below 75%
        #expect(HitRatioPolicy(warning: 0.9, critical: 0.76).judge(s, ratio: .cache).status == .critical)
        #expect(HitRatioPolicy(warning: 0.7).judge(s, ratio: .cache).status == .ok)
        #expect(HitRatioPolicy(warning: 0.7, onBytes: true).judge(s, ratio: .cache).status == .warning)
    }

    @Test("no request with a known cache status is UNKNOWN whatever the limits, with a reason naming the format parameters")
    func noKnownStatus() throws {
        let s = try Self.statistics([("-", 100), ("-", 100)])
        let (status, reasons) = HitRatioPolicy().judge(s, ratio: .cache)
        #expect(status == .unknown)
        #expect(reasons.count == 1 && Parameter.resolve(reasons[0]) { "--\($0.name)" }.hasSuffix("(--log-format, --nginx-log-format)"))
    }

    @Test("the bucket a time breakdown uses by default: the smallest standard size giving at most 48 buckets")
    func autoBucket() throws {
        // One minute of requests: 1m buckets.
        #expect(try Self.statistics([("HIT", 1), ("MISS", 1)]).autoBucketSeconds == 60)
    }
}

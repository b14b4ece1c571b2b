import HealthProbe
import ScaleCore
import Testing

@Suite("Pool policy and latency percentiles")
struct PoolAndLatencyTests {
    static func verdicts(up: Int, down: Int) -> [ProbeVerdict] {
        Array(repeating: ProbeVerdict(up: true, status: .ok), count: up)
            + Array(repeating: ProbeVerdict(up: false, status: .critical, reason: "refused"), count: down)
    }

    @Test("without --min-up one target down is CRITICAL; with it, WARNING while enough are up")
    func minUp() {
        #expect(PoolPolicy().assess(Self.verdicts(up: 9, down: 1)).status == .critical)
        #expect(PoolPolicy(minUp: 8).assess(Self.verdicts(up: 9, down: 1)).status == .warning)
        #expect(PoolPolicy(minUp: 8).assess(Self.verdicts(up: 8, down: 2)).status == .warning)
        let short = PoolPolicy(minUp: 8).assess(Self.verdicts(up: 7, down: 3))
        #expect(short.status == .critical)
        #expect(short.statuses == Array(repeating: .ok, count: 7) + Array(repeating: .critical, count: 3))
        #expect(PoolPolicy().assess(Self.verdicts(up: 3, down: 0)).status == .ok)
    }

    @Test("a pool failure is MORE than the threshold failing together, and needs two targets",
          arguments: [(5, 5, false), (4, 6, true), (0, 1, false), (0, 2, true), (1, 1, false), (7, 3, false)])
    func poolFailure(up: Int, down: Int, expected: Bool) {
        #expect(PoolPolicy().assess(Self.verdicts(up: up, down: down)).poolFailure == expected)
    }

    @Test("a lower threshold reports earlier")
    func threshold() {
        #expect(PoolPolicy(poolFailThreshold: 0.25).isPoolFailure(down: 3, targets: 10))
        #expect(!PoolPolicy(poolFailThreshold: 0.25).isPoolFailure(down: 2, targets: 10))
    }

    /// Wikipedia, "Percentile", nearest-rank method: worked examples.
    @Test("nearest-rank percentiles match the worked examples")
    func nearestRank() {
        let first = [15.0, 20, 35, 40, 50]
        #expect(LatencySummary.percentile(5, ofSorted: first) == 15)
        #expect(LatencySummary.percentile(30, ofSorted: first) == 20)
        #expect(LatencySummary.percentile(40, ofSorted: first) == 20)
        #expect(LatencySummary.percentile(50, ofSorted: first) == 35)
        #expect(LatencySummary.percentile(100, ofSorted: first) == 50)
        let second = [3.0, 6, 7, 8, 8, 10, 13, 15, 16, 20]
        #expect(LatencySummary.percentile(25, ofSorted: second) == 7)
        #expect(LatencySummary.percentile(50, ofSorted: second) == 8)
        #expect(LatencySummary.percentile(75, ofSorted: second) == 15)
        #expect(LatencySummary.percentile(100, ofSorted: second) == 20)
    }

    @Test("a summary sorts its input; p99 of 100 samples is the 99th; nothing gives nils")
    func summary() {
        let samples = (1...100).reversed().map { Double($0) / 1000 }
        let summary = LatencySummary(samples)
        #expect(summary == LatencySummary(samples.shuffled()))
        #expect(summary.p50 == 0.05 && summary.p90 == 0.09 && summary.p99 == 0.099 && summary.max == 0.1)
        #expect(LatencySummary([]) == LatencySummary([.nan]))
        #expect(LatencySummary([]).p50 == nil && LatencySummary([]).count == 0)
    }
}

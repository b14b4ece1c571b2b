import Testing
import ScaleCore
import QueueBacklog

@Suite struct BacklogPolicyTests {
    static func analysed(_ depths: [Double], role: QueueRole, policy: BacklogPolicy = BacklogPolicy(), window: Double? = nil) -> ExitCode {
        let samples = depths.enumerated().map { BacklogSample(time: Double($0.offset) * 10, depth: $0.element) }
        let analysis = BacklogAnalyzer.analyse(samples, window: window)!
        return policy.check(analysis, role: role, samples: samples, window: window)
    }

    @Test("a dead-letter queue that grows at all is a WARNING; a work queue growing as much is not")
    func deadLetterGrowth() {
        #expect(Self.analysed([3, 3, 4], role: .dlq) == .warning)
        #expect(Self.analysed([3, 3, 4], role: .queue) == .ok)
        // Steady or shrinking: nothing new failed.
        #expect(Self.analysed([4, 4, 4], role: .dlq) == .ok)
        #expect(Self.analysed([5, 4, 3], role: .dlq) == .ok)
        // Growth before the window does not count.
        #expect(Self.analysed([1, 4, 4, 4], role: .dlq, window: 15) == .ok)
    }

    @Test("limits: above --critical is CRITICAL over any WARNING; the limit itself is fine (Nagios)")
    func limits() throws {
        let policy = BacklogPolicy(warning: try BacklogThresholds().merging("depth=100"), critical: try BacklogThresholds().merging("depth=1000"))
        #expect(Self.analysed([100, 100], role: .queue, policy: policy) == .ok)
        #expect(Self.analysed([101, 101], role: .queue, policy: policy) == .warning)
        #expect(Self.analysed([1001, 1001], role: .dlq, policy: policy) == .critical)
    }

    static func partition(_ rows: [(Int64, Int64)]) throws -> OffsetAnalysis {
        try #require(OffsetEvaluator.evaluate(rows.enumerated().map { OffsetSample(time: Double($0.offset) * 60, committed: $0.element.0, logEnd: $0.element.1) }))
    }

    @Test("a Kafka partition: Burrow's WARN is a WARNING, STALL and REWIND CRITICAL; a lag limit can only make it worse")
    func kafkaPartition() throws {
        // The series of OffsetEvaluatorTests, one per Burrow status.
        let ok = try Self.partition([(100, 200), (160, 230)])            // lag 100 → 70, draining in 140 s
        let warn = try Self.partition([(100, 150), (110, 170), (120, 190)]) // lag 50, 60, 70
        let stall = try Self.partition([(100, 150), (100, 160), (100, 170)])
        let rewind = try Self.partition([(100, 150), (90, 160), (95, 170)])
        #expect([ok.status, warn.status, stall.status, rewind.status] == [.ok, .warn, .stall, .rewind])
        let none = BacklogPolicy()
        #expect(none.check(ok, drainSeconds: 140) == .ok)
        #expect(none.check(warn, drainSeconds: .infinity) == .warning)
        #expect(none.check(stall, drainSeconds: .infinity) == .critical)
        #expect(none.check(rewind, drainSeconds: nil) == .critical)
        // Lag 70 over a depth limit of 50; drain 140 s over a drain limit of 2m.
        #expect(BacklogPolicy(warning: try BacklogThresholds().merging("depth=50")).check(ok, drainSeconds: 140) == .warning)
        #expect(BacklogPolicy(critical: try BacklogThresholds().merging("drain=2m")).check(ok, drainSeconds: 140) == .critical)
        #expect(BacklogPolicy(warning: try BacklogThresholds().merging("depth=50")).check(stall, drainSeconds: nil) == .critical)
    }
}

import Testing
import ScaleCore
import QueueBacklog

@Suite struct KafkaLagAssessmentTests {
    static func snapshot(_ time: Double?, _ rows: [(String, Int, Int64, Int64)]) -> KafkaGroupsTable.Snapshot {
        KafkaGroupsTable.Snapshot(time: time, rows: rows.map {
            KafkaGroupsTable.Row(group: "g", topic: $0.0, partition: $0.1, currentOffset: $0.2, logEndOffset: $0.3)
        })
    }

    /// Undated snapshots 60 s apart: orders-0 consumes 100 → 160 (1/s) while 200 → 230 arrive
    /// (0.5/s), lag 70 drains in 140 s; orders-1's consumer did not move (STALL, CRITICAL).
    @Test("undated snapshots spaced by the interval: per-partition verdicts, the worst, and the total lag")
    func undatedSeries() throws {
        let snapshots = [Self.snapshot(nil, [("orders", 0, 100, 200), ("orders", 1, 50, 60)]),
                         Self.snapshot(nil, [("orders", 0, 160, 230), ("orders", 1, 50, 90)])]
        let lag = try KafkaLagAssessment.assess(snapshots, interval: 60, window: nil, policy: BacklogPolicy(), source: "t")
        #expect(lag.partitions.map(\.partition) == [0, 1])
        #expect(lag.partitions[0].analysis.status == .ok && lag.partitions[0].drainSeconds == 140 && lag.partitions[0].latestTime == 60)
        #expect(lag.partitions[0].drainsAt == 200)
        #expect(lag.partitions[1].analysis.status == .stall && lag.partitions[1].check == .critical)
        #expect(lag.partitions[1].drainSeconds == .infinity && lag.partitions[1].drainsAt == nil)
        #expect(lag.totalLag == 70 + 40 && lag.worst == .critical && !lag.dated && lag.snapshotCount == 2)
    }

    @Test("an undated second snapshot without an interval names the interval; lags past 2^63 are refused")
    func refusals() {
        let undated = [Self.snapshot(nil, [("t", 0, 1, 2)]), Self.snapshot(nil, [("t", 0, 2, 3)])]
        #expect {
            try KafkaLagAssessment.assess(undated, interval: nil, window: nil, policy: BacklogPolicy(), source: "t")
        } throws: { ($0 as? ScaleError)?.parameter == Parameter("interval") }
        let huge = [Self.snapshot(0, [("t", 0, 0, Int64.max), ("t", 1, 0, Int64.max)])]
        #expect(throws: ScaleError.self) { try KafkaLagAssessment.assess(huge, interval: nil, window: nil, policy: BacklogPolicy(), source: "t") }
    }

    /// kafka-consumer-groups.sh tables carry no commit times: STOP cannot be judged, and the
    /// assessment says so for the report's note.
    @Test func tablesCarryNoCommitTimes() throws {
        let snapshot = KafkaGroupsTable.Snapshot(time: 0, rows: [KafkaGroupsTable.Row(group: "g", topic: "t", partition: 0, currentOffset: 5, logEndOffset: 9)])
        let lag = try KafkaLagAssessment.assess([snapshot], interval: nil, window: nil, policy: BacklogPolicy(), source: "t")
        #expect(!lag.commitTimesKnown)
    }

    /// A group that never committed on a partition (`-` in kafka-consumer-groups.sh) has no lag
    /// to compare: with a lag limit set the partition is UNKNOWN, not OK, and the total is null
    /// rather than the sum of the partitions that are known.
    @Test("an uncommitted partition under a lag limit is UNKNOWN and the total lag is null")
    func uncommittedPartition() throws {
        let rows = [KafkaGroupsTable.Row(group: "g", topic: "t", partition: 0, currentOffset: nil, logEndOffset: 900),
                    KafkaGroupsTable.Row(group: "g", topic: "t", partition: 1, currentOffset: 5, logEndOffset: 9)]
        let snapshot = KafkaGroupsTable.Snapshot(time: 0, rows: rows)
        let limited = BacklogPolicy(critical: BacklogThresholds(depth: 100))
        let lag = try KafkaLagAssessment.assess([snapshot], interval: nil, window: nil, policy: limited, source: "t")
        #expect(lag.partitions.map(\.check) == [.unknown, .ok])
        #expect(lag.totalLag == nil && lag.uncommittedPartitions == 1 && lag.worst == .unknown)
        let unlimited = try KafkaLagAssessment.assess([snapshot], interval: nil, window: nil, policy: BacklogPolicy(), source: "t")
        #expect(unlimited.partitions.map(\.check) == [.ok, .ok])
        // A drain limit rests on the lag too: unknown lag, UNKNOWN check.
        let drain = BacklogPolicy(critical: BacklogThresholds(drainSeconds: 600))
        let drained = try KafkaLagAssessment.assess([snapshot], interval: nil, window: nil, policy: drain, source: "t")
        #expect(drained.partitions.first?.check == .unknown)
    }
}

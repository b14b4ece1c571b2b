import QueueBacklog
import ScaleCore

/// The report of `backlog kafka-lag`: a row per consumer group partition, Burrow's verdict
/// and the thresholds' check beside the offsets and rates.
enum KafkaLagReport {
    typealias Row = KafkaPartitionLag

    /// `emptyAt` adds when each partition is drained: only for dated snapshots, and never in
    /// prometheus, where a changing timestamp would be a new series every scrape.
    static func columns(emptyAt: Bool) -> [Column<Row>] {
        var columns: [Column<Row>] = [
            Column("group", .text, \.group),
            Column("topic", .text, \.topic),
            Column("partition", .integer, \.partition),
            Column("status", .status, help: "Burrow's verdict: OK, WARN, STALL, STOP or REWIND", \.analysis.status.rawValue),
            Column("check", .status, help: "OK, WARNING or CRITICAL from the status and the thresholds", \.check.description),
            Column("committed_offset", .integer, title: "COMMITTED", \.analysis.committed),
            Column("log_end_offset", .integer, title: "LOG END", \.analysis.logEnd),
            Column("lag", .integer, \.analysis.lag),
            Column("consume_per_second", .number(places: 2), title: "CONSUME/S", \.analysis.consumeRate),
            Column("produce_per_second", .number(places: 2), title: "PRODUCE/S", \.analysis.produceRate),
            Column("drain_seconds", .duration, title: "DRAIN", help: "lag / (consume - produce); +Inf when not gaining", \.drainSeconds),
        ]
        if emptyAt {
            columns.append(Column("drains_at", .text, title: "EMPTY AT") { row in row.drainsAt.flatMap(Timestamp.format) })
        }
        return columns + [
            Column("snapshots", .integer, \.analysis.sampleCount),
            Column("window_seconds", .duration, title: "WINDOW", \.analysis.windowSeconds),
        ]
    }

    static func notes(_ lag: KafkaLagAssessment) -> [String] {
        var notes: [String] = []
        if lag.snapshotCount < 2 {
            notes.append("one snapshot: no rates; pipe several (with timestamp lines or --interval) for rates and Burrow's rules")
        }
        if !lag.commitTimesKnown {
            notes.append("STOP not judged: kafka-consumer-groups.sh tables carry no commit times, and Burrow's STOP compares the time "
                         + "since the last commit with the window's span; a stopped consumer with lag shows as STALL instead")
        }
        if lag.uncommittedPartitions > 0 {
            notes.append("\(lag.uncommittedPartitions) partition(s) have no committed offset: their lag is unknown, so total_lag is null "
                         + "and a lag limit is UNKNOWN for them")
        }
        return notes
    }

    static let summaryColumns: [Column<KafkaLagAssessment>] = [
        Column("partitions", .integer, \.partitions.count),
        Column("total_lag", .integer, \.totalLag),
        Column("check", .status, \.worst.description),
    ]
}

import QueueBacklog
import ScaleCore

/// The report of `backlog kafka-lag`: a row per consumer group partition, Burrow's verdict
/// and the thresholds' check beside the offsets and rates.
enum KafkaLagReport {
    /// One partition of one consumer group, judged.
    struct Row {
        var group: String
        var topic: String
        var partition: Int
        var analysis: OffsetAnalysis
        var check: ExitCode
        /// lag / (consume - produce), +Inf when not gaining; nil from one snapshot.
        var drainSeconds: Double?
        /// The time of the partition's latest snapshot.
        var latest: Double
    }

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
            columns.append(Column("drains_at", .text, title: "EMPTY AT") { row in row.drainSeconds.flatMap { Timestamp.format(row.latest + $0) } })
        }
        return columns + [
            Column("snapshots", .integer, \.analysis.sampleCount),
            Column("window_seconds", .duration, title: "WINDOW", \.analysis.windowSeconds),
        ]
    }

    struct Summary {
        var partitions: Int
        var totalLag: Int64
        var check: ExitCode
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("partitions", .integer, \.partitions),
        Column("total_lag", .integer, \.totalLag),
        Column("check", .status, \.check.description),
    ]
}

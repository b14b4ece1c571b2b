public import ScaleCore

/// One consumer group's partition across the snapshots: Burrow's evaluation and its check.
public struct KafkaPartitionLag: Sendable {
    public var group: String
    public var topic: String
    public var partition: Int
    public var analysis: OffsetAnalysis
    public var check: ExitCode
    /// Seconds until the lag is consumed at the current rates; +∞ when the consumer is not
    /// gaining, nil with one snapshot (no rates).
    public var drainSeconds: Double?
    /// Time of the partition's latest snapshot.
    public var latestTime: Double

    /// When the lag is gone at the current rates; nil when it never is or rates are unknown.
    public var drainsAt: Double? { drainSeconds.map { latestTime + $0 }.flatMap { $0.isFinite ? $0 : nil } }
}

/// Consumer-group lag from `kafka-consumer-groups.sh --describe` snapshots: each partition's
/// series of offsets, judged by Burrow's rules and the user's limits.
public struct KafkaLagAssessment: Sendable {
    public var partitions: [KafkaPartitionLag]
    /// The sum of every partition's lag; nil when a partition has no committed offset, whose lag
    /// is then unknown (a sum without it would understate the backlog).
    public var totalLag: Int64?
    /// Partitions whose group has committed no offset (`-` in kafka-consumer-groups.sh).
    public var uncommittedPartitions: Int
    public var worst: ExitCode
    /// Whether the snapshots carried their own times (else they are spaced by the interval).
    public var dated: Bool
    public var snapshotCount: Int
    /// Whether every partition's samples carried commit times, without which Burrow's STOP rule
    /// (time since the last commit against the window's span) cannot be judged.
    /// kafka-consumer-groups.sh tables never carry them.
    public var commitTimesKnown: Bool

    /// Dated snapshots keep their times; undated ones follow the previous by `interval`.
    public static func assess(_ snapshots: [KafkaGroupsTable.Snapshot], interval: Double?, window: Double?,
                              policy: BacklogPolicy, source: String) throws(ScaleError) -> KafkaLagAssessment {
        var times: [Double] = []
        for (i, snapshot) in snapshots.enumerated() {
            if let time = snapshot.time {
                times.append(time)
            } else if i == 0 {
                times.append(0)
            } else if let interval {
                times.append(times[i - 1] + interval)
            } else {
                throw .usage("snapshot \(i + 1) has no timestamp line and \(Parameter.interval) is not given", about: .interval,
                             fix: "give \(Parameter.interval) (e.g. 30s), or print date -u +%FT%TZ before each snapshot")
            }
        }
        struct Key: Hashable { var group: String; var topic: String; var partition: Int }
        var order: [Key] = []
        var series: [Key: [OffsetSample]] = [:]
        for (snapshot, time) in zip(snapshots, times) {
            for row in snapshot.rows {
                let key = Key(group: row.group, topic: row.topic, partition: row.partition)
                if series[key] == nil { order.append(key) }
                series[key, default: []].append(OffsetSample(time: time, committed: row.currentOffset, logEnd: row.logEndOffset))
            }
        }
        var result = KafkaLagAssessment(partitions: [], totalLag: 0, uncommittedPartitions: 0, worst: .ok, dated: snapshots.first?.time != nil,
                                        snapshotCount: snapshots.count, commitTimesKnown: true)
        var knownLag: Int64 = 0
        for key in order {
            let samples = series[key]!
            if samples.contains(where: { $0.commitTime == nil }) { result.commitTimesKnown = false }
            guard let a = OffsetEvaluator.evaluate(samples, window: window) else { continue }
            let drain: Double? = a.sampleCount < 2 ? nil : (a.drainSeconds ?? .infinity)
            let check = policy.check(a, drainSeconds: drain)
            result.worst = result.worst.worse(check)
            if let lag = a.lag {
                // Each lag fits Int64 (offsets do); their sum need not.
                let (sum, overflow) = knownLag.addingReportingOverflow(lag)
                guard !overflow else { throw .input("the lags add up past 2^63 messages: these are not offsets Kafka wrote", at: source) }
                knownLag = sum
            } else {
                result.uncommittedPartitions += 1
            }
            result.partitions.append(KafkaPartitionLag(group: key.group, topic: key.topic, partition: key.partition, analysis: a, check: check,
                                                       drainSeconds: drain, latestTime: samples.map(\.time).max() ?? 0))
        }
        result.totalLag = result.uncommittedPartitions == 0 ? knownLag : nil
        return result
    }
}

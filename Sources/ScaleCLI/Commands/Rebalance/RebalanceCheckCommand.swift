import Rebalance
import ScaleCore

/// `scalectl rebalance check ASSIGNMENT [--warning R] [--critical R]`: a CI gate for cluster configs.
enum RebalanceCheckCommand {
    enum CheckOption {
        static let warning = OptionSpec("warning", value: "RATIO", help: "exit 1 when the skew reaches this, e.g. 10%")
        static let critical = OptionSpec("critical", value: "RATIO", help: "exit 2 when the skew reaches this, e.g. 25%")
    }

    static let spec = CommandSpec(
        "check",
        summary: "skew, rack violations and under-replicated partitions of an assignment, as a CI gate",
        discussion: """
        Measures the assignment as it stands. A broker's skew is |replicas − share| / share, where its \
        share is N·w/W of the N replicas (w its weight, W the total over target brokers), capped as \
        in 'rebalance plan' by what racks and one replica per partition allow; the \
        assignment's skew is the largest over target brokers (with --per-topic, over every topic \
        too). A partition violates racks when a rack holds more than ceil(r/R) or fewer than \
        floor(r/R) of its r replicas over R racks. A partition is under-replicated when it has fewer \
        replicas than its topic's replication factor, taken as the most common replica count among \
        the topic's partitions. Exit status: 2 when the skew reaches --critical, 1 when it reaches \
        --warning or when any partition violates racks, is under-replicated, or has replicas outside \
        --brokers; 0 otherwise.
        """,
        arguments: [RebalanceCommand.assignmentArgument],
        options: [
            RebalanceCommand.KafkaOption.brokers,
            RebalanceCommand.KafkaOption.racks,
            RebalanceCommand.KafkaOption.weights,
            RebalanceCommand.KafkaOption.sizes,
            RebalanceCommand.KafkaOption.perTopic,
            CheckOption.warning,
            CheckOption.critical,
        ],
        examples: [
            Example("A new broker 5 holds nothing yet: 100% skew is critical",
                    ["rebalance", "check", "demo/kafka-current.json", "--brokers", "1-5", "--warning", "10%", "--critical", "50%"],
                    output: RebalanceExampleOutput.check, exit: .critical),
        ],
        formats: OutputFormat.allCases,
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let warning = try invocation.ratio(CheckOption.warning)
        let critical = try invocation.ratio(CheckOption.critical)
        let assignment = try RebalanceCommand.loadAssignment(invocation, context)
        let cluster = try RebalanceCommand.loadCluster(invocation, context, current: assignment.brokers)
        let check = AssignmentCheck(assignment, cluster: cluster, perTopic: invocation.flag(RebalanceCommand.KafkaOption.perTopic))

        var status = ExitCode.ok
        if let warning, check.skew >= warning { status = status.worse(.warning) }
        if let critical, check.skew >= critical { status = status.worse(.critical) }
        if !check.rackViolatingPartitions.isEmpty || !check.underReplicated.isEmpty || check.replicasOutsideTargets > 0 {
            status = status.worse(.warning)
        }
        let brokerStatus: @Sendable (Double) -> String = { skew in
            if let critical, skew >= critical { return "CRITICAL" }
            if let warning, skew >= warning { return "WARNING" }
            return "OK"
        }
        let sized = assignment.partitions.allSatisfy { $0.sizeBytes != nil }
        let rackAware = cluster.rackAware
        let columns: [Column<AssignmentCheck.Broker>] = [
            // Text, so prometheus output labels each broker's gauges with it.
            Column("broker", .text) { String($0.broker) },
            Column("rack", .text) { rackAware ? ($0.rack ?? "-") : nil },
            Column("weight", .number(places: 2), \.weight),
            Column("replicas", .integer, \.replicas),
            Column("target_replicas", .number(places: 2), title: "TARGET", \.targetReplicas),
            // A broker outside the targets has no share to be skewed from.
            Column("skew_ratio", .ratio(places: 1), title: "SKEW", help: "|replicas − share| / share") { $0.weight > 0 ? $0.skew : nil },
            Column("leaders", .integer, \.leaders),
            Column("target_leaders", .number(places: 2), \.targetLeaders),
            Column("bytes", .bytes) { sized ? Int64($0.bytes) : nil },
            Column("status", .status) { $0.weight > 0 ? brokerStatus($0.skew) : ($0.replicas > 0 ? "WARNING" : "OK") },
        ]
        var notes: [String] = []
        if !check.rackViolatingPartitions.isEmpty {
            notes.append("not spread over racks: " + listed(check.rackViolatingPartitions))
        }
        if !check.underReplicated.isEmpty {
            notes.append("under-replicated: " + listed(check.underReplicated))
        }
        if !check.balanced {
            notes.append("'scalectl rebalance plan' gives the fewest moves that balance it")
        }
        let summary = Summary(check: check, brokers: cluster.brokers.count, status: status)
        var report = Report(command: "rebalance check", columns: columns, rows: check.brokers, summaryColumns: summaryColumns,
                            summary: summary, notes: notes)
        report.check = CheckOutcome(status: status, headline: CheckHeadline.rows(report, status: status, noun: "brokers", state: "status", names: ["broker"]))
        context.emit(report, format: invocation.format)
        return status
    }

    /// The assignment as a whole, and the verdict of the gate.
    struct Summary {
        var check: AssignmentCheck
        /// Target brokers.
        var brokers: Int
        var status: ExitCode
    }

    static let summaryColumns: [Column<Summary>] = [
        // Names differ from the row fields: prometheus puts both in one namespace.
        Column("partitions", .integer, \.check.partitions),
        Column("total_replicas", .integer, title: "REPLICAS", \.check.replicas),
        Column("brokers", .integer, help: "target brokers", \.brokers),
        Column("max_skew_ratio", .ratio(places: 1), title: "SKEW", help: "the largest broker skew", \.check.skew),
        Column("max_leader_skew_ratio", .ratio(places: 1), title: "LEADER SKEW", help: "the largest broker skew in leaders", \.check.leaderSkew),
        Column("rack_violating_partitions", .integer, \.check.rackViolatingPartitions.count),
        Column("rack_violation_replicas", .integer, help: "replicas that would have to change rack", \.check.rackViolationReplicas),
        Column("under_replicated_partitions", .integer, \.check.underReplicated.count),
        Column("replicas_outside_targets", .integer, help: "replicas on brokers outside --brokers", \.check.replicasOutsideTargets),
        Column("balanced", .bool, help: "every broker within one replica and one lead of its share", \.check.balanced),
        Column("status", .status, \.status.description),
    ]

    /// The first ten, then how many more.
    static func listed(_ partitions: [TopicPartition]) -> String {
        let shown = partitions.prefix(10).map(\.description).joined(separator: ", ")
        return partitions.count > 10 ? shown + " and \(partitions.count - 10) more" : shown
    }
}

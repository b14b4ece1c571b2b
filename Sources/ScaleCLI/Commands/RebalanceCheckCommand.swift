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
        func brokerStatus(_ skew: Double) -> String {
            if let critical, skew >= critical { return "CRITICAL" }
            if let warning, skew >= warning { return "WARNING" }
            return "OK"
        }
        let sized = assignment.partitions.allSatisfy { $0.sizeBytes != nil }
        let rackAware = cluster.rackAware
        let fields = [
            // Text, so prometheus output labels each broker's gauges with it.
            Field("broker", .text),
            Field("rack", .text),
            Field("weight", .number(places: 2)),
            Field("replicas", .integer),
            Field("target_replicas", .number(places: 2), title: "TARGET"),
            Field("skew_ratio", .ratio(places: 1), title: "SKEW", help: "|replicas − share| / share"),
            Field("leaders", .integer),
            Field("target_leaders", .number(places: 2)),
            Field("bytes", .bytes),
            Field("status", .status),
        ]
        let rows: [[Value]] = check.brokers.map { b in
            let target = b.weight > 0
            return [.text(String(b.broker)), rackAware ? .text(b.rack ?? "-") : .null, .number(b.weight), .int(b.replicas),
                    .number(b.targetReplicas), target ? .number(b.skew) : .null, .int(b.leaders), .number(b.targetLeaders),
                    sized ? .integer(Int64(b.bytes)) : .null,
                    .text(target ? brokerStatus(b.skew) : (b.replicas > 0 ? "WARNING" : "OK"))]
        }
        let summaryFields = [
            // Names differ from the row fields: prometheus puts both in one namespace.
            Field("partitions", .integer),
            Field("total_replicas", .integer, title: "REPLICAS"),
            Field("brokers", .integer, help: "target brokers"),
            Field("max_skew_ratio", .ratio(places: 1), title: "SKEW", help: "the largest broker skew"),
            Field("max_leader_skew_ratio", .ratio(places: 1), title: "LEADER SKEW", help: "the largest broker skew in leaders"),
            Field("rack_violating_partitions", .integer),
            Field("rack_violation_replicas", .integer, help: "replicas that would have to change rack"),
            Field("under_replicated_partitions", .integer),
            Field("replicas_outside_targets", .integer, help: "replicas on brokers outside --brokers"),
            Field("balanced", .bool, help: "every broker within one replica and one lead of its share"),
            Field("status", .status),
        ]
        let summary: [Value] = [
            .int(check.partitions), .int(check.replicas), .int(cluster.brokers.count), .number(check.skew), .number(check.leaderSkew),
            .int(check.rackViolatingPartitions.count), .int(check.rackViolationReplicas), .int(check.underReplicated.count),
            .int(check.replicasOutsideTargets), .bool(check.balanced), .text(status.description),
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
        context.emit(Report(command: "rebalance check", fields: fields, rows: rows, summaryFields: summaryFields,
                            summary: summary, notes: notes), format: invocation.format)
        return status
    }

    /// The first ten, then how many more.
    static func listed(_ partitions: [TopicPartition]) -> String {
        let shown = partitions.prefix(10).map(\.description).joined(separator: ", ")
        return partitions.count > 10 ? shown + " and \(partitions.count - 10) more" : shown
    }
}

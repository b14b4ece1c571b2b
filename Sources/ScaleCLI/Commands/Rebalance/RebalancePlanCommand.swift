import Rebalance
import ScaleCore

/// `scalectl rebalance plan ASSIGNMENT [--add B|--remove B|--brokers LIST]`.
enum RebalancePlanCommand {
    enum PlanOption {
        static let balance = OptionSpec("balance", value: "WHAT", allowed: BalanceMode.allCases.map(\.rawValue), default: "replicas",
                                        help: "what to even out: replicas (counts) or bytes (needs sizes)")
        static let throttle = OptionSpec("throttle", value: "RATE", help: "replication throttle per broker, e.g. 50MB/s: estimates the duration")
        static let maxConcurrent = OptionSpec("max-concurrent", value: "N", default: "5", help: "moves per broker per batch")
        static let show = OptionSpec("show", value: "VIEW", allowed: ["moves", "brokers"], default: "moves",
                                     help: "rows to print: moves (one per replica move) or brokers (before and after)")
        static let batch = OptionSpec("batch", value: "N", help: "with -o kafka-json, only the partitions of batch N")
    }

    static let spec = CommandSpec(
        "plan",
        summary: "the fewest replica moves that balance a Kafka cluster, its lower bound, batches and duration",
        discussion: """
        Reads the current assignment and the target brokers, and prints the moves that bring every \
        broker within one replica of its weighted share: a broker of weight w holds floor(N·w/W) or \
        ceil(N·w/W) of the N replicas (W is the total weight), or with --per-topic the same within \
        each topic. Each partition keeps its replica count on distinct brokers and, with --racks, is \
        spread over the racks as evenly as possible (each rack holds floor(r/R) or ceil(r/R) of its r \
        replicas; a hard rule). Shares respect what the rules allow: a broker holds at most one \
        replica per partition, and a rack at most its brokers' count per partition, so a share \
        above that is capped and the rest goes to the others by weight (a lone broker in a rack \
        may have to hold a replica of every partition).

        INPUT: Kafka reassignment JSON ({"version":1,"partitions":[{"topic":…,"partition":…,\
        "replicas":[…]}]}), the whole output of kafka-reassign-partitions.sh --generate (its "Current \
        partition replica assignment" is used), or CSV lines partition,replica1,replica2,… such as \
        orders-0,1,2,3 (a header partition,…,size adds sizes such as 12GiB). --racks and --weights \
        take 1=a,2=b or @FILE; --sizes takes partition,bytes lines or kafka-log-dirs.sh --describe output.

        LOWER BOUND: a move takes one replica off one broker and puts it on another, so no plan moves \
        fewer than max(Σ max(0, low − count), Σ max(0, count − high)) replicas, where low and high \
        are the floor and ceil of each broker's share, summed per scope (all partitions, or each \
        topic); also at least the replicas on leaving brokers and the replicas crowding a rack. With \
        --racks the bound is also counted rack by rack: each rack needs at least the larger of what \
        its brokers lack and one replica per partition short of its spread there (likewise for what \
        must leave); the summary's rack_lower_bound_moves is that count. The plan pairs brokers \
        above their share with brokers below it; when that is over the bound, an exact search \
        (min-cost flow) makes it minimal, so a plan over the bound is one no plan beats: the \
        placement rules force the gap. A note then names the rule that binds, from the search's \
        dual (shortest paths in the final residual graph): a move the rack spread or the one \
        replica per broker rule refuses, or a broker's share, that if allowed once would let a \
        shorter plan exist.

        LEADERS: preferred leaders (first replicas) are then balanced the same way by reordering \
        replica lists only, never by moving data; run kafka-leader-election.sh --election-type \
        preferred after the reassignment.

        BYTES: --balance bytes evens bytes instead, to within one partition (the largest) of each \
        share; sizes come from --sizes or a size column.

        SCHEDULE: a partition's moves run together; batches hold at most --max-concurrent moves per \
        broker (counting both the broker losing and the one gaining a replica). A new replica copies \
        from the partition's leader, so bytes_out is counted on the current leader; with --throttle \
        the estimate is the busiest broker's max(bytes in, bytes out) / throttle.

        OUTPUT: -o kafka-json prints the reassignment file for kafka-reassign-partitions.sh \
        --execute: only partitions whose replica list changes, every log dir "any" (with --batch N, \
        only batch N). Exit status 1 when the targets cannot all be met.
        """,
        arguments: [RebalanceCommand.assignmentArgument],
        options: [
            RebalanceCommand.KafkaOption.add,
            RebalanceCommand.KafkaOption.remove,
            RebalanceCommand.KafkaOption.brokers,
            RebalanceCommand.KafkaOption.racks,
            RebalanceCommand.KafkaOption.weights,
            RebalanceCommand.KafkaOption.sizes,
            PlanOption.balance,
            RebalanceCommand.KafkaOption.perTopic,
            PlanOption.throttle,
            PlanOption.maxConcurrent,
            PlanOption.show,
            PlanOption.batch,
        ],
        examples: [
            Example("Add broker 5 to brokers 1-4: the moves, their lower bound and batches",
                    ["rebalance", "plan", "demo/kafka-current.json", "--add", "5"], output: RebalanceExampleOutput.planAdd),
            Example("The reassignment file for kafka-reassign-partitions.sh --execute",
                    ["rebalance", "plan", "demo/kafka-current.json", "--add", "5", "-o", "kafka-json"], output: RebalanceExampleOutput.planAddKafkaJSON),
            Example("Per-broker before and after, with sizes and a 50MB/s throttle",
                    ["rebalance", "plan", "demo/kafka-current.json", "--add", "5", "--sizes", "demo/kafka-sizes.csv",
                     "--throttle", "50MB/s", "--show", "brokers"], output: RebalanceExampleOutput.planBrokers),
            Example("Decommission broker 2 across racks",
                    ["rebalance", "plan", "demo/kafka-current.json", "--remove", "2", "--racks", "1=a,2=a,3=b,4=b", "-o", "csv"]),
        ],
        // No prometheus: a plan is a list of actions, not gauges (one series per move would repeat).
        formats: [.table, .json, .ndjson, .csv],
        extraFormats: [ExtraFormat("kafka-json", help: "the reassignment JSON kafka-reassign-partitions.sh --execute reads")],
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let maxConcurrent = try invocation.integer(PlanOption.maxConcurrent, range: 1...10_000) ?? 5
        let throttle = try throttleRate(invocation.value(PlanOption.throttle))
        let batch = try invocation.integer(PlanOption.batch, range: 1...1_000_000)
        if batch != nil && invocation.extraFormat != "kafka-json" {
            throw .usage("--batch selects partitions for the reassignment file", at: "--batch", fix: "add -o kafka-json")
        }
        let assignment = try RebalanceCommand.loadAssignment(invocation, context)
        let cluster = try RebalanceCommand.loadCluster(invocation, context, current: assignment.brokers)
        let options = PlanOptions(balance: BalanceMode(rawValue: invocation.value(PlanOption.balance) ?? "replicas") ?? .replicas,
                                  perTopic: invocation.flag(RebalanceCommand.KafkaOption.perTopic))
        let plan = try RebalancePlanner.plan(assignment, cluster: cluster, options: options)
        let schedule = MoveSchedule(plan: plan, maxConcurrent: maxConcurrent, throttleBytesPerSecond: throttle)
        let status: ExitCode = plan.balanced ? .ok : .warning
        if let batch, batch > schedule.batchCount {
            // An empty reassignment file would look like a finished rebalance.
            throw .usage(schedule.batchCount == 0 ? "there is no batch \(batch): the plan moves nothing" : "there is no batch \(batch): the plan has \(schedule.batchCount)",
                         at: "--batch", fix: schedule.batchCount == 0 ? "leave --batch out" : "give a batch from 1 to \(schedule.batchCount)")
        }
        // Brokers that hold no replica yet are targets only when named: say whom the plan balances.
        let implicitTargets = invocation.has(RebalanceCommand.KafkaOption.brokers) || invocation.has(RebalanceCommand.KafkaOption.add) ? nil
            : "target brokers: the \(assignment.brokers.count) that hold replicas (\(assignment.brokers.map(String.init).joined(separator: ","))); name new, empty brokers with --brokers or --add"

        if invocation.extraFormat == "kafka-json" {
            var partitions = plan.changedPartitions
            if let batch { partitions = partitions.filter { schedule.batchOf[$0.id] == batch } }
            context.console.write(KafkaReassignmentJSON.encode(partitions))
            for problem in plan.problems { context.warn(problem) }
            if let implicitTargets { context.warn(implicitTargets) }
            return status
        }
        var report = invocation.value(PlanOption.show) == "brokers"
            ? brokersReport(plan, schedule: schedule, maxConcurrent: maxConcurrent, throttle: throttle)
            : movesReport(plan, schedule: schedule, maxConcurrent: maxConcurrent, throttle: throttle)
        if let implicitTargets { report.notes.insert(implicitTargets, at: 0) }
        context.emit(report, format: invocation.format)
        return status
    }

    /// `50MB/s`, `50MB`, `1GiB/s`: bytes per second (SI or binary units, as --throttle in
    /// kafka-reassign-partitions.sh counts bytes per second).
    static func throttleRate(_ text: String?) throws(ScaleError) -> Double? {
        guard var text else { return nil }
        text = text.trimmingSpaces
        if text.hasSuffix("/s") { text.removeLast(2) }
        let bytes: UInt64
        do { bytes = try SizeUnits.parse(text) } catch {
            throw .usage("'\(text)' is not a rate", at: "--throttle", fix: "write bytes per second such as 50MB/s or 100MiB/s")
        }
        guard bytes > 0 else { throw .usage("the throttle must be above 0", at: "--throttle", fix: "write a rate such as 50MB/s") }
        return Double(bytes)
    }

    /// The plan as a whole: its moves against their lower bound, its batches and duration.
    struct Summary {
        var plan: RebalancePlan
        var schedule: MoveSchedule
        var maxConcurrent: Int
        var throttle: Double?

        /// Byte figures need every partition's size.
        var sized: Bool { plan.before.partitions.allSatisfy { $0.sizeBytes != nil } }
        /// With --balance bytes the bound is on bytes; a move count bound would mislead.
        var byCount: Bool { plan.options.balance == .replicas }
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("partitions", .integer, \.plan.before.partitions.count),
        Column("replicas", .integer, \.plan.before.replicaCount),
        Column("brokers_before", .integer, help: "brokers holding replicas before the plan") { $0.plan.brokers.filter { $0.replicasBefore > 0 }.count },
        Column("brokers_after", .integer, help: "target brokers") { $0.plan.brokers.filter { $0.weight > 0 }.count },
        Column("replica_moves", .integer, help: "replicas that change broker", \.plan.moves.count),
        Column("lower_bound_moves", .integer, help: "no plan moves fewer replicas (replica balance only)") { $0.byCount ? $0.plan.bound.moves : nil },
        Column("rack_lower_bound_moves", .integer,
               help: "with --racks, the bound counted rack by rack: each rack's arrivals cover both its brokers' shortfall and its partitions' spread (replica balance only)") {
            $0.byCount && $0.plan.rackAware ? $0.plan.bound.rackMoves : nil
        },
        Column("moves_over_bound", .integer, help: "replica moves beyond the lower bound") { $0.byCount ? $0.plan.movesOverBound : nil },
        Column("bytes_moved", .bytes, help: "bytes copied by the moves") { $0.sized ? Int64($0.plan.bytesMoved) : nil },
        Column("lower_bound_bytes", .bytes, help: "with --balance bytes, no plan copies fewer bytes") { $0.plan.bound.bytes.map { Int64($0) } },
        Column("leader_changes", .integer, help: "partitions whose leader changes by reordering replicas", \.plan.leaderChanges),
        Column("lower_bound_leader_changes", .integer, help: "no reordering changes fewer leaders", \.plan.bound.leaderChanges),
        Column("leaders_moved", .integer, help: "partitions whose preferred leader differs from before", \.plan.leadersMoved),
        Column("batches", .integer, \.schedule.batchCount),
        Column("max_concurrent", .integer, help: "moves per broker per batch", \.maxConcurrent),
        Column("busiest_broker_bytes", .bytes, help: "the busiest broker's max(bytes in, bytes out)") {
            $0.sized ? Int64($0.schedule.busiestBrokerBytes) : nil
        },
        Column("throttle_bytes_per_second", .integer, help: "the replication throttle given") { $0.throttle.map { Int64($0) } },
        Column("estimated_seconds", .duration, title: "ESTIMATED DURATION", help: "busiest broker bytes / throttle") {
            $0.sized ? $0.schedule.estimatedSeconds : nil
        },
        Column("balanced", .bool, help: "every broker within its targets after the plan", \.plan.balanced),
        Column("status", .status) { $0.plan.balanced ? "OK" : "WARNING" },
    ]

    /// Sentences that explain the bound and what to run next.
    static func notes(_ plan: RebalancePlan) -> [String] {
        let b = plan.bound
        var notes: [String] = []
        if plan.options.balance == .replicas {
            var parts = ["\(RebalanceCommand.count(b.arrivals, "replica")) must arrive at brokers below their share, \(b.departures) must leave brokers above it"]
            if b.removedReplicas > 0 { parts.append("\(b.removedReplicas) sit on leaving brokers") }
            if b.rackViolations > 0 { parts.append("\(b.rackViolations) crowd a rack") }
            if b.rackMoves > 0 { parts.append("rack by rack \(b.rackMoves) (a rack's arrivals cover both its brokers' shortfall and its partitions' spread)") }
            let rules = plan.rackAware ? "one replica per broker per partition, the rack spread" : "one replica per broker per partition"
            let verdict = plan.movesOverBound == 0
                ? "the plan meets the lower bound of \(RebalanceCommand.count(b.moves, "move")): no plan moves fewer replicas"
                : plan.minimal
                ? "the plan is \(RebalanceCommand.count(plan.movesOverBound, "move")) over the lower bound of \(b.moves) and no plan moves fewer: an exact search (min-cost flow over every move the rules allow) finds none, so the rules (\(rules)) force the gap"
                : "the plan is \(RebalanceCommand.count(plan.movesOverBound, "move")) over the lower bound of \(b.moves): the placement rules block the direct moves"
            notes.append(verdict + " (" + parts.joined(separator: "; ") + ")")
            if plan.minimal && plan.movesOverBound > 0 {
                notes += plan.binding.map { "binding rule (from the exact search's dual): " + $0 }
            }
        } else if let bytes = b.bytes {
            let over = plan.bytesMoved > bytes ? plan.bytesMoved - bytes : 0
            notes.append("bytes moved \(SizeUnits.human(Double(plan.bytesMoved))) against a lower bound of \(SizeUnits.human(Double(bytes)))"
                         + (over == 0 ? ": the plan meets it" : " (\(SizeUnits.human(Double(over))) over; balancing bytes is bin packing, so the greedy plan is not proven minimal)"))
        }
        notes += plan.problems
        if !plan.changedPartitions.isEmpty {
            notes.append("apply: -o kafka-json > plan.json, then kafka-reassign-partitions.sh --execute --reassignment-json-file plan.json"
                         + (plan.leaderChanges > 0 || plan.leadersMoved > 0 ? ", then kafka-leader-election.sh --election-type preferred --all-topic-partitions" : ""))
        }
        return notes
    }

    static func movesReport(_ plan: RebalancePlan, schedule: MoveSchedule, maxConcurrent: Int, throttle: Double?) -> Report {
        let summary = Summary(plan: plan, schedule: schedule, maxConcurrent: maxConcurrent, throttle: throttle)
        let sized = summary.sized
        let columns: [Column<ReplicaMove>] = [
            Column("batch", .integer) { schedule.batchOf[$0.partition] ?? 1 },
            Column("topic", .text, \.partition.topic),
            Column("partition", .integer, \.partition.partition),
            Column("from_broker", .integer, title: "FROM", \.from),
            Column("to_broker", .integer, title: "TO", \.to),
            Column("bytes", .bytes, help: "the partition's size") { sized ? $0.bytes.map { Int64($0) } : nil },
        ]
        return Report(command: "rebalance plan", columns: columns, rows: plan.moves, summaryColumns: summaryColumns,
                      summary: summary, notes: notes(plan))
    }

    static func brokersReport(_ plan: RebalancePlan, schedule: MoveSchedule, maxConcurrent: Int, throttle: Double?) -> Report {
        let summary = Summary(plan: plan, schedule: schedule, maxConcurrent: maxConcurrent, throttle: throttle)
        let rackAware = plan.rackAware
        let sized = summary.sized
        let bytes: @Sendable (UInt64) -> Int64? = { sized ? Int64($0) : nil }
        let columns: [Column<BrokerOutcome>] = [
            Column("broker", .integer, \.broker),
            Column("rack", .text) { rackAware ? ($0.rack ?? "-") : nil },
            Column("weight", .number(places: 2), \.weight),
            Column("target", .number(places: 2), help: plan.options.balance == .bytes ? "weighted share of bytes" : "weighted share of replicas",
                   \.targetReplicas),
            Column("replicas_before", .integer, title: "BEFORE", \.replicasBefore),
            Column("replicas_after", .integer, title: "AFTER", \.replicasAfter),
            Column("leaders_before", .integer, title: "LEADERS BEFORE", \.leadersBefore),
            Column("leaders_after", .integer, title: "LEADERS AFTER", \.leadersAfter),
            Column("replicas_in", .integer, title: "IN", \.replicasIn),
            Column("replicas_out", .integer, title: "OUT", \.replicasOut),
            Column("bytes_before", .bytes) { bytes($0.bytesBefore) },
            Column("bytes_after", .bytes) { bytes($0.bytesAfter) },
            Column("bytes_in", .bytes, help: "bytes this broker receives") { bytes($0.bytesIn) },
            Column("bytes_out", .bytes, help: "bytes this broker sends as leader of moved partitions") { bytes($0.bytesOut) },
        ]
        return Report(command: "rebalance plan", columns: columns, rows: plan.brokers, summaryColumns: summaryColumns,
                      summary: summary, notes: notes(plan))
    }
}

import Rebalance
import ScaleCore

/// `scalectl rebalance slots [CLUSTER-NODES]`: what `redis-cli --cluster rebalance` will do.
enum RebalanceSlotsCommand {
    enum SlotsOption {
        static let nodes = OptionSpec("nodes", value: "SPEC", help: "masters and their current slot counts instead of CLUSTER NODES, e.g. a=5461,b=5462,c=5461,d=0")
        static let weight = OptionSpec("weight", value: "NODE=W", repeatable: true,
                                       help: "a master's weight (default 1), by node id prefix or address, as redis-cli --cluster-weight")
        static let useEmptyMasters = OptionSpec("use-empty-masters", help: "give slots to masters that have none, as --cluster-use-empty-masters")
        static let threshold = OptionSpec("threshold", value: "PERCENT", default: "2", help: "rebalance only when a master is off by more than this, as --cluster-threshold")
        static let show = OptionSpec("show", value: "VIEW", allowed: ["moves", "nodes"], default: "moves",
                                     help: "rows to print: moves or nodes (before, expected, balance, after)")
    }

    static let spec = CommandSpec(
        "slots",
        summary: "predict redis-cli --cluster rebalance: which slots move between Redis Cluster masters",
        discussion: """
        Reproduces the slot arithmetic of redis-cli --cluster rebalance (clusterManagerCommandRebalance \
        in redis-cli.c) exactly, single-precision floats included. Masters with slots take part \
        (with --use-empty-masters, empty ones too), in the order redis-cli loads them: the node \
        that printed the CLUSTER NODES output first, then the others as listed — so pipe the output \
        of 'redis-cli -h HOST -p PORT cluster nodes' for the HOST:PORT you will give redis-cli. \
        Each master expects (int)(16384 / total_weight × weight) slots and its balance is slots − \
        expected. Nothing moves unless some master is off by more than --threshold percent, \
        |100 − 100·expected/slots| (an empty one: expected > 1). Truncation leaves the balances \
        summing above zero; redis-cli walks the masters in order and lowers each non-positive \
        balance by one until they sum to zero. Sorted by balance, the largest giver then feeds the \
        largest receiver, min(|giver|, |receiver|) slots at a time, taking the giver's lowest \
        slots. -o redis-cli prints the lines redis-cli prints (">>> Rebalancing across…", \
        "Moving N slots from A to B"). Without a CLUSTER NODES input, --nodes gives each master's \
        slot count, laid out in contiguous ranges in the order given.
        """,
        arguments: [ArgumentSpec("CLUSTER-NODES", help: "output of redis-cli cluster nodes (default: standard input)",
                                 optional: true, completion: .file)],
        options: [SlotsOption.nodes, SlotsOption.weight, SlotsOption.useEmptyMasters, SlotsOption.threshold, SlotsOption.show],
        examples: [
            Example("An empty fourth master joined: what redis-cli --cluster rebalance --cluster-use-empty-masters moves",
                    ["rebalance", "slots", "demo/redis-cluster-nodes.txt", "--use-empty-masters"], output: RebalanceExampleOutput.slots),
            Example("The lines redis-cli prints, with weight 2 for the new master",
                    ["rebalance", "slots", "demo/redis-cluster-nodes.txt", "--use-empty-masters", "--weight", "9f44=2", "-o", "redis-cli"],
                    output: RebalanceExampleOutput.slotsRedisCli),
            Example("Without a cluster: slot counts per master",
                    ["rebalance", "slots", "--nodes", "a=5461,b=5462,c=5461,d=0", "--use-empty-masters", "--show", "nodes"],
                    output: RebalanceExampleOutput.slotsNodes),
        ],
        formats: [.table, .json, .ndjson, .csv],
        extraFormats: [ExtraFormat("redis-cli", help: "the plan lines redis-cli --cluster rebalance prints")],
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let threshold = try threshold(invocation.value(SlotsOption.threshold) ?? "2")
        let masters: [RedisMaster]
        if let nodes = invocation.value(SlotsOption.nodes) {
            guard invocation.positionals.isEmpty else {
                throw .usage("give either CLUSTER NODES output or --nodes, not both", at: "--nodes")
            }
            masters = try RedisClusterNodes.fromCounts(KeyValueList.parse(nodes, about: SlotsOption.nodes.parameter))
        } else {
            let path = invocation.positionals.first ?? "-"
            let bytes = try InputFile.read(path, limit: 64 << 20, what: "CLUSTER NODES output", console: context.console)
            let source = path == "-" ? "standard input" : path
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
                throw .usage("no CLUSTER NODES output on \(source)", fix: "pipe 'redis-cli -h HOST -p PORT cluster nodes' into it, or give --nodes a=5461,b=5462,…")
            }
            masters = try RedisClusterNodes.parse(bytes, source: source)
        }
        var weights: [(key: String, value: String)] = []
        for value in invocation.all(SlotsOption.weight) { weights += try KeyValueList.parse(value, about: SlotsOption.weight.parameter) }
        let plan = try RedisSlotRebalance(masters: masters, weights: weights,
                                          useEmptyMasters: invocation.flag(SlotsOption.useEmptyMasters), threshold: threshold)
        if invocation.extraFormat == "redis-cli" {
            context.console.write(plan.redisCliLines.joined(separator: "\n") + "\n")
            return .ok
        }
        let notes = plan.thresholdReached ? [] : ["no rebalancing needed: every master is within the \(Format.decimal(Double(plan.threshold), places: 2))% threshold"]
        let report: Report
        if invocation.value(SlotsOption.show) == "nodes" {
            report = Report(command: "rebalance slots", columns: nodeColumns, rows: plan.nodes, summaryColumns: summaryColumns, summary: plan, notes: notes)
        } else {
            report = Report(command: "rebalance slots", columns: moveColumns, rows: plan.moves, summaryColumns: summaryColumns, summary: plan, notes: notes)
        }
        context.emit(report, format: invocation.format)
        return .ok
    }

    static let nodeColumns: [Column<RedisSlotRebalance.Node>] = [
        Column("node", .text, \.name),
        Column("id", .text) { $0.id.map { String($0.prefix(8)) } },
        Column("weight", .number(places: 2)) { Double($0.weight) },
        Column("slots_before", .integer, title: "BEFORE", \.slotsBefore),
        Column("expected_slots", .integer, title: "EXPECTED", \.expected),
        Column("balance_slots", .integer, title: "BALANCE", help: "slots to give (positive) or take (negative)", \.balance),
        Column("slots_after", .integer, title: "AFTER", \.slotsAfter),
    ]

    static let moveColumns: [Column<RedisSlotRebalance.Move>] = [
        Column("from", .text, \.from),
        Column("to", .text, \.to),
        Column("slots", .integer, \.count),
        Column("slot_ranges", .text, title: "RANGES") { RedisSlotRebalance.ranges($0.slots) },
    ]

    static let summaryColumns: [Column<RedisSlotRebalance>] = [
        Column("masters", .integer, help: "masters taking part", \.nodes.count),
        Column("total_weight", .number(places: 2)) { Double($0.totalWeight) },
        Column("threshold_percent", .number(places: 2)) { Double($0.threshold) },
        Column("rebalance_needed", .bool, help: "some master is off by more than the threshold", \.thresholdReached),
        Column("moves", .integer, \.moves.count),
        Column("slots_moved", .integer) { $0.moves.reduce(0) { $0 + $1.count } },
    ]

    /// `2`, `2%`, `0.5`: a percentage as redis-cli's --cluster-threshold takes it.
    static func threshold(_ text: String) throws(ScaleError) -> Float {
        var trimmed = text.trimmingSpaces
        if trimmed.hasSuffix("%") { trimmed.removeLast() }
        guard let value = Double(trimmed), value.isFinite, value >= 0, value <= 100 else {
            throw .usage("'\(text)' is not a percentage", at: "--threshold", fix: "write a number of percent such as 2 or 0.5")
        }
        return Float(value)
    }
}

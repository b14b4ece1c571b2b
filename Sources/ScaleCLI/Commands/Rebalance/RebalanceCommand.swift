import Rebalance
import ScaleCore

/// `scalectl rebalance plan|check|slots`: minimal-move partition plans for Kafka, a skew gate
/// for CI, and redis-cli's slot arithmetic for Redis Cluster.
enum RebalanceCommand {
    static let spec = CommandSpec(
        "rebalance",
        summary: "the smallest set of partition moves that balances brokers, with its lower bound and duration",
        discussion: """
        Kafka's kafka-reassign-partitions.sh --generate ignores where replicas are and moves most of \
        them when one broker joins or leaves. 'rebalance plan' starts from the current assignment and \
        moves only what balance requires, and prints the lower bound that proves it. 'rebalance check' \
        gates a cluster config in CI. 'rebalance slots' predicts redis-cli --cluster rebalance.
        """,
        subcommands: [RebalancePlanCommand.spec, RebalanceCheckCommand.spec, RebalanceSlotsCommand.spec]
    )

    static let assignmentArgument = ArgumentSpec(
        "ASSIGNMENT", help: "Kafka reassignment JSON (or kafka-reassign-partitions.sh --generate output), or partition,replica… CSV; - for standard input",
        completion: .file)

    /// The options of the Kafka commands, plan and check, that the loaders below read.
    enum KafkaOption {
        static let add = OptionSpec("add", value: "LIST", repeatable: true, help: "brokers joining the cluster, e.g. 7 or 7-9")
        static let remove = OptionSpec("remove", value: "LIST", repeatable: true, help: "brokers leaving the cluster: all their replicas move")
        static let brokers = OptionSpec("brokers", value: "LIST", help: "the target brokers, e.g. 1-5,7 (default: the brokers in the assignment)")
        static let racks = OptionSpec("racks", value: "SPEC", completion: .file,
                                      help: "broker racks as 1=a,2=a,3=b, or @FILE with one BROKER=RACK (or BROKER,RACK) per line")
        static let weights = OptionSpec("weights", value: "SPEC", completion: .file,
                                        help: "relative broker capacities as 7=2,8=2 (others weigh 1), or @FILE")
        static let sizes = OptionSpec("sizes", value: "FILE", completion: .file,
                                      help: "partition sizes: partition,bytes lines, or kafka-log-dirs.sh --describe output")
        static let perTopic = OptionSpec("per-topic", help: "balance (or measure) each topic on its own")
    }

    /// The assignment with sizes attached, from the positional argument and `--sizes`.
    static func loadAssignment(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> Assignment {
        let path = invocation.positionals[0]
        let source = path == "-" ? "standard input" : path
        var assignment = try AssignmentInput.parse(InputFile.read(path, limit: inputLimit, what: "assignment", console: context.console), source: source)
        if let sizesPath = invocation.value(KafkaOption.sizes) {
            let sizes = try PartitionSizes.parse(InputFile.read(sizesPath, option: "--sizes", limit: inputLimit, what: "sizes file", console: context.console),
                                                 source: sizesPath)
            try assignment.applySizes(sizes, source: sizesPath)
        }
        return assignment
    }

    /// The target cluster from --brokers / --add / --remove, --racks and --weights.
    static func loadCluster(_ invocation: Invocation, _ context: CommandContext, current: [Int]) throws(ScaleError) -> ClusterSpec {
        func ids(_ option: OptionSpec) throws(ScaleError) -> [Int] {
            var result: [Int] = []
            for value in invocation.all(option) { result += try BrokerIDs.parse(value, about: option.parameter) }
            return result
        }
        let brokers = invocation.has(KafkaOption.brokers) ? try ids(KafkaOption.brokers) : nil
        let racks = try invocation.value(KafkaOption.racks).map { (text: String) throws(ScaleError) in
            try KeyValueList.racks(inlineOrFile(text, option: KafkaOption.racks, console: context.console), about: KafkaOption.racks.parameter)
        } ?? [:]
        let weights = try invocation.value(KafkaOption.weights).map { (text: String) throws(ScaleError) in
            try KeyValueList.weights(inlineOrFile(text, option: KafkaOption.weights, console: context.console), about: KafkaOption.weights.parameter)
        } ?? [:]
        // Only plan takes --add and --remove; check measures the cluster as it is.
        let add = invocation.spec.declares(KafkaOption.add) ? try ids(KafkaOption.add) : []
        let remove = invocation.spec.declares(KafkaOption.remove) ? try ids(KafkaOption.remove) : []
        return try ClusterSpec.resolve(current: current, brokers: brokers, add: add, remove: remove, racks: racks, weights: weights)
    }

    /// 64 MiB: a 200,000-partition assignment is about 20 MB of JSON, and the parsed tree of a
    /// JSON document takes several times its size in memory.
    static let inputLimit = 64 << 20

    /// An option value that is either inline text or `@FILE` (as curl's `-d @file`).
    static func inlineOrFile(_ value: String, option: OptionSpec, console: any Console) throws(ScaleError) -> String {
        guard value.hasPrefix("@") else { return value }
        let path = String(value.dropFirst())
        guard !path.isEmpty else { throw .usage("'@' needs a file name", at: "--\(option.long)", fix: "write --\(option.long) @FILE") }
        let bytes = try InputFile.read(path, option: "--\(option.long)", limit: 16 << 20, what: "\(option.long) file")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .input("is not UTF-8 text", at: "--\(option.long) \(path)")
        }
        // A file always goes through the line-based reader, even with a single line.
        return text.contains("\n") ? text : text + "\n"
    }

    /// A number of broker moves as a phrase: "1 replica", "41 replicas".
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

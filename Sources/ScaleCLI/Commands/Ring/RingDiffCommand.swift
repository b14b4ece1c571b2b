import HashRing
import ScaleCore

/// `scalectl ring diff`: what moves between two node lists.
enum RingDiffCommand {
    enum DiffOption {
        static let to = OptionSpec("to", value: "NODES", help: "the new nodes, comma-separated: HOST[:PORT][=WEIGHT],...")
        static let toFile = OptionSpec("to-file", value: "FILE", completion: .file, help: "read the new nodes from a file")
        static let keysFile = OptionSpec("keys-file", value: "FILE", completion: .file, help: "also count how many of these keys (one a line) move")
    }

    static let spec = CommandSpec(
        "diff",
        summary: "show what moves when nodes join, leave or change weight",
        discussion: """
        Compares the ring of --nodes (or --nodes-file) with the ring of --to (or --to-file) under \
        the same algorithm, matching nodes by host and port. Each row is a move: the part of the \
        hash space whose owner changes from one node to another. ketama and vnodes are compared arc \
        by arc and maglev entry by entry, exactly; jump, rendezvous, multiprobe and bounded by the \
        owners of 100000 generated keys (key-0, key-1, ...). With --keys-file the keys of that file \
        are counted as well. The summary puts the moved fraction next to its lower bound, \
        1/2 x sum over nodes of |new share - old share|: no assignment that reaches the new shares \
        can move less. The excess is avoidable churn; moves between two nodes that are in both lists \
        are its usual form. Weighted ketama sets every server's points from its share of the total \
        weight times the server count, so a join or a reweight changes the points of servers that \
        did not change, and maglev refills its table; diff then reports status WARNING and exits 1. \
        It exits 0 when the change moves no more than the bound.
        """,
        options: RingCommand.nodeOptions + [DiffOption.to, DiffOption.toFile] + RingCommand.algorithmOptions + [DiffOption.keysFile],
        examples: [
            Example("A fourth server joins a vnode ring: only its share moves, to it",
                    ["ring", "diff", "--nodes", "a,b,c", "--to", "a,b,c,d", "--algorithm", "vnodes"],
                    output: """
                    FROM  TO   MOVED
                    c     d   11.02%
                    b     d    8.50%
                    a     d    7.37%

                    ALGORITHM:               vnodes
                    MOVED RATIO:             26.90%
                    LOWER BOUND RATIO:       26.90%
                    AVOIDABLE RATIO:         0.00%
                    BETWEEN SURVIVORS RATIO: 0.00%
                    STATUS:                  OK

                    """),
            Example("Weighted ketama: one server joining reshuffles points between the others (exit 1)",
                    ["ring", "diff", "--nodes", "a=1,b=2,c=3", "--to", "a=1,b=2,c=3,d=4"], exit: .warning),
        ],
        formats: [.table, .json, .ndjson, .csv],
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let old = try RingInput.nodes(invocation)
        let new = try RingInput.nodes(invocation, list: DiffOption.to, file: DiffOption.toFile)
        let algorithm = RingInput.algorithm(invocation)
        let options = try RingInput.options(invocation)
        let oldRing = try RingInput.ring(algorithm, nodes: old, options: options)
        let newRing = try RingInput.ring(algorithm, nodes: new, options: options, list: DiffOption.to)
        let movement = Movement.space(from: oldRing, to: newRing)
        var keys: Movement?
        if let path = invocation.value(DiffOption.keysFile) {
            var counter = KeyMovementCounter(old: oldRing.reset(), new: newRing.reset())
            var splitter = LineSplitter(source: path)
            let add = { (key: UnsafeRawBufferPointer) in counter.add(key) }
            try InputFile.stream(path) { (block) throws(ScaleError) in try splitter.feed(block, add) }
            try splitter.finish(add)
            keys = counter.result()
        }
        let churn = movement.movedUnits > movement.lowerBoundUnits || (keys.map { $0.movedUnits > $0.lowerBoundUnits } ?? false)
        let status: ExitCode = churn ? .warning : .ok
        context.emit(report(movement, keys: keys, algorithm: algorithm, old: oldRing, new: newRing, status: status), format: invocation.format)
        return status
    }

    /// A row: hash space (and with --keys-file, keys) whose owner changes from one node to another.
    struct Move {
        var from: String
        var to: String
        var movedRatio: Double
        /// Keys of --keys-file that move; nil without it.
        var keysMoved: Int64?
    }

    static let columns: [Column<Move>] = [
        Column("from", .text, \.from),
        Column("to", .text, \.to),
        Column("moved_ratio", .ratio(places: 2), title: "MOVED", \.movedRatio),
    ]
    static let keyColumns: [Column<Move>] = [Column("keys_moved", .integer, \.keysMoved)]

    /// The whole change: the hash space moved next to its lower bound, and the keys' with --keys-file.
    struct Summary {
        var algorithm: Algorithm
        var space: Movement
        var keys: Movement?
        var status: ExitCode
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("algorithm", .text, \.algorithm.rawValue),
        Column("moved_ratio", .ratio(places: 2), \.space.movedRatio),
        Column("lower_bound_ratio", .ratio(places: 2), \.space.lowerBoundRatio),
        Column("avoidable_ratio", .ratio(places: 2), \.space.avoidableRatio),
        Column("between_survivors_ratio", .ratio(places: 2), \.space.betweenSurvivorsRatio),
    ]
    static let keySummaryColumns: [Column<Summary>] = [
        Column("keys", .integer) { $0.keys.map { Int64($0.total) } },
        Column("keys_moved", .integer) { $0.keys.map { Int64($0.movedUnits) } },
        Column("keys_lower_bound", .integer) { $0.keys.map { Int64($0.lowerBoundUnits) } },
    ]
    static let statusColumn = Column<Summary>("status", .status, \.status.description)

    static func report(_ movement: Movement, keys: Movement?, algorithm: Algorithm, old: any ConsistentHash, new: any ConsistentHash, status: ExitCode) -> Report {
        var keyMoves: [String: UInt128] = [:]
        if let keys {
            for move in keys.transfers {
                keyMoves["\(keys.nodes[move.from])\u{0}\(keys.nodes[move.to])"] = UInt128((move.ratio * Double(keys.total)).rounded())
            }
        }
        var moves: [Move] = []
        for move in movement.transfers {
            let (from, to) = (movement.nodes[move.from], movement.nodes[move.to])
            moves.append(Move(from: from, to: to, movedRatio: move.ratio,
                              keysMoved: keys == nil ? nil : Int64(keyMoves.removeValue(forKey: "\(from)\u{0}\(to)") ?? 0)))
        }
        // Moves only the key set shows (a sampled algorithm's generated keys may miss a rare pair).
        if let keys {
            for move in keys.transfers where keyMoves["\(keys.nodes[move.from])\u{0}\(keys.nodes[move.to])"] != nil {
                moves.append(Move(from: keys.nodes[move.from], to: keys.nodes[move.to], movedRatio: 0,
                                  keysMoved: Int64((move.ratio * Double(keys.total)).rounded())))
            }
        }
        var notes: [String] = []
        if case .simulation(let count) = movement.method {
            notes.append("hash space measured with \(count) generated keys: \(algorithm.rawValue) has no ring to compare arc by arc")
        }
        if movement.movedUnits > movement.lowerBoundUnits {
            notes.append("avoidable churn: \(Format.percent(movement.avoidableRatio)) of the hash space moves beyond the lower bound, \(Format.percent(movement.betweenSurvivorsRatio)) of it between nodes in both lists" + cause(old, new))
        }
        notes += RingInput.clientLimitNotes(old, new)
        let withKeys = keys != nil
        return Report(command: "ring diff", columns: columns + (withKeys ? keyColumns : []), rows: moves,
                      summaryColumns: summaryColumns + (withKeys ? keySummaryColumns : []) + [statusColumn],
                      summary: Summary(algorithm: algorithm, space: movement, keys: keys, status: status), notes: notes)
    }

    /// Why this algorithm churned, in its own terms.
    static func cause(_ old: any ConsistentHash, _ new: any ConsistentHash) -> String {
        if let a = old as? KetamaRing, let b = new as? KetamaRing {
            // Two causes: a server's exact share moved (the total weight changed), or only
            // libmemcached's float floor did (equal shares, e.g. 24 → 25 equal servers: 160 → 156).
            var rescaled: [String] = [], floored: [String] = []
            for (i, node) in a.nodes.enumerated() {
                if let j = b.nodes.firstIndex(where: { $0.host.lowercased() == node.host.lowercased() && $0.port == node.port }),
                   b.nodes[j].weight == node.weight, b.pointCounts[j] != a.pointCounts[i] {
                    let change = "\(node.name) \(a.pointCounts[i])→\(b.pointCounts[j])"
                    if a.exactPointCounts[i] == b.exactPointCounts[j] { floored.append(change) } else { rescaled.append(change) }
                }
            }
            func listed(_ changes: [String]) -> String {
                "\(changes.count) unchanged server\(changes.count == 1 ? "" : "s") (" + changes.prefix(5).joined(separator: ", ") + (changes.count > 5 ? ", …" : "") + ")"
            }
            var causes: [String] = []
            if !rescaled.isEmpty {
                causes.append("weighted ketama rescaled the points of \(listed(rescaled)) because the total weight changed")
            }
            if !floored.isEmpty {
                causes.append("libmemcached's 32-bit float floor changed the points of \(listed(floored)) though their share did not: it drops a group of 4 points from the exact share at some server counts")
            }
            if !causes.isEmpty { return "; " + causes.joined(separator: "; ") }
        }
        if old is MaglevTable { return "; Maglev refills its whole table, so a few entries change hands between nodes that stayed" }
        if old is BoundedLoads { return "; bounded loads moves keys when capacities change" }
        if old is JumpHash { return "; jump renumbers buckets unless the node leaving is the last one" }
        return ""
    }
}

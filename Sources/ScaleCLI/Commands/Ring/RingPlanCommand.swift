import Glibc
import HashRing
import ScaleCore

/// `scalectl ring plan`: each node's exact share, balance figures, the vnode search and the
/// side-by-side comparison of algorithms.
enum RingPlanCommand {
    enum PlanOption {
        static let targetBalance = OptionSpec("target-balance", value: "RATIO", help: "find the smallest vnode count whose peak-to-mean is at most RATIO (1.05 or 5%)")
        static let compare = OptionSpec("compare", help: "compare every algorithm on the same nodes")
    }

    static let spec = CommandSpec(
        "plan",
        summary: "show how evenly a ring spreads the hash space",
        discussion: """
        For each node: its weight, its points, its share of the hash space and its fair share \
        w/W. Shares are exact, not sampled: for ketama and vnodes each node's arcs (from the \
        point before each of its points up to that point, wrapping) summed over the 2^32 or 2^64 \
        space; for maglev its table entries divided by M; for jump w/W = 1/n and for rendezvous \
        w/W, the exact expectation; for multiprobe the exact expectation from the arcs with k \
        independent uniform probes. Bounded loads depends on key order and is simulated with \
        100000 generated keys (key-0, key-1, ...). The summary gives peak_to_mean (the largest \
        share divided by its fair share: 1.05 means the busiest node gets 5% more than its fair \
        share), the coefficient of variation of share/fair weighted by fair share (for equal \
        weights: the standard deviation of the shares over their mean), and the smallest and \
        largest share. The table format ends with a bar chart of the shares. --target-balance R \
        (1.05, or 5%) finds the smallest vnode count with peak-to-mean at most R: ketama points \
        per server (multiples of 4), vnodes per unit of weight, or multiprobe probes. Every count \
        up to the largest tried is evaluated exactly, by building the largest ring once and \
        taking points away (rings with fewer vnodes are subsets of rings with more); it exits 1 \
        when no count up to 65536 (fewer where the ring would pass 4 Mi points) meets the target. \
        --compare puts all the algorithms side by \
        side on the same nodes: balance, memory, lookup cost (lookup_ns is measured on this \
        machine over 20000 generated keys), and the hash space moved when a node joins (a node \
        named new-node with the first node's weight) or the last node leaves, next to the lower \
        bound of 'ring diff'.
        """,
        options: RingCommand.nodeOptions + RingCommand.algorithmOptions + [PlanOption.targetBalance, PlanOption.compare],
        examples: [
            Example("Shares of a three-server memcached ring, as libmemcached builds it",
                    ["ring", "plan", "--nodes", "cache-a:11211,cache-b:11211,cache-c:11211"]),
            Example("How many vnodes for at most 5% imbalance on 40 nodes?",
                    ["ring", "plan", "--nodes-file", "demo/ring-nodes-40.txt", "--algorithm", "vnodes", "--target-balance", "1.05", "-o", "json"]),
            Example("Weighted ketama loses points to 32-bit float rounding (28 and 188, not 32 and 192)",
                    ["ring", "plan", "--nodes", "a=1,b=6,c=6,d=6,e=6", "-o", "csv"],
                    output: """
                    node,weight,points,share_ratio,fair_ratio,load_factor\r
                    a,1,28,0.02870577364228666,0.04,0.7176443410571665\r
                    b,6,188,0.2491597596090287,0.24,1.0381656650376196\r
                    c,6,188,0.23015010124072433,0.24,0.9589587551696848\r
                    d,6,188,0.2419716331642121,0.24,1.0082151381842173\r
                    e,6,188,0.2500127323437482,0.24,1.041719718098951\r

                    """),
            Example("Every algorithm side by side", ["ring", "plan", "--nodes", "a,b,c,d", "--compare"]),
        ],
        formats: [.table, .json, .ndjson, .csv, .prometheus],
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let nodes = try RingInput.nodes(invocation)
        var options = try RingInput.options(invocation)
        let algorithm = RingInput.algorithm(invocation)
        if invocation.flag(PlanOption.compare) {
            guard !invocation.has(PlanOption.targetBalance) else {
                throw .usage("--compare and --target-balance both given", at: "--target-balance", fix: "run them one at a time")
            }
            context.emit(try RingCompare.report(nodes: nodes, options: options), format: invocation.format)
            return .ok
        }
        var status = ExitCode.ok
        var search: TargetSearch?
        var notes: [String] = []
        if let text = invocation.value(PlanOption.targetBalance) {
            let target = try parseTarget(text)
            let result: BalanceSearch.Result
            do {
                result = try BalanceSearch.search(algorithm, nodes: nodes, target: target, options: options)
            } catch {
                throw .usage(error.reason, about: error.parameter, fix: error.fix)
            }
            let knob = algorithm == .multiprobe ? "probes" : "vnodes"
            let chosen = result.value ?? result.bestValue
            if algorithm == .multiprobe { options.probes = chosen } else { options.vnodes = chosen }
            search = TargetSearch(knob: knob, target: target, met: result.value != nil, chosen: chosen)
            let what = algorithm == .ketama ? "points per server" : algorithm == .vnodes ? "vnodes per unit of weight" : "probes per key"
            if result.value != nil {
                notes.append("smallest \(what) with peak-to-mean ≤ \(Format.shortest(target)): \(chosen) (every count up to \(result.searchedUpTo) evaluated)")
            } else {
                notes.append("no count of \(what) up to \(result.searchedUpTo) reaches peak-to-mean ≤ \(Format.shortest(target)); the best, \(chosen), gives \(Format.decimal(result.peakToMean, places: 4))")
                status = .warning
            }
        }
        let ring = try RingInput.ring(algorithm, nodes: nodes, options: options)
        var (report, shares) = planReport(ring, search: search)
        report.notes = RingInput.notes(ring) + RingInput.roundingNotes(ring) + notes
        var text = invocation.format.render(report, options: context.renderOptions)
        if invocation.format == .table {
            text += "\n" + BarChart.render(names: nodes.map(\.name), shares: shares.map(\.share), fair: shares.map(\.fair),
                                           width: context.renderOptions.width, color: context.renderOptions.color)
        }
        context.console.write(text)
        return status
    }

    static func parseTarget(_ text: String) throws(ScaleError) -> Double {
        var body = text.trimmingSpaces
        let percent = body.hasSuffix("%")
        if percent { body.removeLast() }
        guard let number = Double(body), number.isFinite else {
            throw .usage("'\(text)' is not a peak-to-mean ratio", at: "--target-balance", fix: "write 1.05, or 5% for 5% above the mean")
        }
        let target = percent ? 1 + number / 100 : number
        guard target >= 1, target <= 100 else {
            throw .usage("'\(text)' is not a reachable peak-to-mean (it is at least 1)", at: "--target-balance", fix: "write 1.05, or 5% for 5% above the mean")
        }
        return target
    }

    /// A row of the plan: one node's share of the hash space next to its fair share.
    struct NodeShare {
        var node: RingNode
        /// Points or table entries, for the algorithms that have them.
        var points: Int?
        var share: Double
        var fair: Double
        var load: Double
    }

    static let columns: [Column<NodeShare>] = [
        Column("node", .text, \.node.name),
        Column("weight", .integer, \.node.weight),
        Column("points", .integer, \.points),
        Column("share_ratio", .ratio(places: 2), title: "SHARE", help: "the node's share of the hash space", \.share),
        Column("fair_ratio", .ratio(places: 2), title: "FAIR", help: "the node's weight over the total weight", \.fair),
        Column("load_factor", .number(places: 3), title: "SHARE/FAIR", help: "share divided by fair share", \.load),
    ]

    /// The ring's balance as a whole.
    struct Summary {
        var ring: any ConsistentHash
        var points: [Int]?
        var balance: Balance
        var method: Shares.Method
        var search: TargetSearch?
    }

    /// What --target-balance found: the smallest count of `knob` that meets the target, or the best.
    struct TargetSearch {
        var knob: String
        var target: Double
        var met: Bool
        var chosen: Int
    }

    static let summaryColumns: [Column<Summary>] = [
        Column("algorithm", .text, \.ring.algorithm.rawValue),
        Column("nodes", .integer, \.ring.nodes.count),
        Column("points_total", .integer) { $0.points?.reduce(0, +) },
        Column("peak_to_mean", .number(places: 4), \.balance.peakToMean),
        Column("coefficient_of_variation", .number(places: 4), \.balance.coefficientOfVariation),
        Column("min_share_ratio", .ratio(places: 2), \.balance.minShare),
        Column("max_share_ratio", .ratio(places: 2), \.balance.maxShare),
        Column("memory_bytes", .bytes, \.ring.memoryBytes),
        Column("shares_method", .text, \.method.text),
    ]

    static func searchColumns(knob: String) -> [Column<Summary>] {
        [
            Column("target_balance", .number(places: 3)) { $0.search?.target },
            Column("target_met", .bool) { $0.search?.met },
            Column(knob, .integer) { $0.search?.chosen },
        ]
    }

    /// The report and its rows, which the table's bar chart draws too.
    static func planReport(_ ring: any ConsistentHash, search: TargetSearch? = nil) -> (Report, [NodeShare]) {
        let shares = ring.shares()
        let balance = Balance(shares: shares.ratios, weights: ring.nodes.map(\.weight))
        let points = pointCounts(ring)
        let rows = ring.nodes.indices.map { i in
            NodeShare(node: ring.nodes[i], points: points?[i], share: balance.shares[i], fair: balance.fairShares[i], load: balance.loads[i])
        }
        let report = Report(command: "ring plan", columns: columns, rows: rows,
                            summaryColumns: summaryColumns + (search.map { searchColumns(knob: $0.knob) } ?? []),
                            summary: Summary(ring: ring, points: points, balance: balance, method: shares.method, search: search))
        return (report, rows)
    }

    /// Points (or table entries) per node, for the algorithms that have them.
    static func pointCounts(_ ring: any ConsistentHash) -> [Int]? {
        switch ring {
        case let ketama as KetamaRing: return ketama.pointCounts
        case let vnodes as VnodeRing: return vnodes.nodes.map { $0.weight * vnodes.vnodesPerWeight }
        case let bounded as BoundedLoads: return bounded.nodes.map { $0.weight * bounded.ring.vnodesPerWeight }
        case let maglev as MaglevTable:
            var counts = [Int](repeating: 0, count: maglev.nodes.count)
            for entry in maglev.table { counts[Int(entry)] += 1 }
            return counts
        case let multi as MultiProbe: return [Int](repeating: 1, count: multi.nodes.count)
        default: return nil
        }
    }
}

/// A bar per node, scaled so the largest share fills the width; `|` marks the fair share.
enum BarChart {
    static func render(names: [String], shares: [Double], fair: [Double], width: Int?, color: Bool) -> String {
        let style = TextStyle(enabled: color)
        let labels = names.map { TableRenderer.cell(.text($0), kind: .text) }
        let labelWidth = min(40, labels.map { DisplayWidth.of($0) }.max() ?? 0)
        let barWidth = max(10, min(50, (width ?? 80) - labelWidth - 12))
        let top = max(shares.max() ?? 0, fair.max() ?? 0)
        guard top > 0 else { return "" }
        var out = "share of the hash space (| marks the fair share):\n"
        let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        for (i, label) in labels.enumerated() {
            let cells = shares[i] / top * Double(barWidth)
            let whole = Int(cells)
            let part = Int((cells - Double(whole)) * 8)
            var bar = String(repeating: "█", count: whole) + eighths[part]
            let mark = min(barWidth - 1, Int(fair[i] / top * Double(barWidth)))
            var padded = Array(bar) + Array(repeating: " ", count: max(0, barWidth - bar.count))
            if mark >= 0, mark < padded.count, padded[mark] == " " { padded[mark] = "|" }
            bar = String(padded)
            let name = DisplayWidth.truncate(label, to: labelWidth)
            let pad = String(repeating: " ", count: labelWidth - DisplayWidth.of(name))
            out += "\(name)\(pad) \(style.green(bar)) \(Format.percent(shares[i], places: 2))\n"
        }
        return out
    }
}

/// `ring plan --compare`: every algorithm on the same nodes.
enum RingCompare {
    static let timedKeys = 20_000
    static let sampleKeys = 50_000

    /// A row: one algorithm on the nodes; nothing measured when it cannot weigh them.
    struct Candidate {
        var algorithm: Algorithm
        var measured: Measured?
    }

    struct Measured {
        var balance: Balance
        var memoryBytes: Int
        var lookupCost: String
        var lookupNanoseconds: Double
        var joining: Movement
        /// Nil for a single node, which cannot leave.
        var leaving: Movement?
    }

    static let columns: [Column<Candidate>] = [
        Column("algorithm", .text, \.algorithm.rawValue),
        Column("peak_to_mean", .number(places: 4)) { $0.measured?.balance.peakToMean },
        Column("coefficient_of_variation", .number(places: 4), title: "CV") { $0.measured?.balance.coefficientOfVariation },
        Column("memory_bytes", .bytes, title: "MEMORY") { $0.measured?.memoryBytes },
        Column("lookup", .text, title: "LOOKUP COST") { $0.measured?.lookupCost },
        Column("lookup_ns", .number(places: 0), title: "NS/LOOKUP", help: "measured nanoseconds per lookup on this machine") {
            $0.measured?.lookupNanoseconds
        },
        Column("moved_on_join_ratio", .ratio(places: 2), title: "JOIN MOVES") { $0.measured?.joining.movedRatio },
        Column("join_lower_bound_ratio", .ratio(places: 2), title: "JOIN BOUND") { $0.measured?.joining.lowerBoundRatio },
        Column("moved_on_leave_ratio", .ratio(places: 2), title: "LEAVE MOVES") { $0.measured?.leaving?.movedRatio },
        Column("leave_lower_bound_ratio", .ratio(places: 2), title: "LEAVE BOUND") { $0.measured?.leaving?.lowerBoundRatio },
    ]

    static func report(nodes: [RingNode], options: RingOptions) throws(ScaleError) -> Report {
        let added = addedNode(nodes)
        var rows: [Candidate] = []
        var notes: [String] = []
        let keys = (0..<timedKeys).map { SampleKeys.key($0) }
        for algorithm in Algorithm.allCases {
            if !algorithm.supportsWeights, nodes.contains(where: { $0.weight != nodes[0].weight }) {
                rows.append(Candidate(algorithm: algorithm))
                notes.append("\(algorithm.rawValue) has no weights, so it is left out for these weighted nodes")
                continue
            }
            let ring = try RingInput.ring(algorithm, nodes: nodes, options: options)
            let grown = Movement.space(from: ring, to: try RingInput.ring(algorithm, nodes: nodes + [added], options: options), sampleKeys: sampleKeys)
            var shrunk: Movement?
            if nodes.count > 1 {
                shrunk = Movement.space(from: ring, to: try RingInput.ring(algorithm, nodes: Array(nodes.dropLast()), options: options), sampleKeys: sampleKeys)
            }
            rows.append(Candidate(algorithm: algorithm, measured: Measured(
                balance: Balance(ring), memoryBytes: ring.memoryBytes, lookupCost: ring.lookupCost,
                lookupNanoseconds: lookupNanoseconds(ring.reset(), keys), joining: grown, leaving: shrunk)))
        }
        notes.append("joining: \(added.name) (weight \(added.weight)); leaving: \(nodes.last!.name). jump, rendezvous, multiprobe and bounded movement from \(sampleKeys) generated keys; the rest exact")
        return Report(command: "ring plan", columns: columns, rows: rows, notes: notes)
    }

    /// A node that is not in the list, on the first node's port, with the first node's weight.
    static func addedNode(_ nodes: [RingNode]) -> RingNode {
        let port = nodes[0].port
        var host = "new-node"
        var suffix = 2
        let taken = Set(nodes.map { $0.host.lowercased() })
        while taken.contains(host) { host = "new-node-\(suffix)"; suffix += 1 }
        return RingNode(name: port == RingNode.memcachedPort ? host : "\(host):\(port)", host: host, port: port, weight: nodes[0].weight)
    }

    static func lookupNanoseconds(_ ring: any ConsistentHash, _ keys: [[UInt8]]) -> Double {
        var sink = 0
        let start = monotonicNanoseconds()
        for key in keys { sink &+= key.withUnsafeBytes { ring.owner(of: $0) } }
        let elapsed = monotonicNanoseconds() - start
        if sink == -1 { return 0 }
        return Double(elapsed) / Double(keys.count)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

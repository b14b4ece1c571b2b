/// Makes a balanced scope's plan minimal: cancels improving cycles until none is left, so the
/// plan moves the fewest replicas any plan can (min-cost flow by cycle cancelling).
///
/// Placing the replicas is a min-cost flow — partition → (rack) → broker → sink, one unit per
/// replica, each broker's flow within its [low, high] targets, each rack's within the partition's
/// even spread — whose cost is the net moves, Σ |after \ before|. A balanced placement is
/// minimal exactly when its residual graph has no negative cycle. Collapsed onto brokers, an
/// arc a → b is the cheapest single move of a partition from a to b the rules allow (cost
/// [b ∉ before] − [a ∉ before]: −1 sends a moved replica home, +1 moves one that never moved),
/// and a node T closes paths: b → T when b may gain one (count < high), T → a when a may lose
/// one (count > low). Any improving change splits into such single moves (a partition's
/// departures and arrivals re-paired so each is allowed alone), so no negative cycle here means
/// none there.
/// The greedy is usually at the optimum already, so this runs only when it is over the bound,
/// and each cycle saves at least one move.
struct MinimalMoves {
    let state: PlannerState
    let partitions: [Int]
    let targets: WeightedTargets
    let before: [[Int]]
    let inScope: [Bool]

    init(state: PlannerState, partitions: [Int], targets: WeightedTargets, before: [[Int]]) {
        self.state = state
        self.partitions = partitions
        self.targets = targets
        self.before = before
        var inScope = Array(repeating: false, count: state.replicas.count)
        for p in partitions { inScope[p] = true }
        self.inScope = inScope
    }

    /// Moves in scope: replicas now on a broker that did not hold them before.
    var moves: Int {
        partitions.reduce(0) { total, p in total + state.replicas[p].filter { !before[p].contains($0) }.count }
    }

    /// Cancels negative cycles until none is left, and returns the residual graph of the minimal
    /// plan (for `binding`). Returns nil if a cycle could not be applied (a partition used twice
    /// in it that the rack rule refuses together): the plan is then valid but not proven minimal.
    ///
    /// The collapsed graph is built once and then kept up to date: a move of p from x to y
    /// changes only the arcs out of x (it lost p), out of p's holders (p's brokers and rack
    /// tally changed, y among them) and the arcs between T and x or y (their counts changed),
    /// so each saved move costs a few rows, not the whole graph.
    func run() -> ResidualGraph? {
        var graph = ResidualGraph(brokers: state.brokerCount)
        for p in partitions { for b in state.replicas[p] { graph.counts[b] += 1 } }
        for a in 0..<state.brokerCount { fillRow(a, &graph) }
        while let cycle = graph.negativeCycle() {
            guard let made = apply(cycle) else { return nil }
            var rows = Set<Int>()
            for move in made {
                graph.counts[move.from] -= 1
                graph.counts[move.to] += 1
                rows.insert(move.from)
                rows.formUnion(state.replicas[move.p])
            }
            for a in rows.sorted() { fillRow(a, &graph) }
        }
        return graph
    }

    /// What moving p's replica from a to b adds to the net moves.
    private func cost(_ p: Int, from a: Int, to b: Int) -> Int {
        (before[p].contains(b) ? 0 : 1) - (before[p].contains(a) ? 0 : 1)
    }

    /// Recomputes broker a's arcs: a → b, the cheapest move of one of a's partitions to b the
    /// rules allow; a → T and T → a from a's count against its targets. The rack rule for a
    /// move of p out of a depends only on the target's rack, so it is asked once per rack, and
    /// the class's arrays are read into locals once (this is the exact step's inner loop).
    private func fillRow(_ a: Int, _ graph: inout ResidualGraph) {
        let n = state.brokerCount, size = n + 1, sink = n
        for b in 0..<size { graph.arc[a * size + b] = Int.max }
        graph.arc[sink * size + a] = Int.max
        guard state.isTarget[a] else { return }
        let isTarget = state.isTarget, rack = state.rack, rackCount = state.rackCount
        var representative = Array(repeating: -1, count: rackCount)
        for b in 0..<n where isTarget[b] && rack[b] >= 0 && representative[rack[b]] < 0 { representative[rack[b]] = b }
        var rackAllowed = Array(repeating: true, count: rackCount)
        for p in state.holdings[a] where inScope[p] {
            let holders = state.replicas[p], previous = before[p]
            let departure = previous.contains(a) ? 0 : 1
            if rackCount > 0 {
                let tally = state.rackTally(p)
                for k in 0..<rackCount {
                    rackAllowed[k] = representative[k] >= 0 && state.rackAllows(p, from: a, to: representative[k], tally: tally)
                }
            }
            for b in 0..<n where isTarget[b] && !holders.contains(b) {
                // With racks every target broker has one (ClusterSpec refuses a target without).
                if rackCount > 0 { guard rackAllowed[rack[b]] else { continue } }
                let c = (previous.contains(b) ? 0 : 1) - departure
                if c < graph.arc[a * size + b] { graph.arc[a * size + b] = c }
            }
        }
        if graph.counts[a] < targets.high[a] { graph.arc[a * size + sink] = 0 }
        if graph.counts[a] > targets.low[a] { graph.arc[sink * size + a] = 0 }
    }

    /// The rule that forces a minimal plan over the bound, read off the exact search's dual.
    /// With no negative cycle left, dist(u, v) — the cheapest path in the residual graph — says
    /// what relaxing one rule would buy: a move the rules refuse, of p from a to b at cost c,
    /// would close a negative cycle exactly when c + dist(b, a) < 0, and a broker allowed one
    /// replica more (an arc b → T) or one fewer (T → b) exactly when dist(T, b) < 0 or
    /// dist(b, T) < 0. Those refusals are the binding constraints; the one that saves the most
    /// (then rack spread before distinct brokers before broker shares) is named, with every
    /// refused move of the same rule and place.
    func binding(_ graph: ResidualGraph) -> BindingRule? {
        let n = state.brokerCount, size = n + 1, sink = n
        let dist = graph.allPairsDistances()
        func d(_ u: Int, _ v: Int) -> Int? { dist[u * size + v] == Int.max ? nil : dist[u * size + v] }
        var found: [BindingRule] = []
        func add(_ kind: BindingRule.Kind, saving: Int, move: BindingRule.Move?) {
            if let index = found.firstIndex(where: { $0.kind == kind }) {
                found[index].saving = max(found[index].saving, saving)
                if let move { found[index].moves.append(move) }
            } else {
                found.append(BindingRule(kind: kind, saving: saving, moves: move.map { [$0] } ?? []))
            }
        }
        for a in 0..<n where state.isTarget[a] {
            for p in state.holdings[a] where inScope[p] {
                let tally = state.rackTally(p)
                let bounds = state.rackBounds(state.replicas[p].count)
                for b in 0..<n where b != a && state.isTarget[b] {
                    guard let back = d(b, a) else { continue }
                    let duplicate = state.replicas[p].contains(b)
                    // A second copy on b is never the replica that was there before: it arrives as a move.
                    let c = duplicate ? 1 - (before[p].contains(a) ? 0 : 1) : cost(p, from: a, to: b)
                    guard c + back < 0 else { continue }
                    let move = BindingRule.Move(partition: p, from: a, to: b)
                    if duplicate {
                        add(.oneReplicaPerBroker(broker: b), saving: -(c + back), move: move)
                    } else if !state.rackAllows(p, from: a, to: b, tally: tally) {
                        if tally[state.rack[b]] + 1 > bounds.high {
                            add(.rackFull(rack: state.rack[b], high: bounds.high), saving: -(c + back), move: move)
                        } else {
                            add(.rackShort(rack: state.rack[a], low: bounds.low), saving: -(c + back), move: move)
                        }
                    }
                }
            }
            if graph.arc[a * size + sink] == Int.max, let path = d(sink, a), path < 0 {
                add(.brokerHigh(broker: a, high: targets.high[a]), saving: -path, move: nil)
            }
            if graph.arc[sink * size + a] == Int.max, let path = d(a, sink), path < 0 {
                add(.brokerLow(broker: a, low: targets.low[a]), saving: -path, move: nil)
            }
        }
        return found.enumerated().min { x, y in
            (-x.element.saving, x.element.kind.order, x.offset) < (-y.element.saving, y.element.kind.order, y.offset)
        }?.element
    }

    /// Applies the cycle's moves in order, each with the cheapest partition still allowed once
    /// the earlier ones are made; undoes them all (and returns nil) if one has none or the
    /// total does not save.
    private func apply(_ cycle: [Int]) -> [(p: Int, from: Int, to: Int)]? {
        let sink = state.brokerCount
        var made: [(p: Int, from: Int, to: Int)] = []
        var total = 0
        for (index, a) in cycle.enumerated() {
            let b = cycle[(index + 1) % cycle.count]
            guard a != sink, b != sink else { continue }
            var best: (cost: Int, p: Int)?
            for p in state.holdings[a] where inScope[p] && !state.replicas[p].contains(b) && state.rackAllows(p, from: a, to: b) {
                let c = cost(p, from: a, to: b)
                if best == nil || c < best!.cost { best = (c, p) }
            }
            guard let best else { break }
            state.move(best.p, from: a, to: b)
            made.append((best.p, a, b))
            total += best.cost
        }
        // A cycle through T has two arcs at T that move nothing.
        if made.count == cycle.count - (cycle.contains(sink) ? 2 : 0), total < 0 { return made }
        for move in made.reversed() { state.move(move.p, from: move.to, to: move.from) }
        return nil
    }
}

/// Brokers + T as a dense arc-cost matrix (clusters have at most a few hundred brokers), with
/// the scope's replica count per broker that the arcs at T follow.
struct ResidualGraph {
    /// arc[u * (n + 1) + v]: the cost of u → v, Int.max when there is none; T is node n.
    var arc: [Int]
    var counts: [Int]
    let size: Int

    init(brokers n: Int) {
        size = n + 1
        arc = Array(repeating: Int.max, count: size * size)
        counts = Array(repeating: 0, count: n)
    }

    /// Floyd–Warshall: the cheapest path between every pair of nodes (Int.max: none), valid
    /// once no negative cycle is left. O((n + 1)³), once per scope that is over its bound.
    func allPairsDistances() -> [Int] {
        var dist = arc
        for u in 0..<size { dist[u * size + u] = min(dist[u * size + u], 0) }
        for k in 0..<size {
            let rowK = k * size
            for u in 0..<size {
                let viaK = dist[u * size + k]
                guard viaK != Int.max else { continue }
                let rowU = u * size
                for v in 0..<size where dist[rowK + v] != Int.max && viaK + dist[rowK + v] < dist[rowU + v] {
                    dist[rowU + v] = viaK + dist[rowK + v]
                }
            }
        }
        return dist
    }

    /// Bellman–Ford with every node starting at distance 0. A cycle in the parent pointers is
    /// always a negative one, so each round ends with an O(n) look for one: the search stops
    /// at the first, usually a few rounds in, instead of after n rounds. Returns the cycle's
    /// nodes in arc order.
    func negativeCycle() -> [Int]? {
        var distance = Array(repeating: 0, count: size)
        var parent = Array(repeating: -1, count: size)
        var walk = Array(repeating: -1, count: size)
        for round in 0..<size {
            var changed = false
            for u in 0..<size {
                let row = u * size
                for v in 0..<size where arc[row + v] != Int.max && distance[u] + arc[row + v] < distance[v] {
                    distance[v] = distance[u] + arc[row + v]
                    parent[v] = u
                    changed = true
                }
            }
            guard changed else { return nil }
            // Walk up from every node, marking nodes with the walk's start and round; meeting a
            // node of the current walk closes a cycle.
            for start in 0..<size where walk[start] < round * size {
                var v = start
                while v >= 0 && walk[v] < round * size {
                    walk[v] = round * size + start
                    v = parent[v]
                }
                guard v >= 0, walk[v] == round * size + start else { continue }
                var cycle = [v]
                var u = parent[v]
                while u != v {
                    cycle.append(u)
                    u = parent[u]
                }
                return cycle.reversed()
            }
        }
        return nil
    }
}

/// A placement rule that forces a minimal plan over its lower bound: relaxing it once would
/// let the exact search save `saving` moves.
struct BindingRule {
    enum Kind: Equatable {
        /// Moving p's replica into the broker's rack would put more than `high` of p there.
        case rackFull(rack: Int, high: Int)
        /// Moving p's replica out of the rack would leave fewer than `low` of p there.
        case rackShort(rack: Int, low: Int)
        /// The broker already holds the partition.
        case oneReplicaPerBroker(broker: Int)
        /// The broker may hold at most `high` of the scope's replicas.
        case brokerHigh(broker: Int, high: Int)
        /// The broker must keep at least `low`.
        case brokerLow(broker: Int, low: Int)

        /// Tie-break: the rules a user can act on by placement first.
        var order: Int {
            switch self {
            case .rackFull, .rackShort: return 0
            case .oneReplicaPerBroker: return 1
            case .brokerHigh, .brokerLow: return 2
            }
        }
    }

    struct Move: Equatable {
        var partition: Int
        var from: Int
        var to: Int
    }

    var kind: Kind
    var saving: Int
    /// The refused moves, in the order found (by source broker, then partition, then target).
    var moves: [Move]
}

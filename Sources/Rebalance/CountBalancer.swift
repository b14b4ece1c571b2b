/// Brings one scope's replica counts (all partitions, or one topic's) within their weighted
/// targets with as few moves as the constraints allow.
///
/// Exact greedy: with deficit D = Σ max(0, low − count) and excess E = Σ max(0, count − high),
/// no plan does better than max(D, E) moves. Each move taken here either goes from a broker
/// above `high` to one below `low` (D and E both fall by one), or — when one side is already
/// zero — from above `high` into a broker below `high`, or from above `low` into a broker below
/// `low` (the positive side falls by one, the other stays zero). So every move lowers
/// max(D, E) by one and the plan meets the bound unless the placement rules (distinct brokers,
/// rack spread) leave no such move; then a move that lowers D + E by one is taken instead and
/// the gap is reported.
struct CountBalancer {
    let state: PlannerState
    let partitions: [Int]
    let inScope: [Bool]
    var targets: WeightedTargets
    /// The scope's counts per broker (equal to the global counts for the global scope).
    var counts: [Int]
    let topicTargets: [WeightedTargets]
    let globalTargets: WeightedTargets
    let perTopic: Bool

    init(state: PlannerState, partitions: [Int], perTopic: Bool, topicTargets: [WeightedTargets], globalTargets: WeightedTargets) {
        self.state = state
        self.partitions = partitions
        var inScope = Array(repeating: false, count: state.replicas.count)
        var counts = Array(repeating: 0, count: state.brokerCount)
        for p in partitions {
            inScope[p] = true
            for b in state.replicas[p] { counts[b] += 1 }
        }
        self.inScope = inScope
        self.counts = counts
        self.targets = state.replicaTargets(partitions)
        self.topicTargets = topicTargets
        self.globalTargets = globalTargets
        self.perTopic = perTopic
    }

    /// Returns the number of moves made and whether the targets were reached.
    mutating func run() -> (moves: Int, reached: Bool) {
        var moves = fixRacks()
        var deficit = targets.deficit(counts)
        var excess = targets.excess(counts)
        // Single moves lower D + E by at least one; a chain normally does too, but one broken
        // half-way might not, so a generous cap guarantees the loop ends.
        var budget = partitions.reduce(0) { $0 + state.replicas[$1].count } * 4 + 64
        while deficit > 0 || excess > 0 {
            budget -= 1
            if budget < 0 { return (moves + drain(), false) }
            if let (p, from, to) = nextMove(deficit: deficit, excess: excess) {
                apply(p, from: from, to: to)
                moves += 1
            } else if let path = chainedMoves(deficit: deficit, excess: excess) {
                moves += path
            } else {
                return (moves + drain(), false)
            }
            deficit = targets.deficit(counts)
            excess = targets.excess(counts)
        }
        return (moves, true)
    }

    /// When the targets cannot be met, still empty the leaving brokers: each remaining replica
    /// goes to the target broker furthest below its share that can take it.
    private mutating func drain() -> Int {
        var moves = 0
        for p in partitions {
            for from in state.replicas[p] where !state.isTarget[from] {
                let candidates = (0..<state.brokerCount).filter { to in
                    state.isTarget[to] && !state.replicas[p].contains(to) && state.rackAllows(p, from: from, to: to)
                }
                guard let to = candidates.min(by: { (Double(counts[$0]) - targets.share[$0], $0) < (Double(counts[$1]) - targets.share[$1], $1) }) else { continue }
                apply(p, from: from, to: to)
                moves += 1
            }
        }
        return moves
    }

    private mutating func apply(_ p: Int, from: Int, to: Int) {
        state.move(p, from: from, to: to)
        counts[from] -= 1
        counts[to] += 1
    }

    /// Moves replicas out of racks that hold more than their share of a partition (and into
    /// racks below theirs), choosing brokers that also help the counts.
    private mutating func fixRacks() -> Int {
        guard state.rackCount > 0 else { return 0 }
        var moves = 0
        for p in partitions {
            var guardSteps = state.replicas[p].count * 2
            while state.rackViolation(p) > 0, guardSteps > 0 {
                guardSteps -= 1
                let bounds = state.rackBounds(state.replicas[p].count)
                let tally = state.rackTally(p)
                // Leave from the most crowded rack; among its brokers, the one most above target.
                let sources = state.replicas[p].filter { state.isTarget[$0] && tally[state.rack[$0]] > bounds.low }
                    .sorted { lhs, rhs in
                        let l = (tally[state.rack[lhs]], counts[lhs] - targets.high[lhs]), r = (tally[state.rack[rhs]], counts[rhs] - targets.high[rhs])
                        return l != r ? l > r : lhs < rhs
                    }
                var moved = false
                for from in sources {
                    let candidates = (0..<state.brokerCount).filter { to in
                        state.isTarget[to] && !state.replicas[p].contains(to) && state.rack[to] != state.rack[from]
                            && tally[state.rack[to]] < bounds.high && state.rackAllows(p, from: from, to: to)
                    }
                    guard let to = candidates.min(by: { destinationOrder($0, $1, underLow: tally[state.rack[$0]] < bounds.low, tally[state.rack[$1]] < bounds.low) }) else { continue }
                    apply(p, from: from, to: to)
                    moves += 1
                    moved = true
                    break
                }
                if !moved { break }
            }
        }
        return moves
    }

    /// Rack-fix destinations: racks below their share first, then brokers furthest below target.
    private func destinationOrder(_ a: Int, _ b: Int, underLow aUnder: Bool, _ bUnder: Bool) -> Bool {
        if aUnder != bUnder { return aUnder }
        let da = counts[a] - targets.low[a], db = counts[b] - targets.low[b]
        if da != db { return da < db }
        let ga = Double(state.counts[a]) - globalTargets.share[a], gb = Double(state.counts[b]) - globalTargets.share[b]
        if ga != gb { return ga < gb }
        return a < b
    }

    /// When no single move helps (every partition that could leave a broker above target is
    /// already on, or barred by racks from, every broker below target), a chain does: a replica
    /// goes to a broker at its target and another replica leaves that broker, and so on — the
    /// ends change by one, the middle brokers not at all. Breadth-first over brokers finds the
    /// shortest chain; each link beyond the first is a move over the lower bound. Returns the
    /// moves made, or nil when no chain exists either.
    private mutating func chainedMoves(deficit: Int, excess: Int) -> Int? {
        let attempts: [(source: Side, sink: Side)] = [(.aboveHigh, .belowLow), (.aboveHigh, .belowHigh), (.aboveLow, .belowLow)]
        for (source, sink) in attempts {
            guard let path = shortestChain(from: source, to: sink) else { continue }
            var made = 0
            for (p, from, to) in path {
                // Links were found on the state before the chain; re-check each as it is applied.
                guard state.replicas[p].contains(from), !state.replicas[p].contains(to), state.rackAllows(p, from: from, to: to) else { break }
                apply(p, from: from, to: to)
                made += 1
            }
            if made > 0 { return made }
        }
        return nil
    }

    private enum Side { case aboveHigh, aboveLow, belowLow, belowHigh }

    private func matches(_ b: Int, _ side: Side) -> Bool {
        switch side {
        case .aboveHigh: return counts[b] > targets.high[b]
        case .aboveLow: return counts[b] > targets.low[b]
        case .belowLow: return state.isTarget[b] && counts[b] < targets.low[b]
        case .belowHigh: return state.isTarget[b] && counts[b] < targets.high[b]
        }
    }

    private func shortestChain(from source: Side, to sink: Side) -> [(Int, Int, Int)]? {
        let n = state.brokerCount
        var parent = Array(repeating: (broker: -1, partition: -1), count: n)
        var visited = Array(repeating: false, count: n)
        var queue: [Int] = []
        for b in 0..<n where matches(b, source) {
            visited[b] = true
            queue.append(b)
        }
        var head = 0
        while head < queue.count {
            let u = queue[head]
            head += 1
            for p in state.holdings[u] where inScope[p] {
                for v in 0..<n where !visited[v] && state.isTarget[v] && !state.replicas[p].contains(v) && state.rackAllows(p, from: u, to: v) {
                    visited[v] = true
                    parent[v] = (u, p)
                    if matches(v, sink) {
                        var path: [(Int, Int, Int)] = []
                        var node = v
                        while parent[node].broker >= 0 {
                            path.append((parent[node].partition, parent[node].broker, node))
                            node = parent[node].broker
                        }
                        return path.reversed()
                    }
                    queue.append(v)
                }
            }
        }
        return nil
    }

    private enum Kind { case excessToDeficit, excessToRoom, surplusToDeficit }

    private func nextMove(deficit: Int, excess: Int) -> (Int, Int, Int)? {
        var kinds: [Kind] = [.excessToDeficit]
        if excess > deficit { kinds += [.excessToRoom, .surplusToDeficit] } else { kinds += [.surplusToDeficit, .excessToRoom] }
        for kind in kinds {
            let sources: [Int], destinations: [Int]
            switch kind {
            case .excessToDeficit:
                sources = ranked(giving: true) { counts[$0] > targets.high[$0] } by: { counts[$0] - targets.high[$0] }
                destinations = ranked(giving: false) { state.isTarget[$0] && counts[$0] < targets.low[$0] } by: { targets.low[$0] - counts[$0] }
            case .excessToRoom:
                sources = ranked(giving: true) { counts[$0] > targets.high[$0] } by: { counts[$0] - targets.high[$0] }
                destinations = ranked(giving: false) { state.isTarget[$0] && counts[$0] < targets.high[$0] } by: { targets.high[$0] - counts[$0] }
            case .surplusToDeficit:
                sources = ranked(giving: true) { counts[$0] > targets.low[$0] } by: { counts[$0] - targets.low[$0] }
                destinations = ranked(giving: false) { state.isTarget[$0] && counts[$0] < targets.low[$0] } by: { targets.low[$0] - counts[$0] }
            }
            for from in sources {
                for to in destinations where to != from {
                    if let p = bestPartition(from: from, to: to) { return (p, from, to) }
                }
            }
        }
        return nil
    }

    /// Brokers passing `filter`, most urgent first: by `urgency`, then (for sources) the most
    /// loaded overall or (for destinations) the least loaded overall, then by broker id.
    private func ranked(giving: Bool, _ filter: (Int) -> Bool, by urgency: (Int) -> Int) -> [Int] {
        var entries: [(broker: Int, urgency: Int, load: Double)] = []
        for b in 0..<state.brokerCount where filter(b) {
            let over = Double(state.counts[b]) - globalTargets.share[b]
            entries.append((b, urgency(b), giving ? over : -over))
        }
        entries.sort { l, r in
            if l.urgency != r.urgency { return l.urgency > r.urgency }
            if l.load != r.load { return l.load > r.load }
            return l.broker < r.broker
        }
        return entries.map(\.broker)
    }

    /// The partition in scope on `from` whose replica can go to `to`: not already there, rack
    /// spread kept. Preference: the topic most over-represented on `from` and under on `to`
    /// (keeps topics spread even when balancing globally), then the smallest (fewest bytes),
    /// then a follower (leaders are balanced later by reordering), then the lowest index.
    private func bestPartition(from: Int, to: Int) -> Int? {
        var best: Int?
        var bestKey: (Double, UInt64, Int, Int) = (0, 0, 0, 0)
        for p in state.holdings[from] where inScope[p] {
            let list = state.replicas[p]
            if list.contains(to) || !state.rackAllows(p, from: from, to: to) { continue }
            let t = state.topicOf[p]
            let spread: Double
            if perTopic {
                spread = 0
            } else {
                let share = topicTargets[t].share
                spread = (Double(state.topicCounts[t][from]) - share[from]) - (Double(state.topicCounts[t][to]) - share[to])
            }
            let key = (spread, state.sizes[p], list[0] == from ? 1 : 0, p)
            if best == nil || key.0 > bestKey.0 || (key.0 == bestKey.0 && (key.1, key.2, key.3) < (bestKey.1, bestKey.2, bestKey.3)) {
                best = p
                bestKey = key
            }
        }
        return best
    }
}

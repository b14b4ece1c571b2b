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

    /// Cancels negative cycles until none is left. Returns false if a cycle could not be applied
    /// (a partition used twice in it that the rack rule refuses together): the plan is then
    /// valid but not proven minimal.
    func run() -> Bool {
        while let cycle = negativeCycle() {
            guard apply(cycle) else { return false }
        }
        return true
    }

    /// What moving p's replica from a to b adds to the net moves.
    private func cost(_ p: Int, from a: Int, to b: Int) -> Int {
        (before[p].contains(b) ? 0 : 1) - (before[p].contains(a) ? 0 : 1)
    }

    /// Bellman–Ford over brokers + T (dense: clusters have at most a few hundred brokers); every
    /// node starts at distance 0, so a relaxation in the last round lies on or after a negative
    /// cycle. Returns the cycle's nodes in arc order.
    private func negativeCycle() -> [Int]? {
        let n = state.brokerCount, size = n + 1, sink = n
        var arc = Array(repeating: Int.max, count: size * size)
        var counts = Array(repeating: 0, count: n)
        for p in partitions { for b in state.replicas[p] { counts[b] += 1 } }
        for a in 0..<n where state.isTarget[a] {
            for p in state.holdings[a] where inScope[p] {
                let tally = state.rackTally(p)
                for b in 0..<n where state.isTarget[b] && !state.replicas[p].contains(b) && state.rackAllows(p, from: a, to: b, tally: tally) {
                    arc[a * size + b] = min(arc[a * size + b], cost(p, from: a, to: b))
                }
            }
            if counts[a] < targets.high[a] { arc[a * size + sink] = 0 }
            if counts[a] > targets.low[a] { arc[sink * size + a] = 0 }
        }
        var distance = Array(repeating: 0, count: size)
        var parent = Array(repeating: -1, count: size)
        var changed = -1
        for _ in 0..<size {
            changed = -1
            for u in 0..<size {
                for v in 0..<size where arc[u * size + v] != Int.max && distance[u] + arc[u * size + v] < distance[v] {
                    distance[v] = distance[u] + arc[u * size + v]
                    parent[v] = u
                    changed = v
                }
            }
            if changed < 0 { return nil }
        }
        var node = changed
        for _ in 0..<size { node = parent[node] }
        var cycle = [node]
        var u = parent[node]
        while u != node {
            cycle.append(u)
            u = parent[u]
        }
        return cycle.reversed()
    }

    /// Applies the cycle's moves in order, each with the cheapest partition still allowed once
    /// the earlier ones are made; undoes them all if one has none or the total does not save.
    private func apply(_ cycle: [Int]) -> Bool {
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
        if made.count == cycle.count - (cycle.contains(sink) ? 2 : 0), total < 0 { return true }
        for move in made.reversed() { state.move(move.p, from: move.to, to: move.from) }
        return false
    }
}

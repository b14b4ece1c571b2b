/// Balances preferred leaders (first replicas) within a scope by reordering replica lists only:
/// no data moves. Same bound as for replicas — max(deficit, excess) leadership changes — and
/// each step is a shortest augmenting path: broker x leads p, p has a replica on y, so y takes
/// p's lead; a path of length k changes k leaders and shifts one lead from its first broker to
/// its last, so paths of length one (the common case) meet the bound exactly.
struct LeaderBalancer {
    let state: PlannerState
    let partitions: [Int]
    var leads: [Int]
    /// Partitions each broker leads, ascending.
    var led: [[Int]]
    let targets: WeightedTargets

    init(state: PlannerState, partitions: [Int]) {
        self.state = state
        self.partitions = partitions
        var leads = Array(repeating: 0, count: state.brokerCount)
        var led = Array(repeating: [Int](), count: state.brokerCount)
        for p in partitions {
            let leader = state.replicas[p][0]
            leads[leader] += 1
            led[leader].append(p)
        }
        self.leads = leads
        self.led = led
        // A broker can lead only partitions it holds: its share stops there.
        var holds = Array(repeating: 0.0, count: state.brokerCount)
        for p in partitions { for b in state.replicas[p] { holds[b] += 1 } }
        targets = WeightedTargets(shares: WeightedTargets.waterFill(total: Double(partitions.count), weights: state.weights,
                                                                    minimum: Array(repeating: 0, count: state.brokerCount), maximum: holds))
    }

    var minimumChanges: Int { targets.minimumMoves(leads) }

    mutating func run() -> Bool {
        var deficit = targets.deficit(leads), excess = targets.excess(leads)
        while deficit > 0 || excess > 0 {
            var attempts: [(Side, Side)] = [(.aboveHigh, .belowLow)]
            attempts += excess > deficit ? [(.aboveHigh, .belowHigh), (.aboveLow, .belowLow)] : [(.aboveLow, .belowLow), (.aboveHigh, .belowHigh)]
            var changed = false
            for (source, sink) in attempts where augment(source: source, sink: sink) {
                changed = true
                break
            }
            if !changed { return false }
            deficit = targets.deficit(leads)
            excess = targets.excess(leads)
        }
        return true
    }

    private enum Side { case aboveHigh, aboveLow, belowLow, belowHigh }

    private func matches(_ b: Int, _ side: Side) -> Bool {
        switch side {
        case .aboveHigh: return leads[b] > targets.high[b]
        case .aboveLow: return leads[b] > targets.low[b]
        case .belowLow: return state.isTarget[b] && leads[b] < targets.low[b]
        case .belowHigh: return state.isTarget[b] && leads[b] < targets.high[b]
        }
    }

    /// Breadth-first from every source broker through "leads p, p has a replica on y" edges to
    /// the nearest sink; flips the leaders along the path.
    private mutating func augment(source: Side, sink: Side) -> Bool {
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
            let x = queue[head]
            head += 1
            for p in led[x] {
                for y in state.replicas[p] where !visited[y] && state.isTarget[y] {
                    visited[y] = true
                    parent[y] = (x, p)
                    if matches(y, sink) {
                        var node = y
                        while parent[node].broker >= 0 {
                            let (from, partition) = parent[node]
                            setLeader(partition, from: from, to: node)
                            node = from
                        }
                        return true
                    }
                    queue.append(y)
                }
            }
        }
        return false
    }

    /// Puts `to` first in `p`'s replica list, keeping the others' order.
    private mutating func setLeader(_ p: Int, from: Int, to: Int) {
        var list = state.replicas[p]
        list.removeAll { $0 == to }
        list.insert(to, at: 0)
        state.replicas[p] = list
        leads[from] -= 1
        leads[to] += 1
        led[from].remove(at: PlannerState.search(led[from], p))
        led[to].insert(p, at: PlannerState.search(led[to], p))
    }
}

/// `--balance bytes`: brings every broker's bytes within one partition (the largest) of its
/// weighted share, moving as few bytes as the greedy finds. Each step takes the broker most
/// above its share and the one most below, and moves the partition whose size best closes the
/// smaller of the two gaps without overshooting (or, failing that, the smallest one that still
/// narrows the pair); replicas on leaving brokers always move. Bin packing is NP-hard, so the
/// result is compared with a lower bound rather than claimed optimal.
struct BytesBalancer {
    let state: PlannerState
    let share: [Double]
    let tolerance: Double

    init(state: PlannerState) {
        self.state = state
        let total = state.sizes.enumerated().reduce(0.0) { $0 + Double($1.element) * Double(state.replicas[$1.offset].count) }
        let weightSum = state.weights.reduce(0, +)
        share = state.weights.map { weightSum > 0 ? total * $0 / weightSum : 0 }
        tolerance = Double(state.sizes.max() ?? 0)
    }

    /// The bytes bound: every byte on a leaving broker, or what must leave brokers more than one
    /// partition above their share / arrive at brokers more than one below, whichever is larger.
    func lowerBound() -> UInt64 {
        var leave = 0.0, arrive = 0.0
        for b in 0..<state.brokerCount {
            let bytes = Double(state.bytes[b])
            if !state.isTarget[b] { leave += bytes; continue }
            leave += max(0, bytes - share[b] - tolerance)
            arrive += max(0, share[b] - tolerance - bytes)
        }
        return UInt64(max(leave, arrive).rounded(.up))
    }

    func run() -> Bool {
        var steps = 0
        let limit = state.replicas.reduce(0) { $0 + $1.count } * 4 + 16
        while steps < limit {
            steps += 1
            if let leaving = (0..<state.brokerCount).first(where: { !state.isTarget[$0] && !state.holdings[$0].isEmpty }) {
                guard drain(leaving) else { return false }
                continue
            }
            let deviation = (0..<state.brokerCount).map { Double(state.bytes[$0]) - share[$0] }
            let sources = (0..<state.brokerCount).filter { state.isTarget[$0] }.sorted { deviation[$0] != deviation[$1] ? deviation[$0] > deviation[$1] : $0 < $1 }
            let destinations = sources.reversed()
            guard let top = sources.first, let bottom = destinations.first else { return true }
            if deviation[top] <= tolerance && -deviation[bottom] <= tolerance { return true }
            var moved = false
            search: for from in sources where deviation[from] > 0 {
                for to in destinations where deviation[to] < 0 && to != from {
                    if let p = bestFit(from: from, to: to, over: deviation[from], under: -deviation[to]) {
                        state.move(p, from: from, to: to)
                        moved = true
                        break search
                    }
                }
            }
            if !moved { return false }
        }
        return false
    }

    /// Moves the largest movable partition off a leaving broker to the target broker most below
    /// its share that can take it.
    private func drain(_ leaving: Int) -> Bool {
        let order = (0..<state.brokerCount).filter { state.isTarget[$0] }
            .sorted { (Double(state.bytes[$0]) - share[$0], $0) < (Double(state.bytes[$1]) - share[$1], $1) }
        for p in state.holdings[leaving].sorted(by: { (state.sizes[$0], $1) > (state.sizes[$1], $0) }) {
            for to in order where !state.replicas[p].contains(to) && state.rackAllows(p, from: leaving, to: to) {
                state.move(p, from: leaving, to: to)
                return true
            }
        }
        return false
    }

    private func bestFit(from: Int, to: Int, over: Double, under: Double) -> Int? {
        let ideal = min(over, under)
        var below: (size: UInt64, p: Int)?
        var above: (size: UInt64, p: Int)?
        for p in state.holdings[from] {
            let size = state.sizes[p]
            guard size > 0, Double(size) < over + under else { continue }
            if state.replicas[p].contains(to) || !state.rackAllows(p, from: from, to: to) { continue }
            if Double(size) <= ideal {
                if below == nil || size > below!.size { below = (size, p) }
            } else if above == nil || size < above!.size {
                above = (size, p)
            }
        }
        return below?.p ?? above?.p
    }
}

import Glibc

/// A simulated estimate of a topology's availability with a 95% confidence interval.
public struct SimulationResult: Sendable, Equatable {
    public var trials: Int
    public var seed: UInt64
    /// Mean fraction of requests lost per trial (0 or 1 per trial unless detection delay or load is on).
    public var unavailability: Double
    /// 95% Wilson score interval for the unavailability.
    public var unavailabilityLow: Double
    public var unavailabilityHigh: Double

    public var availability: Double { 1 - unavailability }
    public var availabilityLow: Double { 1 - unavailabilityHigh }
    public var availabilityHigh: Double { 1 - unavailabilityLow }

    /// Whether `value` (an analytic unavailability) lies inside the interval.
    public func agrees(withUnavailability value: Double) -> Bool {
        value >= unavailabilityLow && value <= unavailabilityHigh
    }
}

/// Monte Carlo check of the analytic model: each trial draws every component up or down
/// independently with its own probability and evaluates the topology (series: all up;
/// groups: at least k members up). The caveats are drawn as the model defines them: a
/// common-cause event per redundant group with probability q, members thinned to their
/// independent unavailability, and per member a detection window with probability
/// min(f·d, U) costing 1/n of the group's traffic; a member drawn up is held out of rotation
/// after a repair with probability f·r/A; under a load L a pool with j of n up serves
/// min(1, j/(n·L)).
public enum MonteCarlo {
    /// 97.5th percentile of the standard normal distribution.
    static let z = 1.959963984540054

    public static func simulate(_ model: ComposeModel, trials: Int, seed: UInt64) -> SimulationResult {
        precondition(trials > 0)
        let plan = Plan(model)
        var rng = Xoshiro256StarStar(seed: seed)
        var lost = 0.0
        for _ in 0..<trials {
            lost += 1 - plan.sample(plan.root, &rng)
        }
        let interval = wilson(lost: lost, trials: trials)
        return SimulationResult(trials: trials, seed: seed, unavailability: lost / Double(trials),
                                unavailabilityLow: interval.low, unavailabilityHigh: interval.high)
    }

    /// Wilson score interval: unlike the normal approximation it stays inside [0, 1] and is
    /// still informative when no failure was seen at all (then it is [0, ≈3.84/N]). For trials
    /// that lose a fraction of requests it is conservative, since a 0/1 outcome has the largest
    /// variance of any outcome in [0, 1] with the same mean.
    public static func wilson(lost: Double, trials: Int) -> (low: Double, high: Double) {
        let n = Double(trials)
        let p = lost / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let centre = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * sqrt(max(0, p * (1 - p)) / n + z2 / (4 * n * n))
        // At the ends the interval touches 0 or 1 exactly; rounding would leave 1e-19 or so.
        return (lost == 0 ? 0 : max(0, centre - half), lost == n ? 1 : min(1, centre + half))
    }

    /// The topology flattened into arrays of plain values, so a trial is a walk over indices.
    struct Plan {
        enum Kind: UInt8 { case leaf, series, group, pool }
        struct Node {
            var kind: Kind
            var k: Int
            /// Copies of the one member (pool) or the number of members (group, series).
            var n: Int
            /// First entry in `members` / `keep` / `undetected`.
            var first: Int
            var count: Int
            /// Leaf: probability of being down. Group/pool: probability of a common-cause event.
            var probability: Double
            /// Pool under `--load`: the load as a fraction of its capacity; 0 for none.
            var load: Double = 0
        }

        var nodes: [Node] = []
        var members: [Int] = []
        /// Probability that a member drawn as down stays down (common-cause thinning).
        var keep: [Double] = []
        /// Probability that a member is in a detection window.
        var undetected: [Double] = []
        /// Probability that a member drawn as up is still held out after a repair (rise).
        var hold: [Double] = []
        var root = 0

        init(_ model: ComposeModel) {
            root = add(model.root, model: model)
        }

        mutating func add(_ block: ComposeModel.Block, model: ComposeModel) -> Int {
            switch block {
            case .leaf(let index):
                nodes.append(Node(kind: .leaf, k: 0, n: 0, first: 0, count: 0, probability: model.components[index].upDown.down))
                return nodes.count - 1
            case .series(let parts):
                let children = parts.map { add($0, model: model) }
                return append(kind: .series, k: 0, n: children.count, children: children, keep: children.map { _ in 1 },
                              undetected: children.map { _ in 0 }, probability: 0)
            case .group(let k, let parts):
                let children = parts.map { add($0, model: model) }
                let evaluations = parts.map { model.evaluate($0, overrides: [:], wantRate: model.needsRates) }
                let held = model.heldOut(evaluations)
                let p = model.parameters(members: held)
                return append(kind: .group, k: k, n: children.count, children: children,
                              keep: Self.keep(held, p), undetected: p.undetected, hold: Self.hold(evaluations, held), probability: p.commonCause)
            case .pool(let k, let n, let part):
                let child = add(part, model: model)
                let evaluation = model.evaluate(part, overrides: [:], wantRate: model.needsRates)
                let held = model.heldOut([evaluation])
                let p = model.parameters(members: [ComposeModel.Evaluation](repeating: held[0], count: n))
                let id = append(kind: .pool, k: k, n: n, children: [child], keep: [Self.keep(held, p)[0]],
                                undetected: [p.undetected[0]], hold: Self.hold([evaluation], held), probability: p.commonCause)
                nodes[id].load = model.options.load ?? 0
                return id
            }
        }

        static func keep(_ members: [ComposeModel.Evaluation], _ p: ComposeModel.GroupParameters) -> [Double] {
            zip(members, p.independent).map { m, ind in m.value.down > 0 ? min(1, ind.down / m.value.down) : 1 }
        }

        /// P(held out | up) = (A − A')/A per member, from its figures before and after `heldOut`.
        static func hold(_ members: [ComposeModel.Evaluation], _ held: [ComposeModel.Evaluation]) -> [Double] {
            zip(members, held).map { m, h in m.value.up > 0 ? min(1, (m.value.up - h.value.up) / m.value.up) : 0 }
        }

        mutating func append(kind: Kind, k: Int, n: Int, children: [Int], keep: [Double], undetected: [Double],
                             hold: [Double]? = nil, probability: Double) -> Int {
            let first = members.count
            members += children
            self.keep += keep
            self.undetected += undetected
            self.hold += hold ?? children.map { _ in 0 }
            nodes.append(Node(kind: kind, k: k, n: n, first: first, count: children.count, probability: probability))
            return nodes.count - 1
        }

        /// The fraction of requests node `id` serves in one random draw.
        func sample(_ id: Int, _ rng: inout Xoshiro256StarStar) -> Double {
            let node = nodes[id]
            switch node.kind {
            case .leaf:
                return rng.uniform() < node.probability ? 0 : 1
            case .series:
                var served = 1.0
                for m in node.first..<(node.first + node.count) {
                    served *= sample(members[m], &rng)
                    if served == 0 { break }
                }
                return served
            case .group, .pool:
                if node.probability > 0, rng.uniform() < node.probability { return 0 }
                var up = 0
                var inWindow = 0
                for copy in 0..<node.n {
                    let m = node.kind == .pool ? node.first : node.first + copy
                    if memberUp(members[m], keep: keep[m], hold: hold[m], &rng) { up += 1 }
                    if undetected[m] > 0, rng.uniform() < undetected[m] { inWindow += 1 }
                }
                guard up >= node.k else { return 0 }
                let capacity = node.load > 0 ? min(1, Double(up) / (Double(node.n) * node.load)) : 1
                return inWindow == 0 ? capacity : capacity * (1 - Double(inWindow) / Double(node.n))
            }
        }

        /// One member drawn as up or down: a partial result (a pool losing some traffic to
        /// detection) counts as up with that probability; a down one stays down with `keep`.
        func memberUp(_ id: Int, keep: Double, hold: Double, _ rng: inout Xoshiro256StarStar) -> Bool {
            let served = sample(id, &rng)
            var up = served == 1 || (served > 0 && rng.uniform() < served)
            if up, hold > 0, rng.uniform() < hold { up = false }
            if !up, keep < 1, rng.uniform() >= keep { up = true }
            return up
        }
    }
}

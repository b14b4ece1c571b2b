public import ScaleCore

/// `redis-cli --cluster rebalance`'s slot arithmetic, reproduced step for step from
/// `clusterManagerCommandRebalance` (redis-cli.c, Redis 5–7), including its single-precision
/// floats, its integer truncation and its rounding fix-up, so the plan matches what redis-cli
/// prints:
///
/// 1. Involved masters: every master with slots (with `--use-empty-masters`, empty ones too; an
///    empty master otherwise gets weight 0 and is left out), in the order redis-cli loaded them.
/// 2. `expected = (int)((float)16384 / total_weight * weight)`, `balance = slots − expected`.
/// 3. Threshold (default 2 %): rebalance only if some master with slots is off by more than the
///    threshold, `|100 − 100·expected/slots| > threshold`, or an empty one expects more than 1.
/// 4. Truncation leaves Σ balance ≥ 0; while it is positive, walk the masters in order and
///    take one from each master whose balance is ≤ 0.
/// 5. Sort by balance (glibc's qsort is a stable merge sort at these sizes), then pair the most
///    negative (receiver) with the most positive (giver), moving min(|dst|, |src|) slots, and
///    step past whichever reaches zero.
/// 6. A move takes the giver's lowest-numbered slots (`clusterManagerComputeReshardTable`).
public struct RedisSlotRebalance: Sendable {
    public static let defaultThreshold: Float = 2

    public struct Node: Sendable, Equatable {
        public var name: String
        public var id: String?
        public var weight: Float
        public var slotsBefore: Int
        public var expected: Int
        /// Slots to give (positive) or take (negative), after the rounding fix-up.
        public var balance: Int
        public var slotsAfter: Int
    }

    public struct Move: Sendable, Equatable {
        public var from: String
        public var to: String
        public var slots: [Int]
        public var count: Int { slots.count }
    }

    /// Involved masters, in redis-cli's order.
    public var nodes: [Node]
    public var totalWeight: Float
    public var threshold: Float
    /// False when every master is within the threshold: redis-cli prints "No rebalancing needed!".
    public var thresholdReached: Bool
    public var moves: [Move]

    /// `weights` are `NAME=WEIGHT` pairs as `--cluster-weight` takes them: NAME is a prefix of a
    /// node id (case-insensitive, first match, as redis-cli's lookup) or a master's name (`ip:port`).
    public init(masters: [RedisMaster], weights: [(key: String, value: String)] = [], useEmptyMasters: Bool = false,
                threshold: Float = RedisSlotRebalance.defaultThreshold) throws(ScaleError) {
        var weightOf = Array(repeating: Float(1), count: masters.count)
        for (name, text) in weights {
            guard let value = Double(text), value.isFinite, value >= 0 else {
                throw .usage("'\(text)' is not a weight for \(name)", about: .weight, fix: "write NAME=WEIGHT, e.g. 9f44=2")
            }
            let lowered = name.lowercased()
            guard let index = masters.firstIndex(where: { $0.name == name || ($0.id?.hasPrefix(lowered) ?? false) }) else {
                throw .usage("no such master node \(name)", about: .weight,
                             fix: "name a master by a node id prefix or its address: " + masters.map(\.name).joined(separator: ", "))
            }
            weightOf[index] = Float(value)
        }
        var involved: [Int] = []
        var total: Float = 0
        for (index, master) in masters.enumerated() {
            if !useEmptyMasters && master.slots.isEmpty { continue }
            total += weightOf[index]
            involved.append(index)
        }
        guard !involved.isEmpty, total > 0 else {
            throw .input("no master holds slots with a positive weight", fix: "check the weights, or pass \(Parameter.useEmptyMasters)")
        }
        var nodes: [Node] = []
        var reached = false
        var totalBalance = 0
        for index in involved {
            let count = masters[index].slots.count
            // (int)(((float)CLUSTER_MANAGER_SLOTS / total_weight) * n->weight): float arithmetic, truncated.
            let expected = Int((Float(RedisClusterNodes.slotCount) / total) * weightOf[index])
            let balance = count - expected
            totalBalance += balance
            if threshold > 0 {
                if count > 0 {
                    // fabs((100-(100.0*expected/n->slots_count))) is computed in double.
                    let error = abs(100 - (100.0 * Double(expected) / Double(count)))
                    if error > Double(threshold) { reached = true }
                } else if expected > 1 {
                    reached = true
                }
            }
            nodes.append(Node(name: masters[index].name, id: masters[index].id, weight: weightOf[index], slotsBefore: count,
                              expected: expected, balance: balance, slotsAfter: count))
        }
        self.totalWeight = total
        self.threshold = threshold
        self.thresholdReached = reached
        self.moves = []
        guard reached else {
            self.nodes = nodes
            return
        }
        while totalBalance > 0 {
            for i in nodes.indices where nodes[i].balance <= 0 && totalBalance > 0 {
                nodes[i].balance -= 1
                totalBalance -= 1
            }
        }
        self.nodes = nodes
        // Stable sort by balance, ascending.
        var order = Array(nodes.indices)
        order = order.enumerated().sorted { l, r in
            nodes[l.element].balance != nodes[r.element].balance ? nodes[l.element].balance < nodes[r.element].balance : l.offset < r.offset
        }.map(\.element)
        var balance = nodes.map(\.balance)
        var slots = involved.map { masters[$0].slots }
        var dst = 0, src = order.count - 1
        var guardSteps = order.count * 2 + 2
        while dst < src, guardSteps > 0 {
            guardSteps -= 1
            let d = order[dst], s = order[src]
            let count = min(abs(balance[d]), abs(balance[s]))
            if count > 0 {
                let taken = Array(slots[s].prefix(count))
                slots[s].removeFirst(count)
                slots[d] = (slots[d] + taken).sorted()
                moves.append(Move(from: nodes[s].name, to: nodes[d].name, slots: taken))
                self.nodes[s].slotsAfter -= count
                self.nodes[d].slotsAfter += count
            }
            balance[d] += count
            balance[s] -= count
            if balance[d] == 0 { dst += 1 }
            if balance[s] == 0 { src -= 1 }
        }
    }

    /// The lines redis-cli prints for this plan (without its cluster-check preamble and the
    /// `#` progress marks).
    public var redisCliLines: [String] {
        guard thresholdReached else {
            return ["*** No rebalancing needed! All nodes are within the \(Format.decimal(Double(threshold), places: 2))% threshold."]
        }
        return [">>> Rebalancing across \(nodes.count) nodes. Total weight = \(Format.decimal(Double(totalWeight), places: 2))"]
            + moves.map { "Moving \($0.count) slots from \($0.from) to \($0.to)" }
    }

    /// `0-1364,5461` for a sorted slot list.
    public static func ranges(_ slots: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        while index < slots.count {
            var end = index
            while end + 1 < slots.count, slots[end + 1] == slots[end] + 1 { end += 1 }
            parts.append(end > index ? "\(slots[index])-\(slots[end])" : "\(slots[index])")
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}

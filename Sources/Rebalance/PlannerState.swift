/// The planner's working copy of the cluster: brokers by dense index, replica lists by
/// partition index, and the per-broker indexes the move search needs. Every collection is an
/// array walked in index order, so the same input always gives the same plan (Swift's Set and
/// Dictionary iterate in a per-process random order).
final class PlannerState {
    let brokerIDs: [Int]
    let isTarget: [Bool]
    let weights: [Double]
    /// Rack index per broker; -1 when unknown (racks not given, or a leaving broker without one).
    let rack: [Int]
    let rackCount: Int
    let topicOf: [Int]
    let topicCount: Int
    let sizes: [UInt64]

    var replicas: [[Int]]
    /// Partition indices each broker holds, ascending.
    var holdings: [[Int]]
    /// Replicas per broker over all partitions.
    var counts: [Int]
    /// counts by topic: topicCounts[topic][broker].
    var topicCounts: [[Int]]
    var bytes: [UInt64]

    init(assignment: Assignment, cluster: ClusterSpec) {
        let ids = Array(Set(assignment.brokers).union(cluster.brokers)).sorted()
        brokerIDs = ids
        var indexOf: [Int: Int] = [:]
        for (index, id) in ids.enumerated() { indexOf[id] = index }
        let targets = Set(cluster.brokers)
        isTarget = ids.map { targets.contains($0) }
        weights = ids.map { cluster.weight(of: $0) }
        let rackNames = cluster.rackNames
        var rackIndex: [String: Int] = [:]
        for (index, name) in rackNames.enumerated() { rackIndex[name] = index }
        rack = ids.map { id in cluster.racks[id].flatMap { rackIndex[$0] } ?? -1 }
        rackCount = rackNames.count

        var topicIndex: [String: Int] = [:]
        for topic in assignment.topics { topicIndex[topic] = topicIndex.count }
        topicOf = assignment.partitions.map { topicIndex[$0.id.topic]! }
        topicCount = topicIndex.count
        sizes = assignment.partitions.map { $0.sizeBytes ?? 0 }

        replicas = assignment.partitions.map { $0.replicas.map { indexOf[$0]! } }
        holdings = Array(repeating: [], count: ids.count)
        counts = Array(repeating: 0, count: ids.count)
        topicCounts = Array(repeating: Array(repeating: 0, count: ids.count), count: topicIndex.count)
        bytes = Array(repeating: 0, count: ids.count)
        for (p, list) in replicas.enumerated() {
            for b in list {
                holdings[b].append(p)
                counts[b] += 1
                topicCounts[topicOf[p]][b] += 1
                bytes[b] += sizes[p]
            }
        }
    }

    var brokerCount: Int { brokerIDs.count }

    /// Replaces broker `from` by `to` in partition `p`, at the same position (so a moved leader's
    /// replacement becomes the preferred leader, as Kafka keeps list order).
    func move(_ p: Int, from: Int, to: Int) {
        guard let position = replicas[p].firstIndex(of: from) else { preconditionFailure("broker not in partition") }
        replicas[p][position] = to
        holdings[from].remove(at: Self.search(holdings[from], p))
        holdings[to].insert(p, at: Self.search(holdings[to], p))
        counts[from] -= 1
        counts[to] += 1
        topicCounts[topicOf[p]][from] -= 1
        topicCounts[topicOf[p]][to] += 1
        bytes[from] -= sizes[p]
        bytes[to] += sizes[p]
    }

    /// Lower-bound binary search in an ascending array.
    static func search(_ array: [Int], _ value: Int) -> Int {
        var low = 0, high = array.count
        while low < high {
            let mid = (low + high) / 2
            if array[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The replica targets of a scope: each broker's weighted share, within what the placement
    /// rules let it hold. A broker holds at most one replica per partition, so a heavy broker's
    /// share stops at the partition count and the rest flows to the others by weight. With
    /// racks, the even-spread rule fixes how much a rack can hold — each partition of r
    /// replicas puts between floor(r/R) and min(ceil(r/R), brokers in the rack) in it — so a
    /// rack's total is its brokers' weighted share kept in that range, then shared among its
    /// brokers the same way. Without this a lone broker in a rack would be asked for its plain
    /// share while the racks forced every partition onto it.
    func replicaTargets(_ partitions: [Int]) -> WeightedTargets {
        let total = partitions.reduce(0) { $0 + replicas[$1].count }
        let perBrokerCap = Double(partitions.count)
        let zeros = Array(repeating: 0.0, count: brokerCount)
        let caps = isTarget.map { $0 ? perBrokerCap : 0 }
        guard rackCount > 0 else {
            return WeightedTargets(shares: WeightedTargets.waterFill(total: Double(total), weights: weights, minimum: zeros, maximum: caps))
        }
        var rackWeight = Array(repeating: 0.0, count: rackCount)
        var rackSize = Array(repeating: 0, count: rackCount)
        for b in 0..<brokerCount where isTarget[b] && rack[b] >= 0 {
            rackWeight[rack[b]] += weights[b]
            rackSize[rack[b]] += 1
        }
        var minimum = Array(repeating: 0.0, count: rackCount)
        var maximum = Array(repeating: 0.0, count: rackCount)
        for p in partitions {
            let bounds = rackBounds(replicas[p].count)
            for k in 0..<rackCount {
                minimum[k] += Double(bounds.low)
                maximum[k] += Double(min(bounds.high, rackSize[k]))
            }
        }
        let rackTotal = WeightedTargets.waterFill(total: Double(total), weights: rackWeight, minimum: minimum, maximum: maximum)
        var shares = zeros
        for k in 0..<rackCount {
            let members = (0..<brokerCount).filter { isTarget[$0] && rack[$0] == k }
            let filled = WeightedTargets.waterFill(total: rackTotal[k], weights: members.map { weights[$0] },
                                                   minimum: members.map { _ in 0 }, maximum: members.map { _ in perBrokerCap })
            for (b, share) in zip(members, filled) { shares[b] = share }
        }
        return WeightedTargets(shares: shares)
    }

    // MARK: Racks

    /// The even spread of `replicaCount` replicas over the target racks: each rack holds at
    /// least `low` and at most `high` of them.
    func rackBounds(_ replicaCount: Int) -> (low: Int, high: Int) {
        guard rackCount > 0 else { return (0, Int.max) }
        return (replicaCount / rackCount, (replicaCount + rackCount - 1) / rackCount)
    }

    /// Replicas per rack of partition `p`, counting only replicas on target brokers (the rest
    /// are leaving anyway).
    func rackTally(_ p: Int) -> [Int] {
        var tally = Array(repeating: 0, count: rackCount)
        for b in replicas[p] where isTarget[b] && rack[b] >= 0 { tally[rack[b]] += 1 }
        return tally
    }

    /// How many replicas of `p` must change rack for an even spread: the replicas above a rack's
    /// share, or (once every replica is on a target broker) the shortfall of racks below theirs.
    func rackViolation(_ p: Int) -> Int {
        guard rackCount > 0 else { return 0 }
        let bounds = rackBounds(replicas[p].count)
        let tally = rackTally(p)
        let over = tally.reduce(0) { $0 + max(0, $1 - bounds.high) }
        guard replicas[p].allSatisfy({ isTarget[$0] }) else { return over }
        let under = tally.reduce(0) { $0 + max(0, bounds.low - $1) }
        return max(over, under)
    }

    /// Whether moving `p`'s replica from `from` to `to` keeps (or brings) its rack spread even.
    /// `tally` is `rackTally(p)` when the caller already has it (tight loops over brokers).
    func rackAllows(_ p: Int, from: Int, to: Int, tally known: [Int]? = nil) -> Bool {
        guard rackCount > 0 else { return true }
        if isTarget[from] && rack[from] == rack[to] { return true }
        let bounds = rackBounds(replicas[p].count)
        let tally = known ?? rackTally(p)
        if tally[rack[to]] + 1 > bounds.high { return false }
        if isTarget[from], rack[from] >= 0, tally[rack[from]] - 1 < bounds.low, tally[rack[from]] <= bounds.high { return false }
        return true
    }
}

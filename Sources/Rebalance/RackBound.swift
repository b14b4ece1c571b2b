extension PlannerState {
    /// The lower bound on one scope's moves that counts the rack rule, rack by rack. Every move
    /// arrives at one broker, so in one rack; the arrivals a rack needs are at least what its
    /// brokers lack (Σ max(0, low − count)) and at least one per partition short of its even
    /// spread there (an arrival from another rack, since moves inside a rack leave the spread
    /// as it is). Likewise every move leaves one broker: all replicas on leaving brokers, and per
    /// rack at least the larger of its brokers' excess and its crowding replicas. Taking the
    /// larger per rack before summing is what the plain count bound cannot do: a rack whose
    /// brokers are balanced may still have to gain replicas for the spread, while another rack
    /// fills its new broker from inside.
    func rackAwareMoves(_ partitions: [Int], targets: WeightedTargets) -> Int {
        guard rackCount > 0 else { return 0 }
        var counts = Array(repeating: 0, count: brokerCount)
        var spreadShort = Array(repeating: 0, count: rackCount), spreadOver = Array(repeating: 0, count: rackCount)
        var leaving = 0
        for p in partitions {
            for b in replicas[p] {
                counts[b] += 1
                if !isTarget[b] { leaving += 1 }
            }
            let bounds = rackBounds(replicas[p].count)
            for (k, n) in rackTally(p).enumerated() {
                spreadShort[k] += max(0, bounds.low - n)
                spreadOver[k] += max(0, n - bounds.high)
            }
        }
        var brokerShort = Array(repeating: 0, count: rackCount), brokerOver = Array(repeating: 0, count: rackCount)
        for b in 0..<brokerCount where isTarget[b] && rack[b] >= 0 {
            brokerShort[rack[b]] += max(0, targets.low[b] - counts[b])
            brokerOver[rack[b]] += max(0, counts[b] - targets.high[b])
        }
        let arrivals = (0..<rackCount).reduce(0) { $0 + max(brokerShort[$1], spreadShort[$1]) }
        let departures = (0..<rackCount).reduce(leaving) { $0 + max(brokerOver[$1], spreadOver[$1]) }
        return max(arrivals, departures)
    }
}

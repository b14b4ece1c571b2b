/// How many of `total` items (replicas, leaders) each broker should hold: its weighted share
/// `total × w / Σw`, and the whole numbers around it. "Balanced" means every broker holds
/// `floor(share)` or `ceil(share)` — within one of its weighted target, the best whole numbers
/// can do — so a share of 41.14 allows 41 or 42, and a share of exactly 90 allows only 90.
public struct WeightedTargets: Sendable, Equatable {
    public var share: [Double]
    public var low: [Int]
    public var high: [Int]

    public init(total: Int, weights: [Double]) {
        let sum = weights.reduce(0, +)
        // Whole weights (the usual case) take exact integer arithmetic, so 288 × 1 / 7 is 41 rem 1
        // and never 41.99999 in floating point.
        let whole = weights.allSatisfy { $0 >= 0 && $0 == $0.rounded() && $0 <= 1_000_000 }
        share = weights.map { sum > 0 ? Double(total) * $0 / sum : 0 }
        if whole, sum > 0 {
            let intSum = Int(sum)
            low = weights.map { Int($0) * total / intSum }
            high = weights.map { (Int($0) * total + intSum - 1) / intSum }
        } else {
            low = share.map { Int(($0 + 1e-9).rounded(.down)) }
            high = share.map { Int(($0 - 1e-9).rounded(.up)) }
        }
    }

    /// Targets from given shares (summing to the total), such as rack-aware ones.
    public init(shares: [Double]) {
        share = shares
        low = shares.map { Int(($0 + 1e-9).rounded(.down)) }
        high = shares.map { Int(($0 - 1e-9).rounded(.up)) }
    }

    /// Shares `total` in proportion to `weights`, but never below `minimum` or above `maximum`
    /// for anyone: what a capped member cannot take flows to the others, by weight. Each round
    /// pins at least one more member at a limit, so as many rounds as members settle it (given
    /// Σ minimum ≤ total ≤ Σ maximum).
    public static func waterFill(total: Double, weights: [Double], minimum: [Double], maximum: [Double]) -> [Double] {
        let weightSum = weights.reduce(0, +)
        var shares = weights.map { weightSum > 0 ? total * $0 / weightSum : 0 }
        for _ in 0...weights.count {
            for i in shares.indices { shares[i] = min(max(shares[i], minimum[i]), maximum[i]) }
            let gap = total - shares.reduce(0, +)
            if abs(gap) < 1e-9 { break }
            let open = shares.indices.filter { weights[$0] > 0 && (gap > 0 ? shares[$0] < maximum[$0] - 1e-9 : shares[$0] > minimum[$0] + 1e-9) }
            let openWeight = open.reduce(0.0) { $0 + weights[$1] }
            guard openWeight > 0 else { break }
            for i in open { shares[i] += gap * weights[i] / openWeight }
        }
        return shares
    }

    /// Replicas that must arrive somewhere: Σ max(0, low − count).
    public func deficit(_ counts: [Int]) -> Int {
        zip(low, counts).reduce(0) { $0 + max(0, $1.0 - $1.1) }
    }

    /// Replicas that must leave somewhere: Σ max(0, count − high).
    public func excess(_ counts: [Int]) -> Int {
        zip(high, counts).reduce(0) { $0 + max(0, $1.1 - $1.0) }
    }

    /// The fewest single-item moves that bring `counts` within the targets: each move takes one
    /// item off one broker and puts it on another, so it can cut the deficit by at most one and
    /// the excess by at most one. Both must reach zero, hence max(deficit, excess); and that many
    /// suffice when nothing else constrains the moves (pair excess with deficit first, then
    /// drain the rest into brokers below `high` or fill from brokers above `low`).
    public func minimumMoves(_ counts: [Int]) -> Int { max(deficit(counts), excess(counts)) }
}

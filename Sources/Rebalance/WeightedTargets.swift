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

/// How even a ring is: each node's share against its fair share w/W.
public struct Balance: Sendable, Equatable {
    public var shares: [Double]
    /// Fair shares w_i / Σw.
    public var fairShares: [Double]
    /// share ÷ fair share per node: 1 is exactly fair.
    public var loads: [Double]
    /// The largest load: how much more than its fair share the busiest node gets.
    public var peakToMean: Double
    /// The coefficient of variation of the loads, weighted by fair share:
    /// sqrt(Σ fair_i·(load_i − 1)²). For equal weights this is stddev/mean of the shares.
    public var coefficientOfVariation: Double
    public var minShare: Double
    public var maxShare: Double

    public init(shares: [Double], weights: [Int]) {
        let total = Double(weights.reduce(0, +))
        let fair = weights.map { Double($0) / total }
        let loads = zip(shares, fair).map { $0 / $1 }
        var variance = 0.0
        for (load, f) in zip(loads, fair) { variance += f * (load - 1) * (load - 1) }
        self.shares = shares
        fairShares = fair
        self.loads = loads
        peakToMean = loads.max() ?? 1
        coefficientOfVariation = variance.squareRoot()
        minShare = shares.min() ?? 0
        maxShare = shares.max() ?? 0
    }

    public init(_ ring: any ConsistentHash) {
        self.init(shares: ring.shares().ratios, weights: ring.nodes.map(\.weight))
    }
}

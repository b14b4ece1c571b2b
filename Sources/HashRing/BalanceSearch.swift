import ScaleCore

/// `ring plan --target-balance`: the smallest vnode count (ketama points per server, vnodes
/// per unit of weight, or multi-probe probes) whose peak-to-mean meets a target.
///
/// Rings with more vnodes contain every point of rings with fewer (ketama's point count per
/// server only grows with N, and vnode i exists from N = ⌈(i+1)/w⌉ on), so one ring is built
/// at the largest N tried and points are taken away level by level: removing a point hands
/// its arc to the next point, an O(1) update of two shares on a linked list. Every N up to
/// the largest is evaluated exactly, for the cost of building one ring.
public enum BalanceSearch {
    public struct Result: Sendable, Equatable {
        /// The smallest value meeting the target, or nil when none up to `searchedUpTo` does.
        public var value: Int?
        /// Peak-to-mean at `value` (or the best seen when nothing met the target).
        public var peakToMean: Double
        /// The value with the best peak-to-mean seen, when nothing met the target.
        public var bestValue: Int
        public var searchedUpTo: Int
    }

    public static func search(_ algorithm: Algorithm, nodes: [RingNode], target: Double, options: RingOptions = RingOptions()) throws(RingError) -> Result {
        guard target >= 1 else {
            throw RingError(parameter: .targetBalance, reason: "a peak-to-mean below 1 is impossible; got \(target)", fix: "use a target such as 1.05 (5% above the mean)")
        }
        switch algorithm {
        case .ketama:
            let cap = max(4, min(1 << 16, RingFactory.maximumPoints / nodes.count) / 4 * 4)
            return sweep(nodes: nodes, target: target, start: min(1024, cap), cap: cap, step: 4) { n in ketamaPoints(nodes, maxPoints: n, names: options.ketamaNames) }
        case .vnodes:
            let weight = nodes.reduce(0) { $0 + $1.weight }
            let cap = max(1, min(1 << 16, RingFactory.maximumPoints / weight))
            return sweep(nodes: nodes, target: target, start: min(256, cap), cap: cap, step: 1) { n in vnodePoints(nodes, maxVnodes: n) }
        case .multiprobe:
            let ring = try RingFactory.make(.multiprobe, nodes: nodes, options: options)
            let arcs = (ring as! MultiProbe).continuum.shareRatios()
            var best = (value: 1, peak: Double.infinity)
            for k in 1...1000 {
                let peak = Balance(shares: MultiProbe.expectedShares(arcs: arcs, probes: k), weights: nodes.map(\.weight)).peakToMean
                if peak <= target { return Result(value: k, peakToMean: peak, bestValue: k, searchedUpTo: k) }
                if peak < best.peak { best = (k, peak) }
            }
            return Result(value: nil, peakToMean: best.peak, bestValue: best.value, searchedUpTo: 1000)
        default:
            throw RingError(parameter: .targetBalance, reason: "\(algorithm.rawValue) has no vnode count to search",
                            fix: "use \(Parameter.algorithm) ketama, vnodes or multiprobe (jump and rendezvous are even in expectation; maglev's table size and bounded's capacity factor set their balance)")
        }
    }

    /// A point of the largest ring, present for grid levels ≥ `level`.
    struct LevelPoint {
        var value: UInt64
        var owner: UInt32
        var level: Int
    }

    /// Grid level g stands for N = (g + 1)·step. `build(maxN)` returns the points of the ring at
    /// maxN with the level at which each appears, and the bit width of the hash space.
    static func sweep(nodes: [RingNode], target: Double, start: Int, cap: Int, step: Int,
                      build: (Int) -> (points: [LevelPoint], bits: Int)) -> Result {
        var maxN = start
        var bestOverall = (value: step, peak: Double.infinity)
        while true {
            let (points, bits) = build(maxN)
            let levels = maxN / step
            var peaks = [Double](repeating: .infinity, count: levels)
            evaluate(points: points, bits: bits, levels: levels, nodes: nodes, into: &peaks)
            if let g = peaks.firstIndex(where: { $0 <= target }) {
                return Result(value: (g + 1) * step, peakToMean: peaks[g], bestValue: (g + 1) * step, searchedUpTo: maxN)
            }
            if let g = peaks.indices.min(by: { peaks[$0] < peaks[$1] }), peaks[g] < bestOverall.peak {
                bestOverall = ((g + 1) * step, peaks[g])
            }
            if maxN >= cap {
                return Result(value: nil, peakToMean: bestOverall.peak, bestValue: bestOverall.value, searchedUpTo: maxN)
            }
            maxN = min(cap, maxN * 4)
        }
    }

    static func evaluate(points unsorted: [LevelPoint], bits: Int, levels: Int, nodes: [RingNode], into peaks: inout [Double]) {
        let points = unsorted.sorted { ($0.value, $0.owner) < ($1.value, $1.owner) }
        let count = points.count
        guard count > 0 else { return }
        let space = UInt128(1) << bits
        let mask: UInt64 = bits == 64 ? .max : (UInt64(1) << bits) - 1
        var prev = (0..<count).map { $0 == 0 ? count - 1 : $0 - 1 }
        var next = (0..<count).map { $0 == count - 1 ? 0 : $0 + 1 }
        var shares = [UInt128](repeating: 0, count: nodes.count)
        for k in 0..<count {
            let arc = count == 1 ? space : UInt128((points[k].value &- points[prev[k]].value) & mask)
            shares[Int(points[k].owner)] += arc
        }
        var byLevel = [[Int]](repeating: [], count: levels)
        for (k, point) in points.enumerated() where point.level > 0 { byLevel[point.level].append(k) }
        let total = Double(nodes.reduce(0) { $0 + $1.weight })
        let fair = nodes.map { Double($0.weight) / total }
        var alive = count
        for g in stride(from: levels - 1, through: 0, by: -1) {
            var peak = 0.0
            for (i, share) in shares.enumerated() { peak = max(peak, Double(share) / Double(space) / fair[i]) }
            peaks[g] = peak
            // Take away the points that do not exist one level down.
            for k in byLevel[g] {
                guard alive > 1 else { break }
                let p = prev[k], q = next[k]
                let arc = UInt128((points[k].value &- points[p].value) & mask)
                shares[Int(points[k].owner)] -= arc
                shares[Int(points[q].owner)] += arc
                next[p] = q
                prev[q] = p
                alive -= 1
            }
        }
    }

    /// Ketama at `maxPoints` per server; group g of server s appears at the first N whose
    /// libmemcached point count exceeds 4g.
    static func ketamaPoints(_ nodes: [RingNode], maxPoints: Int, names: KetamaNames) -> (points: [LevelPoint], bits: Int) {
        let total = nodes.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
        var points: [LevelPoint] = []
        for (index, node) in nodes.enumerated() {
            let levels = maxPoints / 4
            var groupsAt = [Int](repeating: 0, count: levels)
            for g in 0..<levels {
                groupsAt[g] = KetamaRing.pointCount(weight: node.weight, totalWeight: total, servers: nodes.count, pointsPerServer: (g + 1) * 4) / 4
            }
            let groups = groupsAt.last ?? 0
            var level = 0
            for (group, words) in KetamaRing.pointWords(node, groups: groups, names: names).enumerated() {
                while groupsAt[level] <= group { level += 1 }
                for value in [words.w0, words.w1, words.w2, words.w3] {
                    points.append(LevelPoint(value: UInt64(value), owner: UInt32(index), level: level))
                }
            }
        }
        return (points, 32)
    }

    /// Vnodes at `maxVnodes` per unit of weight; vnode i of a node of weight w appears at N = ⌊i/w⌋ + 1.
    static func vnodePoints(_ nodes: [RingNode], maxVnodes: Int) -> (points: [LevelPoint], bits: Int) {
        var points: [LevelPoint] = []
        for (index, node) in nodes.enumerated() {
            for (i, value) in VnodeRing.points(node, count: node.weight * maxVnodes).enumerated() {
                points.append(LevelPoint(value: value, owner: UInt32(index), level: i / node.weight))
            }
        }
        return (points, 64)
    }
}

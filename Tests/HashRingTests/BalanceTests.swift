import Testing
import HashRing

/// Balance figures against closed forms and hand-computed arcs.
@Suite struct BalanceTests {
    static func nodes(_ names: [String], weights: [Int]? = nil) -> [RingNode] {
        names.enumerated().map { RingNode(name: $0.element, host: $0.element, weight: weights?[$0.offset] ?? 1) }
    }

    /// A 2-node ketama ring: the arcs, summed from the points libmemcached's rule gives
    /// (sorted by hand here, from MD5 of "a-i" and "b-i"), cover 2^32 exactly.
    @Test func twoNodeKetamaArcsSumTo2To32() {
        let ring = KetamaRing(nodes: Self.nodes(["a", "b"]))
        var points: [(UInt64, Int)] = []
        for (owner, host) in ["a", "b"].enumerated() {
            for i in 0..<40 {
                let words = MD5.digest("\(host)-\(i)")
                for value in [words.w0, words.w1, words.w2, words.w3] { points.append((UInt64(value), owner)) }
            }
        }
        points.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var arcs: [UInt64] = [0, 0]
        arcs[points[0].1] += (1 << 32) - points.last!.0 + points[0].0
        for k in 1..<points.count { arcs[points[k].1] += points[k].0 - points[k - 1].0 }
        #expect(arcs[0] + arcs[1] == 1 << 32)
        let totals = ring.continuum.arcTotals()
        #expect(totals.map { UInt64($0) } == arcs)
        let shares = ring.shares().ratios
        #expect(shares[0] + shares[1] == 1)
        #expect(shares[0] == Double(arcs[0]) / 4294967296)
    }

    /// Two vnode points: node a owns (p_b, p_a], b the rest; by hand from XXH64.
    @Test func twoPointVnodeRingByHand() {
        let ring = VnodeRing(nodes: Self.nodes(["a", "b"]), vnodesPerWeight: 1)
        let pa = XXH64.hash("a-0"), pb = XXH64.hash("b-0")
        let aArc = pa &- pb  // arc from b's point to a's, wrapping mod 2^64
        #expect(ring.continuum.arcTotals() == [UInt128(aArc), (UInt128(1) << 64) - UInt128(aArc)])
    }

    /// Jump and rendezvous are exactly even in expectation: shares w/W; and 200,000 keys land
    /// within 5 standard deviations of it (binomial: sqrt(p(1−p)/m)).
    @Test(arguments: [Algorithm.jump, .rendezvous])
    func evenInExpectation(algorithm: Algorithm) throws {
        let weights = algorithm == .jump ? [1, 1, 1, 1, 1, 1, 1] : [1, 2, 3, 4, 5, 6, 7]
        let nodes = Self.nodes((1...7).map { "node\($0)" }, weights: weights)
        let ring = try RingFactory.make(algorithm, nodes: nodes)
        let expected = weights.map { Double($0) / Double(weights.reduce(0, +)) }
        #expect(ring.shares().ratios == expected)
        #expect(Balance(ring).peakToMean == 1)
        #expect(Balance(ring).coefficientOfVariation == 0)
        let m = 200_000
        var counts = [Int](repeating: 0, count: nodes.count)
        for i in 0..<m { counts[ring.owner(of: "user:\(i)")] += 1 }
        for (count, p) in zip(counts, expected) {
            let sigma = (p * (1 - p) / Double(m)).squareRoot()
            #expect(abs(Double(count) / Double(m) - p) < 5 * sigma, "\(algorithm) share \(Double(count) / Double(m)) vs \(p)")
        }
    }

    /// Multi-probe's closed form: k = 1 is the arcs themselves; equal arcs give 1/n for any k;
    /// and real lookups land near the independent-probe expectation.
    @Test func multiProbeExpectation() throws {
        let arcs = [0.1, 0.2, 0.3, 0.4]
        #expect(MultiProbe.expectedShares(arcs: arcs, probes: 1).enumerated().allSatisfy { abs($0.element - arcs[$0.offset]) < 1e-12 })
        #expect(MultiProbe.expectedShares(arcs: [0.25, 0.25, 0.25, 0.25], probes: 21).allSatisfy { abs($0 - 0.25) < 1e-12 })
        // Arcs ¼ and ¾, k = 2, by hand: S(d) = 1 − 2d on [0, ¼], so P(a) = 2∫₀^¼ (1 − 2d) dd = 0.375.
        let two = MultiProbe.expectedShares(arcs: [0.25, 0.75], probes: 2)
        #expect(abs(two[0] - 0.375) < 1e-12)
        #expect(abs(two[1] - 0.625) < 1e-12)

        let nodes = Self.nodes(["a", "b", "c", "d", "e", "f"])
        let ring = try RingFactory.make(.multiprobe, nodes: nodes)
        let expected = ring.shares().ratios
        #expect(abs(expected.reduce(0, +) - 1) < 1e-12)
        let m = 100_000
        var counts = [Int](repeating: 0, count: nodes.count)
        for i in 0..<m { counts[ring.owner(of: "key-\(i)")] += 1 }
        for (count, p) in zip(counts, expected) {
            #expect(abs(Double(count) / Double(m) - p) < 0.006, "multiprobe \(Double(count) / Double(m)) vs \(p)")
        }
    }

    /// Maglev's shares are its table's entries; with equal weights each node gets ⌊M/n⌋ or ⌈M/n⌉
    /// (the round-robin fill gives every node a turn per round).
    @Test func maglevFillsTheTableEvenly() throws {
        let ring = try RingFactory.make(.maglev, nodes: Self.nodes((1...7).map { "m\($0)" }), options: RingOptions(tableSize: 65537))
        let entries = ring.shares().ratios.map { Int(($0 * 65537).rounded()) }
        #expect(entries.reduce(0, +) == 65537)
        #expect(entries.allSatisfy { $0 == 65537 / 7 || $0 == 65537 / 7 + 1 })
        let weighted = try RingFactory.make(.maglev, nodes: Self.nodes(["x", "y"], weights: [1, 3]), options: RingOptions(tableSize: 65537))
        #expect(abs(weighted.shares().ratios[1] - 0.75) < 0.001)
    }

    /// Bounded loads never lets a node pass ⌈c·m·w/W⌉.
    @Test func boundedLoadsRespectsTheCap() throws {
        let nodes = Self.nodes(["a", "b", "c", "d", "e"], weights: [1, 1, 1, 1, 4])
        let ring = try RingFactory.make(.bounded, nodes: nodes, options: RingOptions(vnodes: 4, capacityFactor: 1.1)) as! BoundedLoads
        for i in 0..<20_000 {
            _ = ring.owner(of: "key-\(i)")
            let m = Double(ring.placed)
            for (j, load) in ring.loads.enumerated() {
                let cap = (1.1 * m * Double(nodes[j].weight) / 8).rounded(.up)
                #expect(Double(load) <= cap)
            }
        }
        // Rounding up adds at most one key: 1/m over the lightest fair share 1/8.
        #expect(Balance(ring).peakToMean <= 1.1 + 8.0 / 100_000)
    }

    @Test func balanceFigures() {
        // Shares 0.5, 0.3, 0.2 for equal weights: loads 1.5, 0.9, 0.6; CV = sqrt(Σ(1/3)(load−1)²).
        let balance = Balance(shares: [0.5, 0.3, 0.2], weights: [1, 1, 1])
        #expect(abs(balance.peakToMean - 1.5) < 1e-12)
        #expect(abs(balance.coefficientOfVariation - ((0.25 + 0.01 + 0.16) / 3).squareRoot()) < 1e-12)
        #expect(balance.minShare == 0.2 && balance.maxShare == 0.5)
    }
}

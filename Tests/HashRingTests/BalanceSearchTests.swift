import Testing
import HashRing

/// The incremental search against rings built from scratch at each count.
@Suite struct BalanceSearchTests {
    static func nodes(_ count: Int, weights: [Int]? = nil) -> [RingNode] {
        (0..<count).map { RingNode(name: "s\($0)", host: "s\($0)", weight: weights?[$0] ?? 1) }
    }

    @Test(arguments: [(Algorithm.ketama, 1.25), (.ketama, 1.12), (.vnodes, 1.2)])
    func smallestCountMatchesDirectRings(algorithm: Algorithm, target: Double) throws {
        let nodes = Self.nodes(5, weights: [1, 2, 3, 1, 2])
        let result = try BalanceSearch.search(algorithm, nodes: nodes, target: target)
        let found = try #require(result.value)
        let step = algorithm == .ketama ? 4 : 1
        // Every smaller count misses the target; the found one meets it, with the same peak.
        var n = step
        while n < found {
            let ring = try RingFactory.make(algorithm, nodes: nodes, options: RingOptions(vnodes: n))
            #expect(Balance(ring).peakToMean > target, "\(algorithm) at \(n)")
            n += step
        }
        let ring = try RingFactory.make(algorithm, nodes: nodes, options: RingOptions(vnodes: found))
        #expect(abs(Balance(ring).peakToMean - result.peakToMean) < 1e-9)
        #expect(result.peakToMean <= target)
    }

    @Test func multiProbeSearchesProbes() throws {
        let nodes = Self.nodes(10)
        let result = try BalanceSearch.search(.multiprobe, nodes: nodes, target: 1.1)
        let k = try #require(result.value)
        let ring = try RingFactory.make(.multiprobe, nodes: nodes, options: RingOptions(probes: k))
        #expect(Balance(ring).peakToMean <= 1.1)
        if k > 1 {
            let fewer = try RingFactory.make(.multiprobe, nodes: nodes, options: RingOptions(probes: k - 1))
            #expect(Balance(fewer).peakToMean > 1.1)
        }
    }

    @Test func refusesWhatCannotBeSearched() {
        #expect(throws: RingError.self) { try BalanceSearch.search(.jump, nodes: Self.nodes(3), target: 1.05) }
        #expect(throws: RingError.self) { try BalanceSearch.search(.ketama, nodes: Self.nodes(3), target: 0.9) }
    }
}

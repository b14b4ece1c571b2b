import Testing
import HashRing

/// What moves on a change, against the lower bound ½·Σ|new share − old share|.
@Suite struct MovementTests {
    static func nodes(_ spec: String) -> [RingNode] { try! NodeList.parse(list: spec) }

    /// A scripted ring: owner of key "i" is `owners[i]`, so the moves are known by hand.
    final class Scripted: ConsistentHash {
        let algorithm = Algorithm.rendezvous
        let nodes: [RingNode]
        let owners: [Int]
        init(_ names: String, _ owners: [Int]) { nodes = MovementTests.nodes(names); self.owners = owners }
        func owner(of key: UnsafeRawBufferPointer) -> Int { owners[Int(String(decoding: key, as: UTF8.self))!] }
        func shares() -> Shares { Shares(ratios: [], method: .expectation) }
        var memoryBytes: Int { 0 }
        var lookupCost: String { "" }
    }

    /// 10 keys; old a,b,c own 4,3,3; new a,b,d own 3,3,4 with these moves:
    /// a→d 1, c→d 3. Shares change a −1, b 0, c −3, d +4: bound ½·8 = 4 = moved.
    /// Then the same shares with two extra swaps a↔b: moved 6, bound 4, avoidable 2.
    @Test func lowerBoundByHand() {
        let old = Scripted("a,b,c", [0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
        let new = Scripted("a,b,d", [0, 0, 0, 2, 1, 1, 1, 2, 2, 2])
        var counter = KeyMovementCounter(old: old, new: new)
        for i in 0..<10 { Array("\(i)".utf8).withUnsafeBytes { counter.add($0) } }
        let result = counter.result()
        #expect(result.nodes == ["a", "b", "c", "d"])
        #expect(result.movedUnits == 4)
        #expect(result.lowerBoundUnits == 4)
        #expect(result.betweenSurvivorsRatio == 0)

        let swapped = Scripted("a,b,d", [1, 0, 0, 2, 0, 1, 1, 2, 2, 2])
        var counter2 = KeyMovementCounter(old: old, new: swapped)
        for i in 0..<10 { Array("\(i)".utf8).withUnsafeBytes { counter2.add($0) } }
        let churn = counter2.result()
        #expect(churn.movedUnits == 6)
        #expect(churn.lowerBoundUnits == 4)
        #expect(abs(churn.avoidableRatio - 0.2) < 1e-12)
        #expect(abs(churn.betweenSurvivorsRatio - 0.2) < 1e-12)
    }

    /// A node joining a vnode ring takes exactly its own arcs: moved = bound = its new share,
    /// all of it to the new node, exactly (integer arcs of 2^64).
    @Test func vnodeJoinMovesExactlyTheBound() throws {
        let old = try RingFactory.make(.vnodes, nodes: Self.nodes("a,b,c,d"))
        let new = try RingFactory.make(.vnodes, nodes: Self.nodes("a,b,c,d,e"))
        let movement = Movement.space(from: old, to: new)
        #expect(movement.movedUnits == movement.lowerBoundUnits)
        #expect(movement.transfers.allSatisfy { movement.nodes[$0.to] == "e" })
        #expect(abs(movement.movedRatio - new.shares().ratios[4]) < 1e-15)
        #expect(movement.total == UInt128(1) << 64)
    }

    /// Equal-weight ketama keeps 160 points per server from 4 to 5 servers: no churn. Weighted
    /// ketama rescales: a join moves points of servers that did not change.
    @Test func ketamaChurn() throws {
        let equal = Movement.space(from: try RingFactory.make(.ketama, nodes: Self.nodes("a,b,c,d")),
                                   to: try RingFactory.make(.ketama, nodes: Self.nodes("a,b,c,d,e")))
        #expect(equal.movedUnits == equal.lowerBoundUnits)
        #expect(equal.total == UInt128(1) << 32)
        let weighted = Movement.space(from: try RingFactory.make(.ketama, nodes: Self.nodes("a=1,b=2,c=3")),
                                      to: try RingFactory.make(.ketama, nodes: Self.nodes("a=1,b=2,c=3,d=4")))
        #expect(weighted.movedUnits > weighted.lowerBoundUnits)
        #expect(weighted.betweenSurvivorsRatio > 0.01)
    }

    /// Identity is host and port: `a` and `a:11211` are the same server in both lists.
    @Test func nodesMatchByHostAndPort() throws {
        let movement = Movement.space(from: try RingFactory.make(.ketama, nodes: Self.nodes("a,b")),
                                      to: try RingFactory.make(.ketama, nodes: Self.nodes("a:11211,b:11211")))
        #expect(movement.movedRatio == 0)
        #expect(movement.nodes == ["a", "b"])
    }

    /// Jump and rendezvous: adding a node moves keys only to it (sampled, so exact in counts).
    @Test(arguments: [Algorithm.jump, .rendezvous])
    func addingMovesOnlyToTheNewNode(algorithm: Algorithm) throws {
        let movement = Movement.space(from: try RingFactory.make(algorithm, nodes: Self.nodes("a,b,c,d")),
                                      to: try RingFactory.make(algorithm, nodes: Self.nodes("a,b,c,d,e")), sampleKeys: 20_000)
        #expect(movement.movedUnits == movement.lowerBoundUnits)
        #expect(movement.betweenSurvivorsRatio == 0)
        #expect(abs(movement.movedRatio - 0.2) < 0.02)
    }

    /// Maglev's table compared entry by entry: a join moves about 1/(n+1), slightly more than the bound.
    @Test func maglevNearlyConsistent() throws {
        let movement = Movement.space(from: try RingFactory.make(.maglev, nodes: Self.nodes("a,b,c,d,e,f,g,h,i")),
                                      to: try RingFactory.make(.maglev, nodes: Self.nodes("a,b,c,d,e,f,g,h,i,j")))
        #expect(movement.total == 65537)
        #expect(abs(movement.lowerBoundRatio - 0.1) < 0.001)
        #expect(movement.movedRatio >= movement.lowerBoundRatio)
        #expect(movement.movedRatio < 0.15)
    }
}

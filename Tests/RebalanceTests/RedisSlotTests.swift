import Testing
import Rebalance
import ScaleCore

/// redis-cli's rebalance arithmetic, worked by hand from `clusterManagerCommandRebalance`
/// (redis-cli.c). The integration test (`RedisClusterTests` in ScaleCLITests) checks the same
/// against a real cluster's `redis-cli --cluster rebalance --cluster-simulate`.
@Suite struct RedisSlotTests {
    /// `CLUSTER NODES` as Redis 7.0 printed it for a 3-master cluster made by
    /// `redis-cli --cluster create` plus an empty master that joined with CLUSTER MEET.
    static let clusterNodes = """
    9f44d6ac5b1207e30dfd22afdaa17c06f2afcae4 127.0.0.1:21004@31004 master - 0 1795452211037 0 connected
    b3a50a96ac5f2131baf487bd8468962166f2ddf6 127.0.0.1:21003@31003 master - 0 1795452208020 3 connected 10923-16383
    70ad1883e218c1ace355002eb18e500a9671d669 127.0.0.1:21001@31001 myself,master - 0 1795452210000 1 connected 0-5460
    4e439ced5f50c86d85bb62ed7eaa9e22ed6b4f04 127.0.0.1:21002@31002 master - 0 1795452210034 2 connected 5461-10922

    """

    static func masters() throws -> [RedisMaster] {
        try RedisClusterNodes.parse(Array(clusterNodes.utf8), source: "nodes.txt")
    }

    @Test func clusterNodesParsesMastersMyselfFirst() throws {
        let masters = try Self.masters()
        #expect(masters.map(\.name) == ["127.0.0.1:21001", "127.0.0.1:21004", "127.0.0.1:21003", "127.0.0.1:21002"])
        #expect(masters.map(\.slots.count) == [5461, 0, 5461, 5462])
        #expect(masters[3].slots.first == 5461 && masters[3].slots.last == 10922)
    }

    /// Four masters, the fourth empty, `--cluster-use-empty-masters`: total weight 4, expected
    /// (int)(16384 / 4.0f × 1) = 4096 each. Balances 5461 − 4096 = 1365 (21001), −4096 (21004),
    /// 1365 (21003), 5462 − 4096 = 1366 (21002); they sum to 0, so no fix-up. Sorted ascending
    /// (stable): 21004, 21001, 21003, 21002. The receiver 21004 takes from the biggest giver
    /// first: 1366 from 21002, then 1365 from 21003, then 1365 from 21001 — 1366/1365/1365.
    @Test func emptyFourthMasterGetsSlotsFromTheOthers() throws {
        let plan = try RedisSlotRebalance(masters: Self.masters(), useEmptyMasters: true)
        #expect(plan.totalWeight == 4)
        #expect(plan.nodes.map(\.expected) == [4096, 4096, 4096, 4096])
        #expect(plan.nodes.map(\.balance) == [1365, -4096, 1365, 1366])
        #expect(plan.redisCliLines == [
            ">>> Rebalancing across 4 nodes. Total weight = 4.00",
            "Moving 1366 slots from 127.0.0.1:21002 to 127.0.0.1:21004",
            "Moving 1365 slots from 127.0.0.1:21003 to 127.0.0.1:21004",
            "Moving 1365 slots from 127.0.0.1:21001 to 127.0.0.1:21004",
        ])
        // Each move takes the giver's lowest slots.
        #expect(plan.moves.map { RedisSlotRebalance.ranges($0.slots) } == ["5461-6826", "10923-12287", "0-1364"])
        #expect(plan.nodes.map(\.slotsAfter) == [4096, 4096, 4096, 4096])
    }

    /// Weight 2 on the empty master: total 5. 16384 / 5.0f is 3276.800048828125 in single
    /// precision; × 1 truncates to 3276, × 2 = 6553.6001 truncates to 6553. Balances 2185, −6553,
    /// 2185, 2186 sum to 3, so the fix-up walks the masters in order and takes one from each
    /// with balance ≤ 0 — only 21004 — three times: −6556. Moves 2186 + 2185 + 2185 = 6556.
    @Test func weightTwoAndTheRoundingFixUp() throws {
        let plan = try RedisSlotRebalance(masters: Self.masters(), weights: [("9f44", "2")], useEmptyMasters: true)
        #expect(plan.totalWeight == 5)
        #expect(plan.nodes.map(\.expected) == [3276, 6553, 3276, 3276])
        #expect(plan.nodes.map(\.balance) == [2185, -6556, 2185, 2186])
        #expect(plan.redisCliLines == [
            ">>> Rebalancing across 4 nodes. Total weight = 5.00",
            "Moving 2186 slots from 127.0.0.1:21002 to 127.0.0.1:21004",
            "Moving 2185 slots from 127.0.0.1:21003 to 127.0.0.1:21004",
            "Moving 2185 slots from 127.0.0.1:21001 to 127.0.0.1:21004",
        ])
        #expect(plan.nodes.map(\.slotsAfter) == [3276, 6556, 3276, 3276])
    }

    /// Without --use-empty-masters the empty master is left out, and 5461/5461/5462 against an
    /// expected (int)(16384 / 3.0f) = 5461 is off by at most |100 − 100·5461/5462| = 0.018 %,
    /// under the 2 % threshold.
    @Test func withinTheThresholdNothingMoves() throws {
        let plan = try RedisSlotRebalance(masters: Self.masters())
        #expect(plan.nodes.count == 3)
        #expect(!plan.thresholdReached)
        #expect(plan.moves.isEmpty)
        #expect(plan.redisCliLines == ["*** No rebalancing needed! All nodes are within the 2.00% threshold."])
    }

    /// The fix-up with two receivers: one master holds all 16384 slots, two are empty. Expected
    /// (int)(16384 / 3.0f) = 5461 each; balances 10923, −5461, −5461 sum to 1, so the first
    /// master with balance ≤ 0 (y) gives one more: −5462. Sorted: y, z, x. x gives y 5462
    /// (slots 0–5461), then z 5461 (5462–10922).
    @Test func fixUpGoesToTheFirstReceiverInOrder() throws {
        let masters = [RedisMaster(name: "x", slots: Array(0..<16384)), RedisMaster(name: "y", slots: []), RedisMaster(name: "z", slots: [])]
        let plan = try RedisSlotRebalance(masters: masters, useEmptyMasters: true)
        #expect(plan.nodes.map(\.balance) == [10923, -5462, -5461])
        #expect(plan.moves.map(\.count) == [5462, 5461])
        #expect(plan.moves.map { RedisSlotRebalance.ranges($0.slots) } == ["0-5461", "5462-10922"])
        #expect(plan.nodes.map(\.slotsAfter) == [5461, 5462, 5461])
    }

    /// A custom threshold: 8000/8384 against 8192 expected is 2.4 % and 2.29 % off — over 2 %,
    /// under 3 %.
    @Test func thresholdIsAPercentage() throws {
        let masters = [RedisMaster(name: "a", slots: Array(0..<8000)), RedisMaster(name: "b", slots: Array(8000..<16384))]
        #expect(try RedisSlotRebalance(masters: masters).redisCliLines == [
            ">>> Rebalancing across 2 nodes. Total weight = 2.00", "Moving 192 slots from b to a",
        ])
        #expect(try !RedisSlotRebalance(masters: masters, threshold: 3).thresholdReached)
    }

    @Test func nodesFromCountsAreLaidOutInOrder() throws {
        let masters = try RedisClusterNodes.fromCounts([("a", "5461"), ("b", "5462"), ("c", "5461"), ("d", "0")])
        #expect(masters.map { RedisSlotRebalance.ranges($0.slots) } == ["0-5460", "5461-10922", "10923-16383", ""])
        #expect(throws: ScaleError.usage("the slot counts add up to 16383, not 16384", about: Parameter("nodes"),
                                         fix: "give every master's current slot count; they must cover all 16384 slots")) {
            try RedisClusterNodes.fromCounts([("a", "16383")])
        }
    }

    @Test(arguments: [
        ("abc 127.0.0.1:1@2 master - 0 0 1 connected [5-<-def]\n", "n:1: slot [5-<-def] is being migrated or imported"),
        ("abc 127.0.0.1:1@2 master - 0 0 1 connected 0-100\n", "n: 16283 of 16384 slots are not served by any master"),
        ("abc 127.0.0.1:1@2 master,fail - 0 0 1 connected 0-16383\n", "n:1: master abc is flagged master,fail"),
        ("abc 127.0.0.1:1@2 master\n", "n:1: expected at least 8 fields (id, address, flags, master, ping, pong, epoch, link state), found 3"),
        ("abc 127.0.0.1:1@2 master - 0 0 1 connected 0-16384\n", "n:1: '0-16384' is not a slot or slot range (0–16383)"),
        ("\n", "n: no CLUSTER NODES lines"),
    ])
    func brokenClusterNodesAreRefusedLikeRedisCli(text: String, message: String) {
        do {
            _ = try RedisClusterNodes.parse(Array(text.utf8), source: "n")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error.location): \(error.what)" == message)
        }
    }

    @Test func unknownWeightNameIsAnError() throws {
        #expect(throws: ScaleError.self) { try RedisSlotRebalance(masters: Self.masters(), weights: [("ffff", "2")]) }
        // By address works too.
        let plan = try RedisSlotRebalance(masters: Self.masters(), weights: [("127.0.0.1:21004", "2")], useEmptyMasters: true)
        #expect(plan.totalWeight == 5)
    }
}

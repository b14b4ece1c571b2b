import Testing
import ScaleCore
import ScaleCLI
import TestSupport

/// Against a real Redis Cluster from Debian's redis-server: `scalectl rebalance slots` reads the
/// cluster's own `CLUSTER NODES` and must print exactly the plan lines that
/// `redis-cli --cluster rebalance --cluster-simulate` prints — and after a real rebalance, the
/// cluster must hold exactly the slot ranges scalectl predicted.
@Suite("Against a real Redis Cluster", .serialized,
       .requires(RedisFixture.serverExecutable, package: "redis-server"),
       .requires(RedisFixture.cliExecutable, package: "redis-tools"))
struct RedisClusterTests {
    /// The lines of redis-cli's rebalance output that carry the plan.
    static func planLines(_ output: String) -> String {
        output.split(separator: "\n").filter {
            $0.hasPrefix(">>> Rebalancing") || $0.hasPrefix("Moving ") || $0.hasPrefix("*** No rebalancing")
        }.joined(separator: "\n") + "\n"
    }

    /// Three masters made by `redis-cli --cluster create` (5461/5462/5461 slots), plus an empty
    /// fourth added with `--cluster add-node`: the case the rebalance options exist for.
    @Test("scalectl predicts redis-cli's plan lines, then the slot ranges a real rebalance leaves")
    func predictsRedisCli() throws {
        let redis = try RedisFixture(instances: 4, cluster: true)
        defer { redis.stop() }
        try redis.createCluster(masters: [0, 1, 2])
        try redis.addNode(3, to: 0)
        try redis.waitForAgreement(from: 0, nodes: 4)

        let nodes = try redis.cli(["-h", "127.0.0.1", "-p", String(redis.ports[0]), "cluster", "nodes"])
        let newID = try #require(nodes.split(separator: "\n").first { $0.contains(" \(redis.address(3))@") }?.prefix(8), "\(nodes)")
        let firstID = try #require(nodes.split(separator: "\n").first { $0.contains("myself") }?.prefix(8))

        let scenarios: [(scalectl: [String], redisCli: [String])] = [
            ([], []),
            (["--use-empty-masters"], ["--cluster-use-empty-masters"]),
            (["--use-empty-masters", "--weight", "\(newID)=2"], ["--cluster-use-empty-masters", "--cluster-weight", "\(newID)=2"]),
            (["--weight", "\(firstID)=3"], ["--cluster-weight", "\(firstID)=3"]),
            (["--threshold", "30"], ["--cluster-threshold", "30"]),
        ]
        for scenario in scenarios {
            let ours = run(["rebalance", "slots", "-o", "redis-cli"] + scenario.scalectl, stdin: nodes)
            #expect(ours.status == .ok, "\(ours.err)")
            let theirs = try redis.cli(["--cluster", "rebalance", redis.address(0), "--cluster-simulate"] + scenario.redisCli)
            #expect(ours.out == Self.planLines(theirs), "scalectl \(scenario.scalectl) vs redis-cli \(scenario.redisCli)")
        }

        // A real rebalance: the slots each master ends with are the ranges scalectl predicted.
        let predicted = run(["rebalance", "slots", "--use-empty-masters", "--show", "nodes", "-o", "csv"], stdin: nodes)
        _ = try redis.cli(["--cluster", "rebalance", redis.address(0), "--cluster-use-empty-masters"], timeout: 120)
        try redis.waitForAgreement(from: 0, nodes: 4)
        let after = try redis.cli(["-h", "127.0.0.1", "-p", String(redis.ports[0]), "cluster", "nodes"])
        let moves = run(["rebalance", "slots", "--use-empty-masters", "-o", "csv"], stdin: nodes)
        for line in moves.out.split(separator: "\r\n").dropFirst() {
            // from,to,slots,slot_ranges: the receiving master's line must list those ranges.
            let fields = line.split(separator: ",", maxSplits: 3).map { String($0).replacingQuotes() }
            let receiver = try #require(after.split(separator: "\n").first { $0.contains(" \(fields[1])@") })
            for range in fields[3].split(separator: ",") {
                #expect(receiver.split(separator: " ").contains(Substring(range)) || Self.covers(receiver, String(range)),
                        "\(fields[1]) holds \(range) after the rebalance: \(receiver)")
            }
        }
        // Every master ends with the count scalectl printed.
        for line in predicted.out.split(separator: "\r\n").dropFirst() {
            let fields = line.split(separator: ",").map(String.init)
            let nodeLine = try #require(after.split(separator: "\n").first { $0.contains(" \(fields[0])@") })
            #expect(Self.slotCount(nodeLine) == Int(fields[6]), "\(fields[0]) ends with \(fields[6]) slots")
        }
    }

    /// Slots listed on a CLUSTER NODES line (ranges and single slots after the 8th field).
    static func slotCount(_ line: Substring) -> Int {
        line.split(separator: " ").dropFirst(8).reduce(0) { total, entry in
            let bounds = entry.split(separator: "-").compactMap { Int($0) }
            return total + (bounds.count == 2 ? bounds[1] - bounds[0] + 1 : 1)
        }
    }

    /// Whether the slots of `range` ("a-b" or "a") all sit inside one of the line's ranges
    /// (Redis merges the moved range with an adjacent one it already had).
    static func covers(_ line: Substring, _ range: String) -> Bool {
        let wanted = range.split(separator: "-").compactMap { Int($0) }
        guard let low = wanted.first, let high = wanted.last else { return false }
        return line.split(separator: " ").dropFirst(8).contains { entry in
            let bounds = entry.split(separator: "-").compactMap { Int($0) }
            guard let a = bounds.first, let b = bounds.last else { return false }
            return a <= low && high <= b
        }
    }
}

extension String {
    /// A CSV field without its surrounding quotes.
    func replacingQuotes() -> String {
        hasPrefix("\"") && hasSuffix("\"") && count >= 2 ? String(dropFirst().dropLast()) : self
    }
}

import Testing
import ScaleCore
import ScaleCLI
import TestSupport

/// Golden output of `scalectl rebalance …`: exact stdout, stderr and exit status. The plan
/// numbers themselves are checked against hand-derived bounds in RebalanceTests; these tests pin
/// the command's face (inputs, formats, errors, exit codes).
@Suite struct RebalanceCommandTests {
    static let kafka = "demo/kafka-current.json"

    static func demo(_ name: String) -> String { RepositoryRoot.file("demo/\(name)") }

    @Test func planReadsStandardInputAndCSV() {
        let csv = "partition,r1,r2,size\norders-0,1,2,1GiB\norders-1,2,1,1GiB\norders-2,1,2,2GiB\norders-3,2,1,2GiB\n"
        let result = run(["rebalance", "plan", "-", "--add", "3", "-o", "csv"], stdin: csv)
        // 8 replicas over 3 brokers: 2.67 each, so broker 3 needs 2 and brokers 1 and 2 (4 each)
        // give one each. The smallest partitions go, and followers rather than leaders.
        #expect(result.out == "batch,topic,partition,from_broker,to_broker,bytes\r\n1,orders,0,2,3,1073741824\r\n1,orders,1,1,3,1073741824\r\n")
        #expect(result.status == .ok)
        // CSV has no place for the notes: the bound's proof goes to stderr.
        #expect(result.err.hasPrefix("scalectl: note: the plan meets the lower bound of 2 moves"), "\(result.err)")
    }

    /// BindingRuleTests' first cluster (broker 4, weight 2, must hold every partition; leaving
    /// broker 3's t0-1 is on it already): 5 moves over a bound of 4, and the note names why.
    @Test func aPlanOverItsBoundNamesTheBindingRule() {
        let csv = "t0-0,1,2\nt0-1,4,3\nt0-2,1,3\nt0-3,2,3\nt1-0,1,4\nt1-1,4,2\nt1-2,3,1\nt1-3,2,4\n"
        let result = run(["rebalance", "plan", "-", "--brokers", "1,2,4", "--weights", "4=2", "-o", "json"], stdin: csv)
        #expect(result.status == .ok)
        #expect(result.out.contains(#""replica_moves": 5, "lower_bound_moves": 4, "rack_lower_bound_moves": null, "moves_over_bound": 1"#), "\(result.out)")
        #expect(result.out.contains(#""binding rule (from the exact search's dual): one replica per broker: broker 4 already holds t0-1; a second copy of it there would save 1 move""#), "\(result.out)")
    }

    /// With racks the rack-by-rack bound is its own summary field: BindingRuleTests' second
    /// cluster, where rack r1 already holds t0-4 and the plan is 4 moves over a bound of 3.
    @Test func rackLowerBoundIsASummaryField() {
        let csv = "t0-0,3,5\nt0-1,3,2\nt0-2,1,3\nt0-3,1,2\nt0-4,5,1\nt0-5,2,1\n"
        let result = run(["rebalance", "plan", "-", "--brokers", "1-4", "--racks", "1=r1,2=r2,3=r0,4=r1", "-o", "json"], stdin: csv)
        #expect(result.status == .ok)
        // Rack by rack: r1 (brokers 1, 4) lacks 3 - 0 at broker 4 = 3 arrivals; departures: broker
        // 5's 2 plus broker 1's excess 1 = 3. So 3, the same as the count bound here.
        #expect(result.out.contains(#""replica_moves": 4, "lower_bound_moves": 3, "rack_lower_bound_moves": 3, "moves_over_bound": 1"#), "\(result.out)")
        #expect(result.out.contains("the rack spread in rack r1: it may hold at most 1 replica of each partition, so moving t0-4 on from broker"), "\(result.out)")
    }

    /// The machine formats carry the same numbers; python3's json module is the independent reader.
    @Test(.requires("/usr/bin/python3", package: "python3"))
    func jsonSummaryAndKafkaJSONParseWithPython() {
        let plan = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka), "--add", "5", "-o", "json"])
        #expect(plan.status == .ok)
        let summary = Subprocess.run(["python3", "-c", "import json,sys; d=json.load(sys.stdin); s=d['summary']; print(d['command'], len(d['results']), s['replica_moves'], s['lower_bound_moves'], s['balanced'])"], input: plan.out)
        #expect(summary.output == "rebalance plan 7 7 7 True\n", "\(summary.errors)")

        let file = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka), "--add", "5", "-o", "kafka-json"])
        let keys = Subprocess.run(["python3", "-c", "import json,sys; d=json.load(sys.stdin); print(d['version'], len(d['partitions']), sorted(d['partitions'][0].keys()))"], input: file.out)
        #expect(keys.output == "1 7 ['log_dirs', 'partition', 'replicas', 'topic']\n", "\(keys.errors)")
    }

    /// Issue 18's repro: broker 4 leaves; the planner's 12 is checked against the bound in
    /// RebalanceTests (MinimalMovesTests), here only that the command prints that plan.
    @Test func reproDecommissionPrintsTwelveMoves() {
        let csv = "t0-0,5,2\nt0-1,2,5\nt0-2,3,2\nt0-3,1,5\nt0-4,1,3\nt1-0,2,5,3\nt1-1,5,1,2\nt1-2,1,4,5\nt1-3,4,3,1\nt1-4,5,3,2\n"
            + "t1-5,3,1,4\nt1-6,2,1,5\nt1-7,3,1,4\nt1-8,3,1,5\nt1-9,2,1,4\nt1-10,2,4,1\nt1-11,2,5,3\nt1-12,1,5,3\nt1-13,5,3,1\n"
            + "t1-14,5,4,2\nt1-15,4,2,1\nt2-0,3,2,1\nt2-1,3,1,2\nt2-2,2,1,3\nt2-3,5,3,1\nt2-4,2,4,1\nt2-5,5,2,1\nt2-6,3,1,2\n"
            + "t2-7,1,5,3\nt2-8,2,1,5\nt2-9,1,4,3\nt2-10,3,4,5\n"
        let result = run(["rebalance", "plan", "-", "--brokers", "1,2,3,5", "-o", "csv"], stdin: csv)
        #expect(result.status == .ok)
        #expect(result.out.split(separator: "\r\n").count == 1 + 12, "\(result.out)")
    }

    @Test func batchSelectsOnePartOfTheReassignment() {
        let result = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka), "--add", "5", "-o", "kafka-json", "--batch", "2"])
        #expect(result == ("""
        {"version":1,"partitions":[
        {"topic":"payments","partition":0,"replicas":[1,5,3],"log_dirs":["any","any","any"]},
        {"topic":"payments","partition":2,"replicas":[3,4,5],"log_dirs":["any","any","any"]}
        ]}

        """, "", .ok))
        let misuse = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka), "--add", "5", "--batch", "2"])
        #expect(misuse == ("", "scalectl: error: --batch: --batch selects partitions for the reassignment file; add -o kafka-json\n", .usage))
    }

    @Test func malformedJSONNamesTheByteOffset() {
        let result = run(["rebalance", "plan", "-", "--add", "4"], stdin: "{\"version\":1,\"partitions\":[{\"topic\":\"a\" \"partition\":0}]}")
        #expect(result == ("", "scalectl: error: standard input: byte 40 (line 1, column 41): expected ',' or '}' after an object member, found '\"'; check the JSON at that position (is it the whole file?)\n", .unknown))
    }

    @Test func hostileInputIsAClearErrorNotACrash() {
        let deep = run(["rebalance", "check", "-"], stdin: String(repeating: "[", count: 200_000))
        #expect(deep.status == .unknown)
        #expect(deep.err == "scalectl: error: standard input: byte 64 (line 1, column 65): expected at most 64 levels of nesting, found a deeper array; check the JSON at that position (is it the whole file?)\n")
        let binary = run(["rebalance", "check", "-"], stdin: "\u{01}\u{02}garbage\u{7F}")
        #expect(binary == ("", "scalectl: error: standard input:1: '\u{01}\u{02}garbage\u{7F}' is not a partition; write the partition as TOPIC-NUMBER, e.g. orders-0\n", .unknown))
        let empty = run(["rebalance", "plan", "-", "--add", "3"], stdin: "\n\n")
        #expect(empty == ("", "scalectl: error: standard input: the assignment is empty; give Kafka reassignment JSON or partition,replica… lines\n", .unknown))
    }

    @Test func replicationFactorAboveTheTargetBrokersIsAnError() {
        let result = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka), "--brokers", "1,2"])
        #expect(result == ("", "scalectl: error: orders-0 has 3 replicas but there are only 2 target brokers (1,2); keep at least 3 brokers, or lower the topic's replication factor first\n", .unknown))
    }

    @Test(arguments: [
        (["--brokers", "1-5", "--add", "6"], "scalectl: error: --brokers: --brokers cannot be combined with --add or --remove; give the whole target set with --brokers, or changes with --add/--remove\n"),
        (["--remove", "9"], "scalectl: error: --remove: broker 9 holds no replicas; remove one of the brokers in the assignment: 1-4\n"),
        (["--add", "3"], "scalectl: error: --add: broker 3 already holds replicas; add a broker that is not in the assignment\n"),
        (["--add", "x"], "scalectl: error: --add: 'x' is not a broker id or range; write ids and ranges separated by commas, e.g. 1,2,3 or 1-12\n"),
        (["--add", "5", "--racks", "1=a,2=a,3=b,4=b"], "scalectl: error: --racks: brokers without a rack: 5; give every target broker a rack, e.g. 5=RACK\n"),
        (["--add", "5", "--throttle", "fast"], "scalectl: error: --throttle: 'fast' is not a rate; write bytes per second such as 50MB/s or 100MiB/s\n"),
        (["--add", "5", "--balance", "bytes"], "scalectl: error: --balance: --balance bytes needs every partition's size; orders-0 has none; give --sizes FILE (partition,bytes lines or kafka-log-dirs.sh --describe output), or a size column\n"),
        (["--add", "5", "-o", "kafka-jsn"], "scalectl: error: --format: 'kafka-jsn' is not a valid FORMAT; did you mean 'kafka-json'? use one of: table, json, ndjson, csv, kafka-json\n"),
        (["--add", "5", "--racks", "@/nonexistent/racks"], "scalectl: error: --racks: cannot open /nonexistent/racks: No such file or directory; check the path\n"),
    ])
    func usageErrorsNameTheFlagAndTheFix(arguments: [String], message: String) {
        let result = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka)] + arguments)
        #expect(result.out == "")
        #expect(result.err == message)
        #expect(result.status == (message.contains("cannot open") ? .unknown : .usage))
    }

    @Test func racksFromAFileAndWeights() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-racks")
        defer { dir.remove() }
        try dir.write("racks.txt", Array("# broker,rack\n1,a\n2,a\n3,b\n4,b\n5=c\n".utf8))
        let result = run(["rebalance", "plan", RepositoryRoot.file(Self.kafka), "--add", "5", "--racks", "@\(dir.path)/racks.txt", "--weights", "5=2", "-o", "csv", "--show", "brokers"])
        #expect(result.status == .ok, "\(result.err)")
        // Broker 5 weighs 2 of 6: 36 × 2/6 = 12 replicas; it is the only broker in rack c, and
        // each partition (RF 3 over 3 racks) needs one replica per rack: all 12 partitions.
        let lines = result.out.split(separator: "\r\n").map(String.init)
        #expect(lines.last?.hasPrefix("5,c,2,12,0,12,") == true, "\(result.out)")
    }

    @Test func checkExitsOnTheWorstFinding() {
        let balanced = run(["rebalance", "check", RepositoryRoot.file(Self.kafka), "--warning", "10%", "-o", "json"])
        #expect(balanced.status == .ok)
        // Racks a = {1,2,3}, b = {4}: RF 3 over 2 racks puts 1 or 2 replicas in each rack, and
        // rack b's one broker can take only 1, so broker 4 must hold all 12 partitions and
        // brokers 1-3 share the other 24 (8 each). orders-0 (1,2,3) is all in rack a.
        let racks = run(["rebalance", "check", RepositoryRoot.file(Self.kafka), "--racks", "1=a,2=a,3=a,4=b", "-o", "csv"])
        #expect(racks.status == .warning)
        #expect(racks.out == "broker,rack,weight,replicas,target_replicas,skew_ratio,leaders,target_leaders,bytes,status\r\n"
            + "1,a,1,9,8,0.125,3,3,,OK\r\n2,a,1,9,8,0.125,3,3,,OK\r\n3,a,1,9,8,0.125,3,3,,OK\r\n4,b,1,9,12,0.25,3,3,,OK\r\n")
        let table = run(["rebalance", "check", RepositoryRoot.file(Self.kafka), "--racks", "1=a,2=a,3=a,4=b"])
        #expect(table.out.hasSuffix("note: not spread over racks: orders-0, orders-6, payments-0\nnote: 'scalectl rebalance plan' gives the fewest moves that balance it\n"))
        let gate = run(["rebalance", "check", RepositoryRoot.file(Self.kafka), "--brokers", "1-5", "--warning", "10%", "--critical", "50%"])
        #expect(gate.status == .critical)
        let underReplicated = run(["rebalance", "check", "-"], stdin: "t-0,1,2,3\nt-1,2,3,1\nt-2,3,1\n")
        #expect(underReplicated.status == .warning)
        #expect(underReplicated.out.contains("note: under-replicated: t-2\n"))
    }

    /// check's prometheus output is valid for node_exporter's textfile collector: promtool is
    /// the independent judge (one series per broker, no name shared by row and summary).
    @Test(.requires("/usr/bin/promtool", package: "prometheus"))
    func checkPrometheusOutputPassesPromtool() {
        let result = run(["rebalance", "check", RepositoryRoot.file(Self.kafka), "--racks", "1=a,2=a,3=b,4=b", "-o", "prometheus"])
        #expect(result.out.contains("scalectl_rebalance_check_replicas{broker=\"4\",rack=\"b\",status=\"OK\"} 9\n"))
        let lint = Subprocess.run(["promtool", "check", "metrics"], input: result.out)
        #expect(lint.status == 0, "\(lint.output)\(lint.errors)")
    }

    @Test func slotsFromStandardInputMatchesRedisCliLines() throws {
        let nodes = try #require(readTextFile(Self.demo("redis-cluster-nodes.txt")))
        let result = run(["rebalance", "slots", "--use-empty-masters", "-o", "redis-cli"], stdin: nodes)
        #expect(result == ("""
        >>> Rebalancing across 4 nodes. Total weight = 4.00
        Moving 1366 slots from 127.0.0.1:21002 to 127.0.0.1:21004
        Moving 1365 slots from 127.0.0.1:21003 to 127.0.0.1:21004
        Moving 1365 slots from 127.0.0.1:21001 to 127.0.0.1:21004

        """, "", .ok))
        let json = run(["rebalance", "slots", "--use-empty-masters", "-o", "json"], stdin: nodes)
        #expect(json.out.contains(#"{"from": "127.0.0.1:21002", "to": "127.0.0.1:21004", "slots": 1366, "slot_ranges": "5461-6826"}"#))
    }

    @Test(arguments: [
        (["--nodes", "a=5461,b=5462,c=5461,d=0", "--weight", "e=2"], "scalectl: error: --weight: no such master node e; name a master by a node id prefix or its address: a, b, c, d\n"),
        (["--nodes", "a=16000"], "scalectl: error: --nodes: the slot counts add up to 16000, not 16384; give every master's current slot count; they must cover all 16384 slots\n"),
        (["--nodes", "a=16384", "--threshold", "lots"], "scalectl: error: --threshold: 'lots' is not a percentage; write a number of percent such as 2 or 0.5\n"),
        ([], "scalectl: error: no CLUSTER NODES output on standard input; pipe 'redis-cli -h HOST -p PORT cluster nodes' into it, or give --nodes a=5461,b=5462,…\n"),
    ])
    func slotsUsageErrors(arguments: [String], message: String) {
        let result = run(["rebalance", "slots"] + arguments, stdin: "")
        #expect(result == ("", message, .usage))
    }
}


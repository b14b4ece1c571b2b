import Testing
import Rebalance
import ScaleCore

/// The inputs as Kafka's tools print them. The sample documents follow Kafka's documentation
/// ("Automatically migrating data to new machines" and `kafka-log-dirs.sh --describe`).
@Suite struct InputFormatTests {
    /// kafka-reassign-partitions.sh --generate, as the Kafka documentation shows it.
    static let generateOutput = """
    Current partition replica assignment
    {"version":1,"partitions":[{"topic":"foo1","partition":0,"replicas":[3,4],"log_dirs":["any","any"]},{"topic":"foo1","partition":1,"replicas":[2,3],"log_dirs":["any","any"]},{"topic":"foo2","partition":0,"replicas":[3,4],"log_dirs":["any","any"]}]}

    Proposed partition reassignment configuration
    {"version":1,"partitions":[{"topic":"foo1","partition":0,"replicas":[6,5],"log_dirs":["any","any"]},{"topic":"foo1","partition":1,"replicas":[5,6],"log_dirs":["any","any"]},{"topic":"foo2","partition":0,"replicas":[5,6],"log_dirs":["any","any"]}]}

    """

    @Test func generateOutputYieldsTheCurrentAssignment() throws {
        let assignment = try AssignmentInput.parse(Array(Self.generateOutput.utf8), source: "gen.txt")
        #expect(assignment.partitions.map(\.id) == [TopicPartition("foo1", 0), TopicPartition("foo1", 1), TopicPartition("foo2", 0)])
        #expect(assignment.partitions.map(\.replicas) == [[3, 4], [2, 3], [3, 4]])
        #expect(assignment.partitions[0].logDirs == ["any", "any"])
    }

    /// Encode → parse gives back the same partitions, and the encoding is what Kafka reads: the
    /// document parses as JSON with exactly Kafka's four keys per partition.
    @Test func kafkaJSONRoundTrips() throws {
        let original = try AssignmentInput.parse(Array(Self.generateOutput.utf8), source: "gen.txt")
        let text = KafkaReassignmentJSON.encode(original.partitions)
        #expect(text == """
        {"version":1,"partitions":[
        {"topic":"foo1","partition":0,"replicas":[3,4],"log_dirs":["any","any"]},
        {"topic":"foo1","partition":1,"replicas":[2,3],"log_dirs":["any","any"]},
        {"topic":"foo2","partition":0,"replicas":[3,4],"log_dirs":["any","any"]}
        ]}

        """)
        let again = try KafkaReassignmentJSON.parse(Array(text.utf8), source: "out.json")
        #expect(again == original)
        let escaped = [PartitionReplicas(TopicPartition("we\"ird\\topic", 7), replicas: [1, 2, 3])]
        #expect(try KafkaReassignmentJSON.parse(Array(KafkaReassignmentJSON.encode(escaped).utf8), source: "x").partitions.map(\.id) == [TopicPartition("we\"ird\\topic", 7)])
    }

    @Test(arguments: [
        (#"{"version":2,"partitions":[]}"#, "a.json: version: \"version\" is 2; only version 1 is defined"),
        (#"{"version":1}"#, "a.json: no \"partitions\" array"),
        (#"[1]"#, "a.json: the document is an array, not a reassignment object"),
        (#"{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,"2"]}]}"#, "a.json: partitions[0]: replicas[1] is \"2\", not a broker id (a whole number from 0)"),
        (#"{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,1]}]}"#, "a.json: partitions[0]: t-0 lists broker 1 twice"),
        (#"{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}"#, "a.json: partitions[1]: t-0 appears again (first at partitions[0])"),
        (#"{"version":1,"partitions":[{"topic":"t","partition":-1,"replicas":[1]}]}"#, "a.json: partitions[0]: needs \"partition\" as a whole number from 0"),
        (#"{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[]}]}"#, "a.json: partitions[0]: t-0 has no replicas"),
        (#"{"version":1,"partitions":[{"topic":"t","partition":0,"replicas":[1,2],"log_dirs":["any"]}]}"#, "a.json: partitions[0]: \"log_dirs\" must be an array with one entry per replica"),
        (#"{"version":1,"partitions":[]}"#, "a.json: the assignment lists no partitions"),
    ])
    func badDocumentsSayWhatIsWrongAndWhere(text: String, message: String) {
        do {
            _ = try AssignmentInput.parse(Array(text.utf8), source: "a.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error.location): \(error.what)" == message)
        }
    }

    @Test func csvWithSizesAndComments() throws {
        let text = """
        # exported from the cluster
        partition,replica1,replica2,replica3,size
        orders-0,1,2,3,12GiB
        orders-1, 2, 3, 1 ,512

        my-topic-name-10,3,1,2,1.5MB
        """
        let assignment = try AssignmentInput.parse(Array(text.utf8), source: "a.csv")
        #expect(assignment.partitions.map(\.id) == [TopicPartition("orders", 0), TopicPartition("orders", 1), TopicPartition("my-topic-name", 10)])
        #expect(assignment.partitions.map(\.replicas) == [[1, 2, 3], [2, 3, 1], [3, 1, 2]])
        #expect(assignment.partitions.map(\.sizeBytes) == [12 * 1_073_741_824, 512, 1_500_000])
    }

    @Test func csvWithoutHeaderIsAllReplicas() throws {
        let assignment = try AssignmentInput.parse(Array("a-0,1,2\r\na-1,2,3\r\n".utf8), source: "a.csv")
        #expect(assignment.partitions.map(\.replicas) == [[1, 2], [2, 3]])
        #expect(assignment.partitions.allSatisfy { $0.sizeBytes == nil })
    }

    @Test(arguments: [
        ("orders,1,2\n", "a.csv:1: 'orders' is not a partition"),
        ("a-0,1,x\n", "a.csv:1: 'x' is not a broker id"),
        ("a-0,1,2\na-0,2,3\n", "a.csv:2: a-0 appears again (first on line 1)"),
        ("a-0\n", "a.csv:1: a-0 has no replicas"),
        ("partition,r1,size\na-0,1,lots\n", "a.csv:2: 'lots' is not a size"),
    ])
    func badCSVNamesTheLine(text: String, message: String) {
        do {
            _ = try AssignmentInput.parse(Array(text.utf8), source: "a.csv")
            Issue.record("accepted \(text)")
        } catch {
            #expect("\(error.location): \(error.what)" == message)
        }
    }

    /// kafka-log-dirs.sh --describe prints two lines, then JSON; a partition's size is its
    /// largest non-future replica.
    @Test func logDirsOutputGivesSizes() throws {
        let text = """
        Querying brokers for log directories information
        Received log directory information from brokers 1,2
        {"version":1,"brokers":[{"broker":1,"logDirs":[{"logDir":"/var/kafka","error":null,"partitions":[{"partition":"orders-0","size":1000,"offsetLag":0,"isFuture":false},{"partition":"orders-1","size":2000,"offsetLag":0,"isFuture":false}]}]},{"broker":2,"logDirs":[{"logDir":"/var/kafka","error":null,"partitions":[{"partition":"orders-0","size":1200,"offsetLag":0,"isFuture":false},{"partition":"orders-1","size":9999,"offsetLag":0,"isFuture":true}]}]}]}
        """
        let sizes = try PartitionSizes.parse(Array(text.utf8), source: "dirs.txt")
        #expect(sizes == [TopicPartition("orders", 0): 1200, TopicPartition("orders", 1): 2000])
    }

    @Test func sizesCSV() throws {
        let sizes = try PartitionSizes.parse(Array("partition,size\norders-0,1KiB\norders-1,5MB\n".utf8), source: "s.csv")
        #expect(sizes == [TopicPartition("orders", 0): 1024, TopicPartition("orders", 1): 5_000_000])
    }

    @Test func topicPartitionSplitsAtTheLastDash() {
        #expect(TopicPartition.parse("a-b-c-12") == TopicPartition("a-b-c", 12))
        #expect(TopicPartition.parse("abc") == nil)
        #expect(TopicPartition.parse("-3") == nil)
        #expect(TopicPartition.parse("a-") == nil)
        #expect(TopicPartition.parse("a-1x") == nil)
        #expect(TopicPartition.parse("a-99999999999") == nil)
    }

    @Test func brokerListsAndPairs() throws {
        #expect(try BrokerIDs.parse("1-4, 7,9-9", about: Parameter("brokers")) == [1, 2, 3, 4, 7, 9])
        #expect(BrokerIDs.format([1, 2, 3, 4, 7, 9, 10]) == "1-4,7,9,10")
        #expect(throws: ScaleError.self) { try BrokerIDs.parse("1,,2", about: Parameter("brokers")) }
        #expect(throws: ScaleError.self) { try BrokerIDs.parse("5-3", about: Parameter("brokers")) }
        // The largest ranges allowed, overlapping, in linear time (the fuzzer's `9-53539` was quadratic).
        let clock = ContinuousClock()
        let started = clock.now
        let wide = try BrokerIDs.parse("0-99999,50000-149998", about: Parameter("brokers"))
        #expect(wide.count == 149_999 && wide.first == 0 && wide.last == 149_998)
        #expect(clock.now - started < .seconds(2))
        #expect(try KeyValueList.racks("1=a, 2=b", about: Parameter("racks")) == [1: "a", 2: "b"])
        #expect(try KeyValueList.racks("# racks\n1,us-east-1a\n2=us-east-1b\n\n", about: Parameter("racks")) == [1: "us-east-1a", 2: "us-east-1b"])
        #expect(try KeyValueList.weights("7=2,8=0.5", about: Parameter("weights")) == [7: 2, 8: 0.5])
        #expect(throws: ScaleError.usage("'0' is not a positive weight", about: Parameter("weights"), fix: "write BROKER=WEIGHT, e.g. 7=2")) {
            try KeyValueList.weights("7=0", about: Parameter("weights"))
        }
    }

    @Test func clusterSpecChecksItsInputs() throws {
        let current = [1, 2, 3]
        #expect(try ClusterSpec.resolve(current: current, brokers: nil, add: [4], remove: [1], racks: [:], weights: [:]).brokers == [2, 3, 4])
        #expect(throws: ScaleError.usage("broker 9 holds no replicas", about: Parameter("remove"), fix: "remove one of the brokers in the assignment: 1-3")) {
            try ClusterSpec.resolve(current: current, brokers: nil, add: [], remove: [9], racks: [:], weights: [:])
        }
        #expect(throws: ScaleError.self) { try ClusterSpec.resolve(current: current, brokers: [1], add: [2], remove: [], racks: [:], weights: [:]) }
        #expect(throws: ScaleError.usage("brokers without a rack: 3", about: Parameter("racks"), fix: "give every target broker a rack, e.g. 3=RACK")) {
            try ClusterSpec.resolve(current: current, brokers: nil, add: [], remove: [], racks: [1: "a", 2: "b"], weights: [:])
        }
    }
}

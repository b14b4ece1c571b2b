import Testing
import QueueBacklog
import ScaleCore

@Suite struct SampleFileTests {
    @Test func csvWithoutHeaderIsPositional() throws {
        let text = "# orders\n1714550400,100,1000,900\n2024-05-01T08:01:00Z,160,1600,1440,\n"
        let series = try SampleFile.parse(Array(text.utf8), file: "f.csv", defaultQueue: "q")
        #expect(series.count == 1 && series[0].queue == "q")
        #expect(series[0].samples == [
            BacklogSample(time: 1_714_550_400, depth: 100, arrivedTotal: 1000, deletedTotal: 900),
            BacklogSample(time: 1_714_550_460, depth: 160, arrivedTotal: 1600, deletedTotal: 1440),
        ])
    }

    @Test func csvHeaderNamesColumnsAndQueues() throws {
        let text = "queue,time,depth,oldest_age\r\n\"a,b\",0,5,1m\r\nc,0,7,\r\n\"a,b\",10,6,70\r\n"
        let series = try SampleFile.parse(Array(text.utf8), file: "f.csv", defaultQueue: "q")
        #expect(series.map(\.queue) == ["a,b", "c"])
        #expect(series[0].samples.map(\.oldestAgeSeconds) == [60, 70])
        #expect(series[1].samples[0].oldestAgeSeconds == nil)
    }

    @Test func ndjsonWithNullsAndExtraKeys() throws {
        let text = """
        {"timestamp":"2024-05-01T08:00:00Z","depth":10,"arrived_total":null,"consumers":3,"note":"x"}
        {"timestamp":1714550460,"depth":12}
        """
        let series = try SampleFile.parse(Array(text.utf8), file: "f.ndjson", defaultQueue: "q")
        #expect(series[0].samples == [
            BacklogSample(time: 1_714_550_400, depth: 10, consumers: 3),
            BacklogSample(time: 1_714_550_460, depth: 12),
        ])
    }

    @Test(arguments: [
        ("0,x\n", "f:1: depth 'x' is not a count; write a whole number of messages"),
        ("0,-1\n", "f:1: depth '-1' is not a count; write a whole number of messages"),
        ("0,1\nnoon,2\n", "f:2: 'noon' is not a timestamp; write Unix seconds or RFC 3339 such as 2024-05-01T08:00:00Z"),
        ("time,size\n", "f:1: unknown column 'size'; columns are timestamp, depth, arrived_total, deleted_total, oldest_age_seconds, consumers, queue"),
        ("0,1,2,3,4,5,6\n", "f:1: 7 fields, expected at most 5; check the separators"),
        ("{\"depth\":1}\n", "f:1: missing timestamp"),
        ("{\"timestamp\":1,\"depth\":[1]}\n", "f:1: depth is an array; write a number or a string"),
        ("{\"timestamp\":1,\n", "f:1:16: expected a quoted key in an object"),
        ("\n# nothing\n", "f: no samples; write rows of timestamp,depth[,arrived_total,deleted_total,oldest_age_seconds]"),
        ("\u{0}\u{1}\u{FF}binary\n", "f:1: unknown column '\u{0}\u{1}\u{FF}binary'; columns are timestamp, depth, arrived_total, deleted_total, oldest_age_seconds, consumers, queue"),
    ])
    func hostileInputIsAClearError(text: String, message: String) {
        do {
            _ = try SampleFile.parse(Array(text.utf8), file: "f", defaultQueue: "q")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.description == message)
            #expect(error.kind == .input)
        }
    }
}

@Suite struct KafkaGroupsTableTests {
    /// The layout of kafka-consumer-groups.sh --describe (Kafka 2.x and later), twice, dated.
    static let twoSnapshots = """
    2024-05-01T08:00:00Z

    GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                     HOST            CLIENT-ID
    billing         orders          0          1000            1500            500             consumer-1-4f7c2a0e-1d7c-4c1e-9d8b-0f3b2f1c9a11 /10.0.0.7       consumer-1
    billing         orders          1          -               20              -               -                                               -               -
    2024-05-01T08:01:00Z

    Consumer group 'billing' has no active members.

    GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID
    billing         orders          0          1600            1800            200             -               -               -
    billing         orders          1          20              20              0               -               -               -
    """

    @Test func readsEverySnapshotWithItsTime() throws {
        let snapshots = try KafkaGroupsTable.parse(Array(Self.twoSnapshots.utf8), file: "-")
        #expect(snapshots.count == 2)
        #expect(snapshots.map(\.time) == [1_714_550_400, 1_714_550_460])
        #expect(snapshots[0].rows[0] == KafkaGroupsTable.Row(group: "billing", topic: "orders", partition: 0,
                                                             currentOffset: 1000, logEndOffset: 1500))
        #expect(snapshots[0].rows[1].currentOffset == nil)
        #expect(snapshots[1].rows.map(\.logEndOffset) == [1800, 20])
    }

    @Test func readsTheOldLayoutWithoutGroup() throws {
        let text = "TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID\norders 3 7 9 2 - - -\n"
        let rows = try KafkaGroupsTable.parse(Array(text.utf8), file: "-")[0].rows
        #expect(rows == [KafkaGroupsTable.Row(group: "-", topic: "orders", partition: 3, currentOffset: 7, logEndOffset: 9)])
    }

    @Test(arguments: [
        ("hello\n", "-: no partition rows found; pipe the output of kafka-consumer-groups.sh --describe --group G (with its header row)"),
        ("TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\norders 0 x 9 2\n", "-:2: CURRENT-OFFSET 'x' is not an offset"),
        ("TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\norders zero 1 9 2\n", "-:2: 'zero' is not a partition number"),
        ("TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\norders 0 1\n", "-:2: missing LOG-END-OFFSET"),
    ])
    func hostileInput(text: String, message: String) {
        do {
            _ = try KafkaGroupsTable.parse(Array(text.utf8), file: "-")
            Issue.record("parsed \(text.debugDescription)")
        } catch {
            #expect(error.description == message)
        }
    }
}

@Suite struct ThresholdTests {
    @Test func parsesAndMergesRepeatedOptions() throws {
        let t = try BacklogThresholds().merging("depth=10000, age=5m").merging("drain=1h30m")
        #expect(t == BacklogThresholds(depth: 10_000, ageSeconds: 300, drainSeconds: 5400))
    }

    @Test(arguments: ["depth", "depth=ten", "size=1", "age=5", "depth=-1"])
    func refusesBadText(text: String) {
        #expect(throws: ScaleError.self) { try BacklogThresholds().merging(text) }
    }

    @Test func limitsAreExceededNotReached() {
        let t = BacklogThresholds(depth: 100, ageSeconds: 60, drainSeconds: 600)
        #expect(t.breaches(depth: 100, ageSeconds: 60, drainSeconds: 600) == [])
        #expect(t.breaches(depth: 101, ageSeconds: 61, drainSeconds: 601) == ["depth", "age", "drain"])
        // Not draining at all breaches a drain limit while messages wait, never when empty.
        #expect(t.breaches(depth: 5, ageSeconds: nil, drainSeconds: .infinity) == ["drain"])
        #expect(t.breaches(depth: 0, ageSeconds: nil, drainSeconds: .infinity) == [])
        // No rates yet: unknown drain time is not a breach.
        #expect(t.breaches(depth: 5, ageSeconds: nil, drainSeconds: nil) == [])
    }
}

@Suite struct ItemTimestampTests {
    /// A Sidekiq job as Sidekiq 7 pushes it (float seconds), milliseconds, RFC 3339.
    @Test func readsTheNamedField() {
        let sidekiq = #"{"retry":true,"queue":"default","class":"HardWorker","args":[1,2],"jid":"b4a577edbccf1d805744efa9","created_at":1714550390.5,"enqueued_at":1714550400.25}"#
        #expect(ItemTimestamp.read(Array(sidekiq.utf8), field: "enqueued_at") == 1_714_550_400.25)
        #expect(ItemTimestamp.read(Array(#"{"ts":1714550400250}"#.utf8), field: "ts") == 1_714_550_400.25)
        #expect(ItemTimestamp.read(Array(#"{"at":"2024-05-01T08:00:00Z"}"#.utf8), field: "at") == 1_714_550_400)
    }

    @Test(arguments: [#"{"other":1}"#, "not json", #"{"ts":"noon"}"#, #"{"ts":[1]}"#, #"[1,2]"#, ""])
    func nilWhenAbsentOrUnreadable(text: String) {
        #expect(ItemTimestamp.read(Array(text.utf8), field: "ts") == nil)
    }
}

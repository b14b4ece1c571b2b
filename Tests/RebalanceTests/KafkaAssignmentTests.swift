import Testing

/// The test generator against Kafka's own published expectations, so the starting assignments in
/// the planner tests are the ones Kafka would really have created.
@Suite struct KafkaAssignmentTests {
    /// AdminUtilsTest.testReplicaAssignment: brokers 0–4, 10 partitions, RF 3, fixedStartIndex 0.
    @Test func rackUnawareMatchesKafkasTestVector() {
        let expected = [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 0], [4, 0, 1],
                        [0, 2, 3], [1, 3, 4], [2, 4, 0], [3, 0, 1], [4, 1, 2]]
        #expect(KafkaAssignment.rackUnaware(partitions: 10, replicationFactor: 3, brokers: [0, 1, 2, 3, 4]) == expected)
    }

    /// AdminRackAwareTest.testGetRackAlternatedBrokerListAndAssignReplicasToBrokers.
    @Test func rackAwareMatchesKafkasTestVector() {
        let racks = [0: "rack1", 1: "rack3", 2: "rack3", 3: "rack2", 4: "rack2", 5: "rack1"]
        #expect(KafkaAssignment.rackAlternated(racks) == [0, 3, 1, 5, 4, 2])
        var without5 = racks
        without5[5] = nil
        #expect(KafkaAssignment.rackAlternated(without5) == [0, 3, 1, 4, 2])
        let expected = [[0, 3, 1], [3, 1, 5], [1, 5, 4], [5, 4, 2], [4, 2, 0], [2, 0, 3], [0, 4, 2]]
        #expect(KafkaAssignment.rackAware(partitions: 7, replicationFactor: 3, racks: racks) == expected)
    }
}

import QueueBacklog
import ScaleCore

/// What `scalectl backlog` reads: sample files, broker API answers, Prometheus text, Kafka tables.
extension FuzzTargets {
    static let queues: [FuzzTarget] = [
        FuzzTarget(name: "prometheus-text", input: "first line: a --metric selector; the rest: Prometheus exposition text or a query API answer") { bytes in
            let (selectorText, body) = splitFirstLine(bytes)
            let selector = try? PrometheusText.Selector.parse(selectorText)
            if let samples = try? PrometheusText.parse(body, source: "fuzz.prom"), let selector {
                _ = samples.filter(selector.matches)
            }
            _ = try? PrometheusQueryResult.parse(body, source: "fuzz.json")
        },
        FuzzTarget(name: "backlog-samples", input: "a backlog sample CSV; every series is analysed") { bytes in
            guard let series = try? SampleFile.parse(bytes, file: "fuzz.csv", defaultQueue: "q") else { return }
            for s in series { _ = BacklogAnalyzer.analyse(s.samples) }
        },
        FuzzTarget(name: "queue-api", input: "byte 0 picks RabbitMQ /api/queues or SQS GetQueueAttributes; the rest is its JSON answer") { bytes in
            guard let which = bytes.first else { return }
            let body = Array(bytes.dropFirst())
            if which & 1 == 0 {
                _ = try? RabbitMQQueues.parse(body, now: 1_700_000_000, source: "rabbitmq")
            } else {
                _ = try? SQSAttributes.parse(body, now: 1_700_000_000, source: "sqs")
            }
        },
        FuzzTarget(name: "kafka-lag", input: "kafka-consumer-groups.sh --describe output (snapshots); each partition's lag is evaluated") { bytes in
            guard let snapshots = try? KafkaGroupsTable.parse(bytes, file: "fuzz.txt") else { return }
            var byPartition: [String: [OffsetSample]] = [:]
            for (index, snapshot) in snapshots.enumerated() {
                for row in snapshot.rows {
                    byPartition["\(row.group)/\(row.topic)/\(row.partition)", default: []]
                        .append(OffsetSample(time: snapshot.time ?? Double(index * 60), committed: row.currentOffset, logEnd: row.logEndOffset))
                }
            }
            for samples in byPartition.values { _ = OffsetEvaluator.evaluate(samples) }
        },
    ]
}

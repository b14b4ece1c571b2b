import Glibc
import Testing
import QueueBacklog
import ScaleCore
@testable import QueueSources
@testable import ScaleCLI
import TestSupport

/// Backlog of real RabbitMQ queues through the management API (one node for the whole run),
/// fed and drained with curl against the same API — an independent client.
@Suite(.serialized) struct BacklogRabbitMQTests {
    static func api(_ rabbit: RabbitMQFixture, _ method: String, _ path: String, _ body: String = "") -> String {
        var arguments = ["curl", "-sS", "-u", "\(rabbit.user):\(rabbit.password)", "-X", method, rabbit.managementURL + "/api" + path]
        if !body.isEmpty { arguments += ["-H", "content-type: application/json", "-d", body] }
        return Subprocess.run(arguments).output
    }

    static func publish(_ rabbit: RabbitMQFixture, queue: String, count: Int, timestamp: Int) {
        for i in 0..<count {
            _ = api(rabbit, "POST", "/exchanges/%2F/amq.default/publish",
                    #"{"properties":{"timestamp":\#(timestamp)},"routing_key":"\#(queue)","payload":"m\#(i)","payload_encoding":"string"}"#)
        }
    }

    /// Takes `count` messages for good (ack_requeue_false counts as get_no_ack).
    static func consume(_ rabbit: RabbitMQFixture, queue: String, count: Int) {
        _ = api(rabbit, "POST", "/queues/%2F/\(queue)/get", #"{"count":\#(count),"ackmode":"ack_requeue_false","encoding":"auto"}"#)
    }

    /// Waits until the statistics show `published` and `deleted` (they update every 500 ms).
    static func settle(_ rabbit: RabbitMQFixture, queue: String, published: Int, deleted: Int) {
        for _ in 0..<100 {
            let json = api(rabbit, "GET", "/queues/%2F/\(queue)")
            // A queue that has only been published to has no get_no_ack counter yet.
            if json.contains("\"publish\":\(published),"), deleted == 0 || json.contains("\"get_no_ack\":\(deleted),") { return }
            usleep(100_000)
        }
        Issue.record("statistics never showed \(published) published and \(deleted) deleted")
    }

    /// Waits (up to 30 s) until the queue's statistics report `depth` messages.
    static func waitForDepth(_ rabbit: RabbitMQFixture, queue: String, _ depth: Int) {
        for _ in 0..<300 {
            let json = api(rabbit, "GET", "/queues/%2F/\(queue)")
            if json.contains("\"messages\":\(depth),") || json.contains("\"messages\":\(depth)}") { return }
            usleep(100_000)
        }
        Issue.record("statistics never showed \(depth) messages in \(queue)")
    }

    static var environment: [String: String] { ["RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "guest"] }

    /// Sleeps until just after the broker's next 5 s sample boundary (its history is sampled
    /// at whole multiples of msg_rates_incr), so what happened before is in a sample.
    static func waitForNextSample() {
        let now = Double(time(nil))
        let next = (now / 5).rounded(.down) * 5 + 5
        usleep(UInt32((next - now + 1.2) * 1_000_000))
    }

    /// 20 published (stamped 60 s ago) and 5 taken, then 10 more published and 4 taken, with a
    /// sample boundary between: one poll reads the broker's history, which starts from the
    /// empty queue. So λ·Δt = 30 and μ·Δt = 9 over the window, depth 30 − 9 = 21, the head
    /// message 60 s old (at the last sample's time), and no consumers: IDLE.
    @Test(.requires(RabbitMQFixture.executable, package: "rabbitmq-server"))
    func ratesFromTheBrokersSampleHistory() throws {
        let rabbit = try RabbitMQFixture.shared()
        _ = Self.api(rabbit, "PUT", "/queues/%2F/orders", #"{"durable":false}"#)
        Self.waitForNextSample()
        let stamp = Int(time(nil)) - 60
        Self.publish(rabbit, queue: "orders", count: 20, timestamp: stamp)
        Self.consume(rabbit, queue: "orders", count: 5)
        Self.settle(rabbit, queue: "orders", published: 20, deleted: 5)
        Self.waitForNextSample()
        Self.publish(rabbit, queue: "orders", count: 10, timestamp: stamp)
        Self.consume(rabbit, queue: "orders", count: 4)
        Self.settle(rabbit, queue: "orders", published: 30, deleted: 9)
        Self.waitForDepth(rabbit, queue: "orders", 21)
        Self.waitForNextSample()

        var options = BacklogSourceOptions()
        options.environment = Self.environment
        let source = try RabbitMQQueueSource(try BacklogSourceURL.parse("rabbitmq+http://127.0.0.1:\(rabbit.managementPort)/%2F/orders", passwordVariable: "RABBITMQ_PASSWORD"), options: options)
        let poller = BacklogPoller([.init(source: source, role: "queue")])
        poller.poll(now: ServicesClock(SystemTime()).now())
        #expect(poller.failures.isEmpty)
        let result = try #require(poller.results(window: nil, checks: BacklogChecks()).first)
        let a = result.analysis
        #expect(result.queue == "orders")
        #expect(a.sampleCount >= 3 && a.windowSeconds >= 10)
        #expect(abs(a.arrivalRate! * a.windowSeconds - 30) < 1e-6)
        #expect(abs(a.deletionRate! * a.windowSeconds - 9) < 1e-6)
        #expect(a.depth == 21)
        #expect(a.consumers == 0 && a.status == .idle)
        // The head message carries the timestamp property set on publishing: its age is the
        // last sample's time minus that stamp.
        #expect(abs(a.oldestAgeSeconds! - (a.time - Double(stamp))) < 1e-6 && !a.oldestAgeEstimated)
        #expect(a.oldestAgeSeconds! >= 60)
    }

    /// With the management agent's metrics collector off, queue objects carry no counts: the
    /// built binary says UNKNOWN, names the setting and the Prometheus metric that still has the
    /// depth; that metric, read through metrics+http, gives the real depth.
    @Test(.requires(RabbitMQFixture.executable, package: "rabbitmq-server"))
    func metricsCollectorDisabledIsUnknownNotEmpty() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let rabbit = try RabbitMQFixture.sharedWithoutMetricsCollector()
        // On a busy machine the broker may take a moment to accept the queue: declare until it is there.
        for _ in 0..<50 where !Self.api(rabbit, "GET", "/queues/%2F/big").contains(#""name":"big""#) {
            _ = Self.api(rabbit, "PUT", "/queues/%2F/big", #"{"durable":false}"#)
            usleep(100_000)
        }
        Self.publish(rabbit, queue: "big", count: 5, timestamp: Int(time(nil)))
        let environment = ["RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "guest", "PATH": "/usr/bin:/bin"]
        let result = Subprocess.run([bin, "backlog", "rabbitmq+http://127.0.0.1:\(rabbit.managementPort)/%2F/big", "--critical", "depth=100"],
                                    environment: environment)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("gave no 'messages' (management_agent.disable_metrics_collector = true"), "\(result.errors)")
        #expect(result.output.contains("TOTAL DEPTH: -"), "\(result.output)")
        let metric = "metrics+http://127.0.0.1:\(rabbit.prometheusPort)/metrics/per-object"
        var depth = ""
        for _ in 0..<50 {
            let scraped = Subprocess.run([bin, "backlog", metric, "--metric", #"rabbitmq_queue_messages{queue="big"}"#, "-o", "csv", "--critical", "depth=3"],
                                         environment: environment)
            depth = scraped.output.split(separator: "\r\n").dropFirst().first.map { String($0.split(separator: ",")[4]) } ?? ""
            if depth == "5" {
                #expect(scraped.status == 2)
                break
            }
            usleep(200_000)
        }
        #expect(depth == "5")
    }

    @Test(.requires(RabbitMQFixture.executable, package: "rabbitmq-server"))
    func wholeVhostWithMatchAndThresholds() throws {
        let rabbit = try RabbitMQFixture.shared()
        for name in ["billing.high", "billing.low", "audit"] {
            _ = Self.api(rabbit, "PUT", "/queues/%2F/\(name)", #"{"durable":false}"#)
        }
        Self.publish(rabbit, queue: "billing.high", count: 3, timestamp: Int(time(nil)))
        Self.settle(rabbit, queue: "billing.high", published: 3, deleted: 0)
        // The publish counter (channel statistics) and the queue's `messages` (queue statistics)
        // are emitted separately, and a queue declared a moment ago has no `messages` at all until
        // the next emission (slower on a busy machine: up to 30 s here); scalectl rightly calls
        // that UNKNOWN, so wait until both queues report the depth the test fed them.
        Self.waitForDepth(rabbit, queue: "billing.high", 3)
        Self.waitForDepth(rabbit, queue: "billing.low", 0)
        let result = runBacklog(["backlog", "rabbitmq+http://127.0.0.1:\(rabbit.managementPort)/%2F", "--match", "^billing\\.",
                                 "--rate-interval", "0s", "--critical", "depth=2", "-o", "csv"],
                                environment: Self.environment, clock: ServicesClock(SystemTime()))
        let rows = result.out.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        // A failed run must fail this test, not crash the test process on rows[0].
        try #require(rows.count == 2 && rows.allSatisfy { $0.count > 4 }, "stdout: \(result.out) stderr: \(result.err)")
        #expect(rows.map { String($0[0]) } == ["billing.high", "billing.low"])
        #expect(rows[0][3] == "CRITICAL" && rows[0][4] == "3")
        #expect(rows[1][3] == "OK" && rows[1][4] == "0")
        #expect(result.status == .critical)
    }

    /// RabbitMQ's own Prometheus exporter (rabbitmq_prometheus) as a real text exposition:
    /// every line parses, and the per-queue depth matches the management API's.
    @Test(.requires(RabbitMQFixture.executable, package: "rabbitmq-server"))
    func scrapesRabbitMQsPrometheusExporter() throws {
        let rabbit = try RabbitMQFixture.shared()
        _ = Self.api(rabbit, "PUT", "/queues/%2F/scraped", #"{"durable":false}"#)
        Self.publish(rabbit, queue: "scraped", count: 4, timestamp: Int(time(nil)))
        let url = "http://127.0.0.1:\(rabbit.prometheusPort)/metrics/per-object"
        var exposition = ""
        for _ in 0..<50 {
            exposition = Subprocess.run(["curl", "-sS", url]).output
            if exposition.contains(#"rabbitmq_queue_messages{vhost="/",queue="scraped"} 4"#) { break }
            usleep(200_000)
        }
        let samples = try PrometheusText.parse(Array(exposition.utf8), source: url)
        #expect(samples.count > 100)
        #expect(samples.first { $0.name == "rabbitmq_queue_messages" && $0.label("queue") == "scraped" }?.value == 4)
        let result = run(["backlog", "metrics+http://127.0.0.1:\(rabbit.prometheusPort)/metrics/per-object",
                          "--metric", #"rabbitmq_queue_messages{queue="scraped"}"#, "-o", "csv"])
        #expect(result.out.split(separator: "\r\n").dropFirst().first?.hasPrefix("scraped,queue,OK,OK,4,") == true, "\(result.out)\(result.err)")
    }

    /// 401 without or with wrong credentials, 404 for an unknown queue: exit 3, and the
    /// password appears nowhere.
    @Test(.requires(RabbitMQFixture.executable, package: "rabbitmq-server"))
    func credentialsAreRequiredAndNeverEchoed() throws {
        let rabbit = try RabbitMQFixture.shared()
        _ = Self.api(rabbit, "PUT", "/queues/%2F/secretive", #"{"durable":false}"#)
        // A new queue's statistics (its depth among them) appear with the next emission, later
        // on a busy machine; before it scalectl rightly says UNKNOWN.
        Self.waitForDepth(rabbit, queue: "secretive", 0)
        let url = "rabbitmq+http://127.0.0.1:\(rabbit.managementPort)/%2F/secretive"
        let none = runBacklog(["backlog", url], clock: ServicesClock(SystemTime()))
        #expect(none.err == "scalectl: error: \(url): 401 Unauthorized; set RABBITMQ_USER and RABBITMQ_PASSWORD (or use --credentials-file)\n")
        #expect(none.status == .unknown)
        let wrong = runBacklog(["backlog", url, "-o", "json"], environment: ["RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "Tr0ub4dor-wrong"], clock: ServicesClock(SystemTime()))
        #expect(wrong.err == "scalectl: error: \(url): 401 Unauthorized; check RABBITMQ_USER and RABBITMQ_PASSWORD; the user needs the monitoring tag\n")
        #expect(!(wrong.out + wrong.err).contains("Tr0ub4dor"))
        #expect(!(wrong.out + wrong.err).contains("Z3Vlc3Q6VHIwdWI0ZG9yLXdyb25n")) // the Basic header's base64

        let dir = try TemporaryDirectory(prefix: "scalectl-creds")
        defer { dir.remove() }
        try dir.write("rabbit.env", Array("RABBITMQ_USER=guest\nRABBITMQ_PASSWORD=guest\n".utf8))
        let fromFile = runBacklog(["backlog", url, "--credentials-file", dir.path + "/rabbit.env", "-o", "csv", "--rate-interval", "0s"], clock: ServicesClock(SystemTime()))
        #expect(fromFile.status == .ok)
        #expect(fromFile.out.contains("\r\nsecretive,queue,IDLE,OK,0,"), "\(fromFile.out)")
        #expect(!(fromFile.out + fromFile.err).contains("guest"))

        let missing = runBacklog(["backlog", "rabbitmq+http://127.0.0.1:\(rabbit.managementPort)/%2F/no-such-queue"], environment: Self.environment, clock: ServicesClock(SystemTime()))
        #expect(missing.err.hasSuffix("404 Not Found: no such vhost or queue; check the names; the default vhost / is %2F\n"))
        #expect(missing.status == .unknown)
    }
}

@Suite struct RabbitMQQueuesTests {
    /// A queue without its history (an older broker, or one that ignores msg_rates_age): the
    /// current figures alone, dated now (trimmed of fields not read).
    @Test func parsesTheManagementAPIsQueueObject() throws {
        let body = #"""
        {"arguments":{},"auto_delete":false,"consumer_utilisation":0.5,"consumers":2,"durable":true,
         "head_message_timestamp":1714550340,"message_stats":{"ack":70,"ack_details":{"rate":0.0},"deliver_get":95,
         "deliver_no_ack":20,"get_no_ack":5,"publish":120,"publish_details":{"rate":0.0}},"messages":25,
         "messages_ready":20,"messages_unacknowledged":5,"name":"orders","type":"classic","vhost":"/"}
        """#
        let queues = try RabbitMQQueues.parse(Array(body.utf8), now: 1_714_550_400, source: "t")
        #expect(queues == [RabbitMQQueues.Queue(vhost: "/", name: "orders",
            series: [BacklogSample(time: 1_714_550_400, depth: 25, arrivedTotal: 120, deletedTotal: 95, oldestAgeSeconds: 60, consumers: 2)],
            messagesReady: 20, messagesUnacknowledged: 5, consumerUtilisation: 0.5)])
    }

    /// A real answer of rabbitmq-server 3.10 (Debian) with msg_rates_age=60, msg_rates_incr=5,
    /// lengths_age=60, lengths_incr=5, kept in Tests/Fixtures: 4 published (timestamp property
    /// 1796539000) and 1 taken with ack_requeue_false between the samples at …775 and …780.
    /// Depth samples run …725 to …785, counter samples …720 to …780: the 12 common times
    /// …725 to …780; arrived 0 → 4, deleted (get_no_ack) 0 → 1, depth 0 → 3. The current
    /// figures end the series at now (…790): 13 samples over 65 s.
    @Test func readsTheBrokersSampleHistory() throws {
        let body = try #require(readBinaryFile(RepositoryRoot.file("Tests/Fixtures/rabbitmq-queue-history.json")))
        let queue = try #require(try RabbitMQQueues.parse(body, now: 1_796_539_790, source: "t").first)
        #expect(queue.series.count == 13)
        #expect(queue.series.first == BacklogSample(time: 1_796_539_725, depth: 0, arrivedTotal: 0, deletedTotal: 0, consumers: 0))
        #expect(queue.series[11] == BacklogSample(time: 1_796_539_780, depth: 3, arrivedTotal: 4, deletedTotal: 1, consumers: 0))
        #expect(queue.series.last == BacklogSample(time: 1_796_539_790, depth: 3, arrivedTotal: 4, deletedTotal: 1,
                                                   oldestAgeSeconds: 790, consumers: 0))
        let a = try #require(BacklogAnalyzer.analyse(queue.series))
        #expect(a.windowSeconds == 65 && a.arrivalRate == 4.0 / 65 && a.deletionRate == 1.0 / 65)
    }

    /// The broker's own limits: x-max-length 1000 as an argument and max-length 500 in the policy
    /// (RabbitMQ applies the lower: 500, from the policy); x-message-ttl 600000 ms = 600 s.
    /// An empty policy definition comes as [] from some versions: no limit from it.
    @Test func readsMaxLengthAndTTLFromArgumentsAndPolicy() throws {
        let body = #"[{"name":"q","vhost":"/","messages":3,"consumers":1,"arguments":{"x-max-length":1000,"x-message-ttl":600000},"effective_policy_definition":{"max-length":500}},{"name":"r","vhost":"/","messages":3,"arguments":{"x-max-length":1000},"effective_policy_definition":[]}]"#
        let queues = try RabbitMQQueues.parse(Array(body.utf8), now: 5, source: "t")
        #expect(queues[0].series.last?.brokerMaxDepth == Limit(value: 500, source: "policy max-length"))
        #expect(queues[0].series.last?.brokerMaxAge == Limit(value: 600, source: "x-message-ttl"))
        #expect(queues[1].series.last?.brokerMaxDepth == Limit(value: 1000, source: "x-max-length"))
        #expect(queues[1].series.last?.brokerMaxAge == nil)
        #expect(queues[0].series.last?.depthOutsideBrokerLimit == nil, "no messages_unacknowledged given")
        // RabbitMQ counts ready messages against max-length: the unacknowledged are left out.
        let held = #"[{"name":"q","vhost":"/","messages":30,"messages_ready":18,"messages_unacknowledged":12,"arguments":{"x-max-length":100}},{"name":"u","vhost":"/","messages":30,"messages_unacknowledged":12}]"#
        let heldQueues = try RabbitMQQueues.parse(Array(held.utf8), now: 5, source: "t")
        #expect(heldQueues[0].series.last?.depthOutsideBrokerLimit == 12)
        #expect(heldQueues[1].series.last?.depthOutsideBrokerLimit == nil, "no limit, nothing to leave out")
        #expect(RabbitMQQueues.query(listing: true).contains(",arguments,effective_policy_definition,"))
    }

    /// A queue that never saw a message has no message_stats: its counters are unknown, not 0
    /// (statistics may be off); rates then come from the depth alone.
    @Test func noMessageStatsIsUnknownCounters() throws {
        let queues = try RabbitMQQueues.parse(Array(#"[{"name":"q","vhost":"v","messages":0,"consumers":0}]"#.utf8), now: 5, source: "t")
        #expect(queues[0].series == [BacklogSample(time: 5, depth: 0, consumers: 0)])
    }

    /// management_agent.disable_metrics_collector = true: no `messages`, so no depth.
    @Test func noMessagesIsAnErrorNamingTheSetting() throws {
        #expect {
            try RabbitMQQueues.parse(Array(#"[{"name":"q","vhost":"/","state":"live","type":"classic"}]"#.utf8), now: 5, source: "t")
        } throws: { error in
            "\(error)".contains("disable_metrics_collector") && "\(error)".contains("rabbitmq_queue_messages")
        }
    }

    @Test(arguments: ["", "[1]", "{\"messages\":3}", "<html>", "[{\"name\":\"q\",\"messages\":1,\"messages_details\":{\"samples\":[{\"timestamp\":1e300,\"sample\":1}]}}]"])
    func refusesWhatIsNotTheAPI(text: String) {
        #expect(throws: ScaleError.self) { try RabbitMQQueues.parse(Array(text.utf8), now: 0, source: "t") }
    }
}

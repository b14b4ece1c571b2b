import Testing
import ScaleCore
import TestSupport
import QueueBacklog
@testable import QueueSources
@testable import ScaleCLI

@Suite struct BacklogSamplesCommandTests {
    /// Depth 10 → 40 in 60 s with no counters: slope 0.5/s, rates unknown, said so in a note.
    @Test func depthOnlySamplesFromStandardInputAsJSON() {
        let result = run(["backlog", "samples", "-", "-o", "json", "--critical", "depth=30"], stdin: "0,10\n60,40\n")
        #expect(result.out == """
        {
          "schema_version": 1,
          "command": "backlog samples",
          "results": [
            {"queue": "stdin", "role": "queue", "status": "GROWING", "check": "CRITICAL", "depth": 40, "arrival_per_second": null, "deletion_per_second": null, "growth_per_second": 0.5, "rate_source": "depth", "drain_seconds": null, "drains_at": null, "oldest_age_seconds": null, "oldest_age_estimated": null, "oldest_unacked_age_seconds": null, "wait_seconds": null, "consumers": null, "per_consumer_per_second": null, "consumers_needed": null, "window_seconds": 60, "samples": 2}
          ],
          "summary": {"queues": 1, "total_depth": 40, "check": "CRITICAL"},
          "notes": ["rates from depth change only (no counters): arrivals and deletions cannot be told apart", "consumers needed unknown for stdin: the source gives no consumer count"]
        }

        """)
        #expect(result.err == "")
        #expect(result.status == .critical)
    }

    /// Two queues in one ndjson stream. a: 100 → 40 in 30 s (−2/s): drains 40/2 = 20 s after
    /// 08:00:30, at 08:00:50. b: one sample, no consumers: IDLE, and no drain time without rates.
    @Test func ndjsonWithQueuesAsNDJSON() {
        let input = """
        {"queue":"a","timestamp":"2024-05-01T08:00:00Z","depth":100}
        {"queue":"b","timestamp":"2024-05-01T08:00:00Z","depth":5,"consumers":0}
        {"queue":"a","timestamp":"2024-05-01T08:00:30Z","depth":40}
        """
        let result = run(["backlog", "samples", "-", "-o", "ndjson", "--warning", "drain=15s"], stdin: input)
        #expect(result.out == """
        {"type": "result", "queue": "a", "role": "queue", "status": "DRAINING", "check": "WARNING", "depth": 40, "arrival_per_second": null, "deletion_per_second": null, "growth_per_second": -2, "rate_source": "depth", "drain_seconds": 20, "drains_at": "2024-05-01T08:00:50Z", "oldest_age_seconds": null, "oldest_age_estimated": null, "oldest_unacked_age_seconds": null, "wait_seconds": null, "consumers": null, "per_consumer_per_second": null, "consumers_needed": null, "window_seconds": 30, "samples": 2}
        {"type": "result", "queue": "b", "role": "queue", "status": "IDLE", "check": "OK", "depth": 5, "arrival_per_second": null, "deletion_per_second": null, "growth_per_second": null, "rate_source": "none", "drain_seconds": null, "drains_at": null, "oldest_age_seconds": null, "oldest_age_estimated": null, "oldest_unacked_age_seconds": null, "wait_seconds": null, "consumers": 0, "per_consumer_per_second": null, "consumers_needed": null, "window_seconds": 0, "samples": 1}
        {"type": "summary", "schema_version": 1, "command": "backlog samples", "notes": ["rates from depth change only (no counters): arrivals and deletions cannot be told apart","consumers needed unknown for b: no consumers are attached, so nothing shows what one consumer deletes","consumers needed unknown for a: the source gives no consumer count"], "queues": 2, "total_depth": 45, "check": "WARNING"}

        """)
        #expect(result.status == .warning)
    }

    /// demo/backlog-orders.csv: λ = 50/s, μ = 80/s, 4 consumers, depth 54000 (see
    /// ConsumerCapacityTests): 20/s per consumer, ceil(50/20) = 3 keep up, and
    /// ceil((50 + 54000/1200)/20) = ceil(4.75) = 5 drain it within 20 minutes.
    @Test func consumersNeededWithADeadline() {
        let result = run(["backlog", "samples", "demo/backlog-orders.csv", "--drain-by", "20m", "-o", "ndjson"], stdin: "")
        #expect(result.out.contains(#""consumers": 4, "per_consumer_per_second": 20, "consumers_needed": 3, "drain_by_seconds": 1200, "consumers_needed_to_drain": 5,"#))
        #expect(result.status == .ok)
        #expect(run(["backlog", "samples", "demo/backlog-orders.csv", "--drain-by", "0s"], stdin: "").status == .usage)
    }

    /// No consumer count in the rows: the figures are null, and a note says why.
    @Test func consumersNeededUnknownIsNullWithANote() {
        let result = run(["backlog", "samples", "-", "--queue", "jobs", "-o", "json"], stdin: "timestamp,depth,arrived_total,deleted_total\n0,0,0,0\n10,20,50,30\n")
        #expect(result.out.contains(#""per_consumer_per_second": null, "consumers_needed": null,"#))
        #expect(result.out.contains("consumers needed unknown for jobs: the source gives no consumer count"))
    }

    /// --max-depth names itself as the limit's source.
    @Test func maxDepthNamesItsSource() {
        let result = run(["backlog", "samples", "demo/backlog-orders.csv", "--max-depth", "100000", "-o", "ndjson"], stdin: "")
        #expect(result.out.contains(#""max_depth": 100000, "max_depth_source": "--max-depth", "time_to_max_depth_seconds": null,"#))
    }

    /// A growing queue never drains: drain time +Inf exceeds any drain limit, and the
    /// prometheus output carries it as +Inf without the changing drains_at label.
    @Test func prometheusOutputOfAGrowingQueue() {
        let result = run(["backlog", "samples", "-", "--queue", "jobs", "-o", "prometheus", "--critical", "drain=1h"],
                         stdin: "timestamp,depth,arrived_total,deleted_total\n0,0,0,0\n10,20,50,30\n")
        #expect(result.out.contains("scalectl_backlog_samples_drain_seconds{queue=\"jobs\",role=\"queue\",status=\"GROWING\",check=\"CRITICAL\",rate_source=\"counters\"} +Inf\n"))
        #expect(result.out.contains("scalectl_backlog_samples_arrival_per_second{queue=\"jobs\",role=\"queue\",status=\"GROWING\",check=\"CRITICAL\",rate_source=\"counters\"} 5\n"))
        #expect(!result.out.contains("drains_at"))
        #expect(result.status == .critical)
    }

    @Test(.requires("/usr/bin/promtool", package: "prometheus"))
    func prometheusOutputPassesPromtool() {
        let output = run(["backlog", "samples", "demo/backlog-orders.csv", "-o", "prometheus", "--max-depth", "1000"], stdin: "").out
        let result = Subprocess.run(["promtool", "check", "metrics"], input: output)
        #expect(result.status == 0, "promtool: \(result.output)\(result.errors)")
    }

    @Test func errorsNameTheInputAndTheFix() {
        let unreadable = run(["backlog", "samples", "/nonexistent/samples.csv"], stdin: "")
        #expect(unreadable.err == "scalectl: error: cannot open /nonexistent/samples.csv: No such file or directory; check the path\n")
        #expect(unreadable.status == .unknown)

        let badRow = run(["backlog", "samples", "-"], stdin: "0,1\n60,lots\n")
        #expect(badRow.err == "scalectl: error: <stdin>:2: depth 'lots' is not a count; write a whole number of messages\n")
        #expect(badRow.status == .unknown)
        #expect(badRow.out == "")

        let badLimit = run(["backlog", "samples", "-", "--warning", "dept=4"], stdin: "0,1\n")
        #expect(badLimit.err == "scalectl: error: --warning: unknown threshold 'dept'; write KEY=LIMIT pairs separated by commas: depth=10000, age=5m, drain=30m\n")
        #expect(badLimit.status == .usage)

        let badMax = run(["backlog", "samples", "-", "--max-depth", "many"], stdin: "0,1\n")
        #expect(badMax.err == "scalectl: error: --max-depth: 'many' is not a message count; write a whole number such as 100000\n")
        #expect(badMax.status == .usage)
    }
}

@Suite struct BacklogKafkaLagCommandTests {
    static let undated = """
    GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    g t 0 100 150 50 - - -
    GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    g t 0 110 170 60 - - -
    GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    g t 0 120 190 70 - - -
    """

    /// Lag 50, 60, 70 in snapshots 10 s apart: never decreased, so Burrow's WARN (exit 1);
    /// consume (120 − 100)/20 = 1/s, produce (190 − 150)/20 = 2/s.
    @Test func undatedSnapshotsSpacedByInterval() {
        let result = run(["backlog", "kafka-lag", "--interval", "10s", "-o", "csv"], stdin: Self.undated)
        #expect(result.out == "group,topic,partition,status,check,committed_offset,log_end_offset,lag,consume_per_second,produce_per_second,drain_seconds,snapshots,window_seconds\r\ng,t,0,WARN,WARNING,120,190,70,1,2,+Inf,3,20\r\n")
        #expect(result.status == .warning)
    }

    @Test func severalUndatedSnapshotsNeedAnInterval() {
        let result = run(["backlog", "kafka-lag"], stdin: Self.undated)
        #expect(result.err == "scalectl: error: --interval: snapshot 2 has no timestamp line and --interval is not given; give --interval (e.g. 30s), or print date -u +%FT%TZ before each snapshot\n")
        #expect(result.status == .usage)
    }

    @Test func oneSnapshotHasNoRatesButLagThresholdsApply() {
        let result = run(["backlog", "kafka-lag", "-", "--critical", "lag=40"], stdin: "TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\nt 0 100 150 50\n")
        #expect(result.out == """
        GROUP  TOPIC  PARTITION  STATUS  CHECK     COMMITTED  LOG END  LAG  CONSUME/S  PRODUCE/S  DRAIN  SNAPSHOTS  WINDOW
        -      t              0  OK      CRITICAL        100      150   50          -          -      -          1      0s

        PARTITIONS: 1
        TOTAL LAG:  50
        CHECK:      CRITICAL
        note: one snapshot: no rates; pipe several (with timestamp lines or --interval) for rates and Burrow's rules
        note: STOP not judged: kafka-consumer-groups.sh tables carry no commit times, and Burrow's STOP compares the time since the last commit with the window's span; a stopped consumer with lag shows as STALL instead

        """)
        #expect(result.status == .critical)
    }

    @Test func junkIsAnInputError() {
        let result = run(["backlog", "kafka-lag"], stdin: "\u{0}\u{FF}junk\n")
        #expect(result.err == "scalectl: error: <stdin>: no partition rows found; pipe the output of kafka-consumer-groups.sh --describe --group G (with its header row)\n")
        #expect(result.status == .unknown)
    }
}

@Suite struct BacklogSourceURLTests {
    @Test func splitsARedisURL() throws {
        let url = try BacklogSourceURL.parse("redis://worker@cache.internal:6380/2/queue%3Ahigh%2Fa?x=1", passwordVariable: "P")
        #expect(url == BacklogSourceURL(scheme: "redis", username: "worker", host: "cache.internal", port: 6380,
                                        segments: ["2", "queue:high/a"], query: ["x": "1"],
                                        display: "redis://worker@cache.internal:6380/2/queue%3Ahigh%2Fa?x=1"))
        let v6 = try BacklogSourceURL.parse("redis://[::1]:7000/0/k", passwordVariable: "P")
        #expect(v6.host == "::1" && v6.port == 7000)
    }

    @Test func refusesAPasswordWithoutShowingIt() {
        do {
            _ = try BacklogSourceURL.parse("redis://admin:Sup3rS3cret@db:6379/0/k", passwordVariable: "REDISCLI_AUTH")
            Issue.record("accepted a password")
        } catch {
            #expect(error.namingFlags.description == "redis://admin:***@db:6379/0/k: a password in the URL would be visible to every user of this machine; remove it and set REDISCLI_AUTH (or use --credentials-file)")
        }
    }

    @Test(arguments: ["redis://h:0/0/k", "redis://h:99999/0/k", "redis://h:x/0/k", "no-scheme"])
    func refusesBadURLs(text: String) {
        #expect(throws: ScaleError.self) { try BacklogSourceURL.parse(text, passwordVariable: "P") }
    }

    @Test func credentialsFileLines() throws {
        let text = "# comment\nexport RABBITMQ_USER=guest\nRABBITMQ_PASSWORD=\"p=w d\"\r\n\nREDISCLI_AUTH='x'\n"
        #expect(try BacklogSourceOptions.parseCredentials(Array(text.utf8), path: "f") ==
                ["RABBITMQ_USER": "guest", "RABBITMQ_PASSWORD": "p=w d", "REDISCLI_AUTH": "x"])
        do {
            _ = try BacklogSourceOptions.parseCredentials(Array("topsecretvalue\n".utf8), path: "f")
            Issue.record("accepted a line without =")
        } catch {
            // The offending line may be a secret: the message names the line number only.
            #expect(error.namingFlags.description == "--credentials-file f: line 1 is not NAME=value; write one NAME=value per line")
        }
    }
}

@Suite struct BacklogPrometheusSourceTests {
    /// scalectl's own prometheus output, scraped back through metrics+http from a loopback server.
    @Test func scrapesScalectlsOwnExposition() throws {
        let exposition = run(["backlog", "samples", "demo/backlog-orders.csv", "--queue", "orders", "-o", "prometheus"], stdin: "").out
        let samples = try QueueBacklog.PrometheusText.parse(Array(exposition.utf8), source: "self")
        #expect(samples.first { $0.name == "scalectl_backlog_samples_drain_seconds" }?.value == 1800)
        #expect(samples.first { $0.name == "scalectl_backlog_samples_depth" }?.label("queue") == "orders")

        let server = try LoopbackHTTPServer { _ in .text(exposition) }
        defer { server.stop() }
        let result = run(["backlog", "metrics+http://127.0.0.1:\(server.port)/metrics", "--metric", #"scalectl_backlog_samples_depth{rate_source="counters"}"#, "-o", "csv"], stdin: "")
        #expect(result.out.split(separator: "\r\n")[1].hasPrefix("orders,queue,OK,OK,54000,,,,none,"), "\(result.out)\(result.err)")
        // The status label comes from the exporter's series, but this row's own status is computed:
        // one read, no rates.
        #expect(result.status == .ok)
    }

    @Test func queriesThePrometheusAPI() throws {
        let body = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"rabbitmq_queue_messages","queue":"orders","vhost":"/"},"value":[1714550400,"1234"]},{"metric":{"__name__":"rabbitmq_queue_messages","queue":"audit","vhost":"/"},"value":[1714550400,"7"]}]}}"#
        let server = try LoopbackHTTPServer { _ in .text(body) }
        defer { server.stop() }
        let result = run(["backlog", "prometheus+http://127.0.0.1:\(server.port)", "--query", #"rabbitmq_queue_messages{queue=~"orders|audit"}"#, "--critical", "depth=1000", "-o", "csv"], stdin: "")
        let rows = result.out.split(separator: "\r\n").dropFirst()
        #expect(rows.map { $0.split(separator: ",").prefix(5).joined(separator: ",") } == ["orders,queue,OK,CRITICAL,1234", "audit,queue,OK,OK,7"])
        #expect(server.receivedRequests.map(\.target) == ["/api/v1/query?query=rabbitmq_queue_messages%7Bqueue%3D~%22orders%7Caudit%22%7D"])
        #expect(result.status == .critical)
    }

    @Test func metricsSourcesNeedTheirSelector() {
        let result = run(["backlog", "metrics+http://127.0.0.1:9/metrics"], stdin: "")
        #expect(result.err == "scalectl: error: metrics+http://127.0.0.1:9/metrics: a metrics+http source needs --metric; add --metric 'NAME{label=\"value\"}'\n")
        #expect(result.status == .usage)
    }
}

import QueueBacklog
import QueueSources
import ScaleCore

/// `scalectl backlog …`: is a queue's backlog growing or draining, how old is it, and when
/// will it be empty? The numbers come from the QueueBacklog library; this file parses options,
/// reads the source, calls the library and renders.
enum BacklogCommand {
    static let formats: [OutputFormat] = [.table, .json, .ndjson, .csv, .prometheus, .nagios]
    /// A sample row or a kafka-consumer-groups.sh row is well under 1 KiB: a longer line is
    /// refused while the file is read, before it costs seconds and hundreds of MB to parse.
    static let maxLineBytes = 64 << 10

    static let conventions = """
    Rates come from cumulative counters when the source has them: arrival rate lambda = \
    increase of arrived_total / window, deletion rate mu = increase of deleted_total / window \
    (a counter that goes down was reset and counts from 0). With one counter the other follows \
    from depth change = arrived - deleted. With depth alone, arrivals and deletions cannot be told \
    apart: the net rate is the least-squares slope of depth, and the output says rates: depth. \
    GROWTH/S is always the least-squares slope of depth over the window.

    Drain time = depth / (mu - lambda) when mu > lambda (else +Inf, shown as forever, and EMPTY AT \
    is empty); EMPTY AT is the latest sample's time plus the drain time, in UTC. Little's law gives \
    the wait of a message arriving now, depth / mu, and, when the broker gives no oldest age, \
    the oldest message's age, depth / lambda (EST yes). In a FIFO queue the oldest age grows by \
    1 - mu/lambda seconds per second; --max-age reports the time until it exceeds a limit at that \
    rate (or at the least-squares slope of the broker's ages), --max-depth the time until depth \
    exceeds a limit at the current growth. A limit the broker enforces counts too (RabbitMQ's \
    x-max-length and x-message-ttl, as queue arguments or policy): the lower one is used, and \
    MAX DEPTH FROM and MAX AGE FROM name it.

    Consumers needed: one consumer deletes r = mu / consumers per second (consumers at the \
    latest sample); NEEDED = ceil(lambda / r) consumers keep up, and with --drain-by T, \
    NEEDED BY = ceil((lambda + depth / T) / r) also empty the backlog within T. Without a \
    consumer count, with no consumers, with depth alone or when nothing was deleted they are \
    unknown (-), and a note says why.

    Status: IDLE when no consumers are attached; STALLED when messages wait and none were deleted \
    in the window (with depth alone: depth did not change at all); GROWING when lambda > mu (or \
    the slope is positive); DRAINING when mu > lambda and messages wait; OK otherwise. The status \
    is information; the exit status comes from --warning and --critical: depth=N, age=DURATION, \
    drain=DURATION, each exceeded when the value is greater than the limit. A queue that is not \
    draining has an infinite drain time, so it exceeds any drain limit while it holds messages. \
    Exit 0 OK, 1 WARNING, 2 CRITICAL, 3 when a source cannot be read.
    """

    static let spec = CommandSpec(
        "backlog",
        summary: "queue backlogs: growing or draining, how old, when empty",
        discussion: """
        Will the backlog drain before the SLA breaks? backlog reads queue depths (and, where the \
        broker keeps them, cumulative arrived and deleted counters, consumers and the oldest \
        message's age) and works out arrival and deletion rates, the trend, the time to drain and \
        the status of each queue. samples replays recorded samples from CSV or ndjson; kafka-lag \
        reads the tables kafka-consumer-groups.sh prints and judges them with Burrow's rules; watch \
        polls live sources over a sliding window.

        Sources: redis://HOST:6379/DB/KEY and redis+unix:///PATH/TO/SOCKET/KEY[?db=N] (a list: LLEN, \
        and with --timestamp-field the oldest item's age; a stream: one row per consumer group, \
        depth = lag + pending, arrived = entries-added, deleted = entries-read - pending; a nil lag \
        after XDEL is counted with XRANGE; --layout sidekiq reads queue:KEY and enqueued_at, and the retry, schedule and dead sorted sets by ZCARD and their lowest score, \
        --layout celery the list KEY). rabbitmq+http://HOST:15672/VHOST/QUEUE (or /VHOST, or every \
        queue; --match REGEX): the management API's messages, consumers, head_message_timestamp and \
        cumulative publish and ack + deliver_no_ack + get_no_ack counters, with the broker's own \
        history of them (every 5 s over the last minute: its statistics refresh every \
        collect_statistics_interval, so polls a second apart would see stale counters); its \
        rates flicker, so they are not used; no messages field (the metrics collector off) is \
        UNKNOWN. sqs://REGION/ACCOUNT/QUEUE (--endpoint-url): GetQueueAttributes signed \
        with SigV4, depth = visible + in flight. metrics+http://HOST:PORT/PATH --metric SELECTOR and \
        prometheus+http://HOST:9090 --query PROMQL: each series is a queue's depth. Sources with \
        counters (Redis streams), and every --dlq, are read twice --rate-interval apart for rates.

        Credentials never come from the command line (a URL with a password is refused): \
        REDISCLI_AUTH for Redis, RABBITMQ_USER and RABBITMQ_PASSWORD for RabbitMQ, AWS_ACCESS_KEY_ID, \
        AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN for SQS, PROMETHEUS_USER and PROMETHEUS_PASSWORD \
        for an exporter or Prometheus behind basic auth, from the environment or from \
        --credentials-file (NAME=value lines). A source that cannot be read is reported on stderr \
        and makes the run UNKNOWN (3) unless a queue is WARNING or CRITICAL. \
        The HTTP sources (RabbitMQ, SQS, Prometheus) are read directly: proxy variables in the \
        environment (http_proxy, HTTPS_PROXY, ALL_PROXY, NO_PROXY) are ignored, with a note when \
        one is set; --proxy URL reads them through a proxy, and --proxy-from-env through the one \
        the environment names (as curl does), each with a note (Redis is never proxied).

        \(conventions)
        """,
        arguments: [ArgumentSpec("SOURCE", help: "a queue URL: redis://HOST:PORT/DB/KEY, redis+unix:///PATH/TO/SOCKET/KEY, rabbitmq+http://HOST:15672/VHOST[/QUEUE], sqs://REGION/ACCOUNT/QUEUE, metrics+http://HOST:PORT/metrics, prometheus+http://HOST:9090",
                                 brief: "a queue URL: redis://, redis+unix://, rabbitmq+http://, sqs://, metrics+http:// or prometheus+http://",
                                 optional: true, repeatable: true, completion: .url)],
        options: sourceOptions + [BacklogOption.rateInterval] + BacklogReport.optionsForQueues,
        subcommands: [samples, kafkaLag, BacklogWatch.spec],
        examples: [
            Example("A Redis list of jobs whose bodies carry an enqueued_at timestamp",
                    ["backlog", "redis+unix:///run/example/redis.sock/jobs", "--timestamp-field", "enqueued_at", "--warning", "age=5m"], exit: .unknown),
            Example("A Sidekiq queue and its dead set side by side; any growth of the dead set is a WARNING",
                    ["backlog", "redis+unix:///run/example/redis.sock/default", "--layout", "sidekiq", "--dlq", "redis+unix:///run/example/redis.sock/dead"], exit: .unknown),
        ],
        formats: formats,
        handler: runSources
    )

    enum BacklogOption {
        static let rateInterval = OptionSpec("rate-interval", value: "DURATION", default: "1s",
                                             help: "poll sources with counters (and dead-letter queues) twice this far apart for rates; 0s for one poll")
    }

    /// Options every command that reads network sources shares.
    enum SourceOption {
        static let dlq = OptionSpec("dlq", value: "SOURCE", repeatable: true, completion: .url,
                                    help: "a dead-letter queue to report beside the others (role dlq); any growth is a WARNING")
        static let timeout = OptionSpec("timeout", value: "DURATION", default: "5s", help: "time each connection and each request may take")
        static let credentialsFile = OptionSpec("credentials-file", value: "PATH", completion: .file,
                                                help: "NAME=value lines read like the environment (REDISCLI_AUTH, RABBITMQ_USER, RABBITMQ_PASSWORD, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, PROMETHEUS_USER, PROMETHEUS_PASSWORD), winning over it",
                                                brief: "NAME=value lines read like the environment, winning over it")
        static let layout = OptionSpec("layout", value: "LAYOUT", allowed: ["auto", "list", "stream", "sidekiq", "celery"], default: "auto",
                                       help: "how a Redis key holds jobs: auto (by TYPE), list, stream, sidekiq (KEY is the queue name: list queue:KEY with enqueued_at; or retry, schedule, dead: sorted sets by score) or celery (the list named KEY)",
                                       brief: "how a Redis key holds jobs: auto, list, stream, sidekiq or celery")
        static let timestampField = OptionSpec("timestamp-field", value: "NAME", help: "JSON field of a list item holding when it was enqueued (Unix seconds or ms, or RFC 3339)")
        static let match = OptionSpec("match", value: "REGEX", help: "only the RabbitMQ queues whose names match REGEX (with a vhost or all-queues URL)")
        static let metric = OptionSpec("metric", value: "SELECTOR", help: "for metrics+http sources: the series to read, NAME or NAME{label=\"value\",other!=\"x\"}; one queue per series")
        static let query = OptionSpec("query", value: "PROMQL", help: "for prometheus+http sources: an instant query whose series are queue depths")
        static let endpointURL = OptionSpec("endpoint-url", value: "URL", completion: .url, help: "for sqs sources: an SQS-compatible endpoint instead of https://sqs.REGION.amazonaws.com")
        static let oldestEnd = OptionSpec("oldest-end", value: "END", allowed: ["right", "left"], default: "right",
                                          help: "the end of a Redis list holding the oldest item: right for LPUSH producers (Sidekiq, Celery), left for RPUSH ones")
    }

    static let sourceOptions: [OptionSpec] = [
        SourceOption.dlq, SourceOption.timeout, ProxyOption.spec, ProxyOption.fromEnvironment, SourceOption.credentialsFile, SourceOption.layout,
        SourceOption.timestampField, SourceOption.match, SourceOption.metric, SourceOption.query, SourceOption.endpointURL,
        SourceOption.oldestEnd,
    ]

    static func sourceOptions(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> BacklogSourceOptions {
        var options = BacklogSourceOptions()
        options.timeout = try invocation.duration(SourceOption.timeout) ?? 5
        guard options.timeout > 0 else { throw .usage("must be more than 0", at: "--timeout") }
        options.environment = context.console.environment
        options.transport = context.services.transport
        if let path = invocation.value(SourceOption.credentialsFile) {
            let bytes = try InputFile.read(path, option: "--credentials-file", limit: 1 << 16, what: "credentials file", console: context.console)
            options.credentials = try BacklogSourceOptions.parseCredentials(bytes, path: path)
        }
        options.layout = invocation.value(SourceOption.layout) ?? "auto"
        options.timestampField = invocation.value(SourceOption.timestampField)
        options.oldestEnd = invocation.value(SourceOption.oldestEnd) ?? "right"
        options.match = invocation.value(SourceOption.match)
        options.metric = invocation.value(SourceOption.metric)
        options.query = invocation.value(SourceOption.query)
        options.endpointURL = invocation.value(SourceOption.endpointURL)
        options.proxy = try ProxyOption.parse(invocation)
        options.proxyFromEnvironment = try ProxyOption.fromEnvironment(invocation)
        return options
    }

    /// What the output says about proxies, for the HTTP sources (RabbitMQ, SQS, Prometheus);
    /// Redis is plain TCP and never proxied, so --proxy with only Redis sources is refused.
    static func proxyNotes(_ invocation: Invocation, options: BacklogSourceOptions) throws(ScaleError) -> [String] {
        let overHTTP = (invocation.positionals + invocation.all(SourceOption.dlq)).contains(where: BacklogSources.usesHTTP)
        if !overHTTP, options.proxy != nil || options.proxyFromEnvironment {
            let flag = options.proxy != nil ? "--proxy" : "--proxy-from-env"
            throw .usage("applies only to HTTP sources (rabbitmq+http, sqs, metrics+http, prometheus+http); Redis is read directly",
                         at: flag, fix: "drop \(flag)")
        }
        return overHTTP ? ProxyOption.notes(proxy: options.proxy, environment: options.environment, fromEnvironment: options.proxyFromEnvironment) : []
    }

    static func makePoller(_ invocation: Invocation, options: BacklogSourceOptions) throws(ScaleError) -> BacklogPoller {
        var entries: [BacklogPoller.Entry] = []
        for text in invocation.positionals { entries.append(.init(source: try BacklogSources.make(text, options: options), role: "queue")) }
        for text in invocation.all(SourceOption.dlq) { entries.append(.init(source: try BacklogSources.make(text, options: options), role: "dlq")) }
        guard !entries.isEmpty else {
            throw .usage("missing SOURCE", fix: "give a queue URL such as redis://127.0.0.1:6379/0/jobs, or run 'scalectl backlog samples FILE'")
        }
        return entries.isEmpty ? BacklogPoller([]) : BacklogPoller(entries)
    }

    /// Reports failed sources on stderr and as notes; the run then exits at least UNKNOWN.
    static func failureNotes(_ poller: BacklogPoller, context: CommandContext) -> [String] {
        poller.failures.map { failure in
            let label = TextStyle(enabled: context.errorColor).red(TextStyle(enabled: context.errorColor).bold("scalectl: error:"))
            let error = failure.error.namingFlags
            // Name the source unless the error already does.
            let prefix = error.location == failure.label ? "" : "\(failure.label): "
            context.console.writeError("\(label) \(prefix)\(error)\n")
            return "cannot read \(failure.label): \(error.what)"
        }
    }

    static func runSources(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        try runSources(invocation, context, clock: ServicesClock(context.services.time))
    }

    static func runSources(_ invocation: Invocation, _ context: CommandContext, clock: any BacklogClock) throws(ScaleError) -> ExitCode {
        let checks = try BacklogChecks.from(invocation)
        let rateInterval = try invocation.duration(BacklogOption.rateInterval) ?? 1
        let options = try sourceOptions(invocation, context)
        let poller = try makePoller(invocation, options: options)
        let proxyNotes = try proxyNotes(invocation, options: options)
        poller.poll(now: clock.now())
        if rateInterval > 0, poller.hasCounters || poller.hasDLQ {
            clock.sleep(rateInterval)
            poller.poll(now: clock.now())
        }
        let failures = failureNotes(poller, context: context)
        let (report, status) = BacklogReport.make(poller.results(window: nil, checks: checks), command: "backlog",
                                                  limits: checks.limits, format: invocation.format, extraNotes: failures + poller.notes + proxyNotes,
                                                  failed: !failures.isEmpty)
        context.emit(report, format: invocation.format)
        return status
    }

    // MARK: - samples

    enum SamplesOption {
        static let queue = OptionSpec("queue", value: "NAME", help: "the queue's name when the rows have no queue column (default: the file name)")
        static let window = OptionSpec("window", value: "DURATION", help: "analyse only the samples within DURATION of the latest one (default: all of them)")
    }

    static let samples = CommandSpec(
        "samples",
        summary: "analyse recorded queue samples from CSV or ndjson",
        discussion: """
        Replays samples of one or more queues, for incidents after the fact and for any source \
        scalectl cannot read itself. CSV rows are timestamp,depth[,arrived_total,deleted_total,oldest_age_seconds] \
        without a header, or any of the columns timestamp, depth, arrived_total, deleted_total, \
        oldest_age_seconds, consumers and queue under a header row. ndjson has one object per line \
        with the same keys (unknown keys are ignored, null is unknown). Timestamps are Unix seconds \
        or RFC 3339 (2024-05-01T08:00:00Z); oldest ages are seconds or a duration (5m); empty cells \
        are unknown; # starts a comment. Rows of a queue may come in any order; the window ends at \
        the latest.

        \(conventions)
        """,
        arguments: [ArgumentSpec("FILE", help: "CSV or ndjson samples; - for standard input", completion: .file)],
        options: [SamplesOption.queue, SamplesOption.window] + BacklogReport.optionsForQueues,
        examples: [
            Example("Is the orders queue going to drain before 09:00?",
                    ["backlog", "samples", "demo/backlog-orders.csv", "--queue", "orders"],
                    output: """
                    QUEUE   ROLE   STATUS    CHECK  DEPTH   IN/S  OUT/S  GROWTH/S  RATES     DRAIN  EMPTY AT              OLDEST  EST  OLDEST UNACKED     WAIT  CONSUMERS  OUT/S/CONSUMER  NEEDED  WINDOW  SAMPLES
                    orders  queue  DRAINING  OK     54000  50.00  80.00    -30.00  counters    30m  2024-05-01T08:40:00Z     18m  yes               -  11m 15s          4           20.00       3     10m       11

                    QUEUES:      1
                    TOTAL DEPTH: 54000
                    CHECK:       OK
                    note: oldest age estimated by Little's law (depth / arrival rate): the broker gave none

                    """),
            Example("Warn when it would take more than 20 minutes to drain, as a monitoring check",
                    ["backlog", "samples", "demo/backlog-orders.csv", "--warning", "drain=20m", "-o", "csv"],
                    exit: .warning),
            Example("How many consumers would empty it within 20 minutes?",
                    ["backlog", "samples", "demo/backlog-orders.csv", "--drain-by", "20m", "-o", "json"]),
            Example("Only the last 5 minutes, and when would 100000 messages or an hour's age be reached",
                    ["backlog", "samples", "demo/backlog-orders.csv", "--window", "5m", "--max-depth", "100000", "--max-age", "1h", "-o", "json"]),
        ],
        formats: formats,
        handler: runSamples
    )

    static func runSamples(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let path = invocation.positionals[0]
        let checks = try BacklogChecks.from(invocation)
        let window = try invocation.duration(SamplesOption.window)
        let bytes = try InputFile.read(path, limit: 256 << 20, maxLine: maxLineBytes, what: "input", console: context.console)
        let name = path == "-" ? "<stdin>" : path
        let series = try SampleFile.parse(bytes, file: name, defaultQueue: invocation.value(SamplesOption.queue) ?? (path == "-" ? "stdin" : path))
        let results = series.compactMap { s -> QueueResult? in
            guard let a = BacklogAnalyzer.analyse(s.samples, window: window, limits: checks.limits) else { return nil }
            return QueueResult(queue: s.queue, analysis: a, check: checks.policy.check(a))
        }
        let (report, status) = BacklogReport.make(results, command: "backlog samples", limits: checks.limits, format: invocation.format)
        context.emit(report, format: invocation.format)
        return status
    }

    // MARK: - kafka-lag

    enum KafkaLagOption {
        static let interval = OptionSpec("interval", value: "DURATION", help: "time between undated snapshots (needed when there are several and no timestamp lines)")
        static let window = OptionSpec("window", value: "DURATION", help: "judge only the snapshots within DURATION of the latest one (default: all of them)")
        static let warning = OptionSpec("warning", value: "LIMITS", repeatable: true, help: "exit 1 when a partition exceeds lag=N or drain=DURATION")
        static let critical = OptionSpec("critical", value: "LIMITS", repeatable: true, help: "exit 2 when a partition exceeds lag=N or drain=DURATION")
    }

    static let kafkaLag = CommandSpec(
        "kafka-lag",
        summary: "judge consumer-group lag from kafka-consumer-groups.sh output",
        discussion: """
        Reads what kafka-consumer-groups.sh --describe --group G prints, once or many times \
        (each header row starts a snapshot). A line holding only a timestamp (date -u +%FT%TZ, or \
        Unix seconds) dates the snapshot after it; undated snapshots are --interval apart. So \
        'while :; do date -u +%FT%TZ; kafka-consumer-groups.sh --describe --group G; sleep 30; done' \
        collects a window. Lag = LOG-END-OFFSET - CURRENT-OFFSET; the consume rate is the committed \
        offset's net movement over the window, the produce rate the log end's increase; drain time \
        = lag / (consume - produce) when consumers gain.

        Each partition is judged with Burrow's rules, in the order of Burrow's evaluator: no lag \
        now, or lag zero anywhere in the window: OK; then REWIND when a committed offset went back; \
        STOP when the latest commit is older than the window is long (needs commit times, which \
        this table does not have, so it is never judged here, and a note says so; a stopped \
        consumer with lag shows as STALL); STALL when the committed offset did \
        not move; WARN when lag never decreased; otherwise OK. As Burrow grades them, WARN is a WARNING and STALL, STOP and \
        REWIND are CRITICAL; --warning and --critical add lag=N (or depth=N) and drain=DURATION limits.
        """,
        arguments: [ArgumentSpec("FILE", help: "saved output; - or nothing for standard input", optional: true, completion: .file)],
        options: [KafkaLagOption.interval, KafkaLagOption.window, KafkaLagOption.warning, KafkaLagOption.critical],
        examples: [
            Example("Two snapshots a minute apart: partition 2 has lost its consumer",
                    ["backlog", "kafka-lag", "demo/kafka-lag.txt"],
                    output: """
                    GROUP    TOPIC   PARTITION  STATUS  CHECK     COMMITTED  LOG END    LAG  CONSUME/S  PRODUCE/S    DRAIN  EMPTY AT              SNAPSHOTS  WINDOW
                    billing  orders          0  OK      OK           126000   153000  27000     100.00      50.00       9m  2024-05-01T08:10:00Z          2      1m
                    billing  orders          1  OK      OK            98600    98600      0      10.00       1.67       0s  2024-05-01T08:01:00Z          2      1m
                    billing  orders          2  STALL   CRITICAL      40000    55000  15000       0.00      50.00  forever  -                             2      1m

                    PARTITIONS: 3
                    TOTAL LAG:  42000
                    CHECK:      CRITICAL
                    note: STOP not judged: kafka-consumer-groups.sh tables carry no commit times, and Burrow's STOP compares the time since the last commit with the window's span; a stopped consumer with lag shows as STALL instead

                    """,
                    exit: .critical),
            Example("From a pipe, as a check that warns above 20000 messages of lag",
                    ["backlog", "kafka-lag", "demo/kafka-lag.txt", "--warning", "lag=20000", "-o", "ndjson"],
                    exit: .critical),
        ],
        formats: formats,
        handler: runKafkaLag
    )

    static func runKafkaLag(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let path = invocation.positionals.first ?? "-"
        let checks = try BacklogChecks.from(invocation)
        let interval = try invocation.duration(KafkaLagOption.interval)
        let window = try invocation.duration(KafkaLagOption.window)
        let bytes = try InputFile.read(path, limit: 256 << 20, maxLine: maxLineBytes, what: "input", console: context.console)
        let snapshots = try KafkaGroupsTable.parse(bytes, file: path == "-" ? "<stdin>" : path)

        let lag = try KafkaLagAssessment.assess(snapshots, interval: interval, window: window, policy: checks.policy,
                                                source: path == "-" ? "<stdin>" : path)
        let columns = KafkaLagReport.columns(emptyAt: invocation.format != .prometheus && lag.dated)
        var report = Report(command: "backlog kafka-lag", columns: columns, rows: lag.partitions, summaryColumns: KafkaLagReport.summaryColumns,
                            summary: lag, notes: KafkaLagReport.notes(lag))
        report.check = CheckOutcome(status: lag.worst, headline: CheckHeadline.rows(report, status: lag.worst, noun: "partitions", state: "check", names: ["group", "topic", "partition"], reason: "status"))
        context.emit(report, format: invocation.format)
        return lag.worst
    }
}

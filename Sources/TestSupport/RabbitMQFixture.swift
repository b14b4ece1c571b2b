import Glibc
import Synchronization

/// A real Debian rabbitmq-server with the management and prometheus plugins, started once per test run (it
/// takes 5–15 s) and stopped when the test process exits. Follows docs/test-fixtures.md:
/// the server script called directly, every path under its own directory, loopback-only
/// listeners (AMQP, management, distribution, and a private epmd), ports below 32768 checked
/// free, readiness polled against a deadline, and a stop that shuts down only this node.
/// Statistics are collected every 500 ms (not 5 s) so counters move within a test.
public final class RabbitMQFixture: Sendable {
    public static let executable = "/usr/lib/rabbitmq/bin/rabbitmq-server"
    public static let ctlExecutable = "/usr/lib/rabbitmq/bin/rabbitmqctl"
    public static let startBudget = 30.0

    public let managementPort: UInt16
    /// rabbitmq_prometheus's endpoint: a real exporter's text exposition format.
    public let prometheusPort: UInt16
    public let directory: String
    public let node: String
    public var managementURL: String { "http://127.0.0.1:\(managementPort)" }
    /// The default user on a fresh node (allowed from loopback only, which is all we use).
    public let user = "guest"
    public let password = "guest"

    private let environment: [String]
    private let process: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    private static let started: (fixture: RabbitMQFixture?, error: String) = {
        do {
            let fixture = try RabbitMQFixture()
            atexit { RabbitMQFixture.started.fixture?.stop() }
            return (fixture, "")
        } catch {
            return (nil, "\(error)")
        }
    }()

    /// A second node as large clusters run it: the management agent's metrics collector off
    /// (queue objects then carry no message counts; the Prometheus plugin still has them).
    private static let startedWithoutCollector: (fixture: RabbitMQFixture?, error: String) = {
        do {
            let fixture = try RabbitMQFixture(extraConfig: "management_agent.disable_metrics_collector = true\n")
            atexit { RabbitMQFixture.startedWithoutCollector.fixture?.stop() }
            return (fixture, "")
        } catch {
            return (nil, "\(error)")
        }
    }()

    /// The run's one node, started on first use.
    public static func shared() throws -> RabbitMQFixture {
        try ServerRequirement.check(executable, package: "rabbitmq-server")
        guard let fixture = started.fixture else { throw FixtureError(started.error) }
        return fixture
    }

    /// The run's node with `management_agent.disable_metrics_collector = true`, started on first use.
    public static func sharedWithoutMetricsCollector() throws -> RabbitMQFixture {
        try ServerRequirement.check(executable, package: "rabbitmq-server")
        guard let fixture = startedWithoutCollector.fixture else { throw FixtureError(startedWithoutCollector.error) }
        return fixture
    }

    private init(extraConfig: String = "") throws {
        let temporary = try TemporaryDirectory(prefix: "scalectl-rabbitmq")
        let d = temporary.path
        let ports = try LoopbackSocket.freePorts(5)
        let (amqp, management, dist, epmd, prometheus) = (ports[0], ports[1], ports[2], ports[3], ports[4])
        let node = "scalectl\(getpid())\(extraConfig.isEmpty ? "" : "b")@localhost"
        for sub in ["home", "mnesia", "log"] { mkdir("\(d)/\(sub)", 0o755) }
        try temporary.write("rabbitmq.conf", Array("""
            listeners.tcp.default = 127.0.0.1:\(amqp)
            management.tcp.ip = 127.0.0.1
            management.tcp.port = \(management)
            collect_statistics_interval = 500
            prometheus.tcp.ip = 127.0.0.1
            prometheus.tcp.port = \(prometheus)

            """.utf8) + Array(extraConfig.utf8))
        try temporary.write("enabled_plugins", Array("[rabbitmq_management,rabbitmq_prometheus].\n".utf8))
        let environment = [
            "HOME=\(d)/home", "RABBITMQ_NODENAME=\(node)", "RABBITMQ_MNESIA_BASE=\(d)/mnesia",
            "RABBITMQ_LOG_BASE=\(d)/log", "RABBITMQ_PID_FILE=\(d)/rabbit.pid", "RABBITMQ_CONFIG_FILE=\(d)/rabbitmq.conf",
            "RABBITMQ_ENABLED_PLUGINS_FILE=\(d)/enabled_plugins", "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1",
            "RABBITMQ_NODE_PORT=\(amqp)", "RABBITMQ_DIST_PORT=\(dist)", "ERL_EPMD_PORT=\(epmd)", "ERL_EPMD_ADDRESS=127.0.0.1",
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}",
        ]
        let process = try ChildProcess(Self.executable, [], outputPath: "\(d)/stdout.log", environment: environment)
        // The management listener comes up last, once the node and its plugins run.
        let ready = process.waitUntil(within: Self.startBudget, every: 0.1, { LoopbackSocket.accepts(port: management) })
        self.managementPort = management
        self.prometheusPort = prometheus
        self.directory = d
        self.node = node
        self.environment = environment
        self.process = process
        self.temporary = temporary
        guard ready else {
            let log = readTextFile("\(d)/stdout.log") ?? ""
            stop()
            throw FixtureError("rabbitmq-server did not open its management port within \(Self.startBudget) s: \(log.suffix(2000))")
        }
    }

    /// `rabbitmqctl shutdown` for this node, then the private epmd, then (if still there) the PID
    /// started. Idempotent.
    public func stop() {
        guard stopped.claimFirst() else { return }
        try? ChildProcess.run(Self.ctlExecutable, ["-n", node, "shutdown"], outputPath: "\(directory)/stop.log",
                              timeout: 15, environment: environment)
        process.terminate(grace: 5)
        try? ChildProcess.run("/usr/bin/epmd", ["-kill"], outputPath: "\(directory)/stop.log", timeout: 5, environment: environment)
        temporary.remove()
    }
}

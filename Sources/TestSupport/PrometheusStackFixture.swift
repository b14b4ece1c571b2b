import Glibc
import Synchronization

/// Debian's prometheus-node-exporter serving only its textfile collector from a directory of
/// its own, and Debian's prometheus scraping it every second — both on 127.0.0.1 ports below
/// 32768, with their data in the fixture's temporary directory. A test writes `.prom` files
/// into `textfileDirectory` and asks Prometheus through `query(_:)`, as a dashboard would.
/// `stop()` ends exactly the two PIDs it started.
public final class PrometheusStackFixture: Sendable {
    public static let nodeExporter = "/usr/bin/prometheus-node-exporter"
    public static let prometheus = "/usr/bin/prometheus"

    public let directory: String
    public var textfileDirectory: String { "\(directory)/textfile" }
    public let prometheusPort: UInt16
    public let exporterPort: UInt16
    private let exporter: ChildProcess
    private let server: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    public init() throws {
        try ServerRequirement.check(Self.nodeExporter, package: "prometheus-node-exporter")
        try ServerRequirement.check(Self.prometheus, package: "prometheus")
        let temporary = try TemporaryDirectory(prefix: "scalectl-prometheus")
        let dir = temporary.path
        _ = mkdir("\(dir)/textfile", 0o755)
        _ = mkdir("\(dir)/data", 0o755)
        let ports = try LoopbackSocket.freePorts(2)
        let exporter = try ChildProcess(Self.nodeExporter, [
            "--web.listen-address=127.0.0.1:\(ports[0])", "--collector.disable-defaults",
            "--collector.textfile", "--collector.textfile.directory=\(dir)/textfile",
        ], outputPath: "\(dir)/node-exporter.log")
        try writeTextFile("\(dir)/prometheus.yml", """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: node
                static_configs:
                  - targets: ['127.0.0.1:\(ports[0])']

            """)
        let server: ChildProcess
        do {
            server = try ChildProcess(Self.prometheus, [
                "--config.file=\(dir)/prometheus.yml", "--storage.tsdb.path=\(dir)/data",
                "--web.listen-address=127.0.0.1:\(ports[1])",
            ], outputPath: "\(dir)/prometheus.log")
        } catch {
            exporter.terminate(grace: 2)
            temporary.remove()
            throw error
        }
        let ready = exporter.waitUntil(within: 15, every: 0.05) { LoopbackSocket.accepts(port: ports[0]) }
            && server.waitUntil(within: 30, every: 0.1) { LoopbackSocket.accepts(port: ports[1]) }
        guard ready else {
            let logs = (readTextFile("\(dir)/node-exporter.log") ?? "") + (readTextFile("\(dir)/prometheus.log") ?? "")
            exporter.terminate(grace: 2)
            server.terminate(grace: 2)
            temporary.remove()
            throw FixtureError("node_exporter or prometheus did not listen within 30 s: \(logs)")
        }
        self.directory = dir
        self.exporterPort = ports[0]
        self.prometheusPort = ports[1]
        self.exporter = exporter
        self.server = server
        self.temporary = temporary
    }

    deinit { stop() }

    public func stop() {
        guard stopped.claimFirst() else { return }
        server.terminate(grace: 5)
        exporter.terminate(grace: 5)
        temporary.remove()
    }

    /// node_exporter's own /metrics page (textfile errors show there as
    /// `node_textfile_scrape_error`).
    public func exporterMetrics() -> String {
        Subprocess.run(["curl", "-sS", "--max-time", "5", "http://127.0.0.1:\(exporterPort)/metrics"]).output
    }

    /// An instant query through the HTTP API; one line per series, `{labels} value`, sorted,
    /// labels sorted by name (printed by python3 from the JSON answer).
    public func query(_ expression: String) -> ProcessResult {
        Subprocess.run(["python3", "-c", """
            import json, sys, urllib.parse, urllib.request
            url = "http://127.0.0.1:\(prometheusPort)/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[1]})
            answer = json.load(urllib.request.urlopen(url, timeout=5))
            assert answer["status"] == "success", answer
            lines = []
            for r in answer["data"]["result"]:
                labels = ",".join(f'{k}="{v}"' for k, v in sorted(r["metric"].items()))
                lines.append("{" + labels + "} " + r["value"][1])
            print("\\n".join(sorted(lines)))
            """, expression])
    }
}

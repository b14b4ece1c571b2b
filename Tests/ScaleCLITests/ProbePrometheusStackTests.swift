import Glibc
import ScaleCLI
import Testing
import TestSupport

/// `probe -o prometheus` as a blackbox_exporter stand-in, end to end: the textfile the docs'
/// cron line writes, read by Debian's node_exporter (textfile collector only), scraped every
/// second by Debian's Prometheus, and the blackbox dashboards' expressions asked through
/// Prometheus's HTTP API. Targets are loopback nginx over HTTPS (an openssl-made certificate)
/// and a plain nginx answering 503.
@Suite("probe -o prometheus through node_exporter and Prometheus",
       .requires(PrometheusStackFixture.nodeExporter, package: "prometheus-node-exporter"),
       .requires(PrometheusStackFixture.prometheus, package: "prometheus"),
       .requires(NginxFixture.executable, package: "nginx-light"))
struct ProbePrometheusStackTests {
    @Test("probe_success, its 1m average, certificate expiry minus time(), phases, status codes, IP protocol, SSL",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func dashboardExpressions() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let secure = try NginxFixture(files: ["health": Array("ok\n".utf8)], tls: true)
        defer { secure.stop() }
        let plain = try NginxFixture(files: [:], locations: ["= /down": "return 503;"])
        defer { plain.stop() }
        let stack = try PrometheusStackFixture()
        defer { stack.stop() }

        let good = "\(secure.baseURL)/health", bad = "\(plain.baseURL)/down"
        let probe = Subprocess.run([bin, "probe", good, bad, "--cacert", try #require(secure.certificatePath), "-o", "prometheus"])
        #expect(probe.status == 2, "\(probe.errors)")
        let lint = Subprocess.run(["promtool", "check", "metrics"], input: probe.output)
        #expect(lint.status == 0, "promtool: \(lint.output)\(lint.errors)")
        // Written under another name and renamed, as the docs' cron line does.
        try writeTextFile("\(stack.textfileDirectory)/probe.prom.tmp", probe.output)
        #expect(rename("\(stack.textfileDirectory)/probe.prom.tmp", "\(stack.textfileDirectory)/probe.prom") == 0)

        var success = ""
        for _ in 0..<60 {
            success = stack.query("probe_success").output
            if success.split(separator: "\n").count == 2 { break }
            usleep(250_000)
        }
        #expect(stack.exporterMetrics().contains("node_textfile_scrape_error 0"), "node_exporter read the file without error")
        let job = "instance=\"127.0.0.1:\(stack.exporterPort)\",job=\"node\""
        /// A series as `query` prints it: labels sorted by name, `__name__` first.
        func line(_ name: String?, _ target: String, _ value: String) -> String {
            "{" + (name.map { "__name__=\"\($0)\"," } ?? "") + "\(job),target=\"\(target)\",url=\"\(target)\"} \(value)"
        }
        #expect(success == [line("probe_success", bad, "0"), line("probe_success", good, "1")].sorted().joined(separator: "\n") + "\n")
        // avg_over_time over a window that holds only these scrapes: 1 and 0.
        let average = stack.query("avg_over_time(probe_success[1m])").output
        #expect(average == [line(nil, bad, "0"), line(nil, good, "1")].sorted().joined(separator: "\n") + "\n")
        let codes = stack.query("probe_http_status_code").output
        #expect(codes.contains("target=\"\(good)\",url=\"\(good)\"} 200") && codes.contains("target=\"\(bad)\",url=\"\(bad)\"} 503"), "\(codes)")
        let protocols = stack.query("probe_ip_protocol").output.split(separator: "\n")
        #expect(protocols.count == 2 && protocols.allSatisfy { $0.hasSuffix(" 4") }, "\(protocols)")
        let ssl = stack.query("probe_http_ssl").output
        #expect(ssl.contains("url=\"\(good)\"} 1") && ssl.contains("url=\"\(bad)\"} 0"), "\(ssl)")

        // The certificate's notAfter, read by openssl, is what Prometheus holds.
        let notAfter = Subprocess.run(["bash", "-c", "date -d \"$(openssl x509 -noout -enddate -in \"$1\" | cut -d= -f2)\" +%s", "-",
                                       try #require(secure.certificatePath)]).output
        let expiry = stack.query("probe_ssl_earliest_cert_expiry").output
        #expect(expiry.hasSuffix("} \(notAfter.split(separator: "\n").first ?? "")\n"), "\(expiry) vs \(notAfter)")
        let left = stack.query("probe_ssl_earliest_cert_expiry - time()").output
        let seconds = try #require(Double(left.split(separator: " ").last.map { String($0.dropLast()) } ?? ""), "\(left)")
        let days = Double(NginxFixture.certificateDays)
        #expect(seconds > (days - 1) * 86_400 && seconds <= days * 86_400 + 60, "\(left)")

        let phases = stack.query("sum by (phase) (probe_http_duration_seconds)").output
        let names = phases.split(separator: "\n").compactMap { $0.split(separator: "\"").dropFirst().first.map(String.init) }
        #expect(names == ["connect", "processing", "resolve", "tls", "transfer"], "\(phases)")
    }
}


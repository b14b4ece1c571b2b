import Glibc
import HealthProbe
import ScaleCLI
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// `--deadline`: the whole run bounded. In-process against a scripted network on a fake clock
/// (exact timeouts handed to each probe), and through the built binary against a listener that
/// completes the TCP handshake and then says nothing (wall time, every target reported).
@Suite("scalectl probe --deadline")
struct ProbeDeadlineTests {
    static let urls = (1...5).map { "http://t\($0).example/" }

    /// Probes take one fake second each, one at a time: --deadline 2500ms fits two and a half.
    static func transport(_ time: FakeTime, third: ScriptedTransport.Outcome) -> ScriptedTransport {
        ScriptedTransport([
            urls[0]: [Canned.ok(200)],
            urls[1]: [Canned.failure(.timeout, "Operation timed out after 1500 milliseconds with 0 bytes received", url: urls[1], elapsed: 1.5)],
            urls[2]: [third],
        ], time: time, batchSeconds: 1)
    }

    @Test("timeouts are cut to the time left; a probe cut short and the ones never started are UNKNOWN, not DOWN; a measured DOWN still wins")
    func round() {
        let time = FakeTime()
        let transport = Self.transport(time, third: Canned.failure(.refused, "Couldn't connect to server", url: Self.urls[2]))
        let result = runProbe(["--deadline", "2500ms", "--timeout", "2s", "--concurrency", "1", "-o", "csv"] + Self.urls,
                              transport: transport, time: time)
        let rows = csvRows(result.out, columns: 5)
        #expect(rows == [
            "http://t1.example/,http://t1.example/,UP,OK,",
            "http://t2.example/,http://t2.example/,UNKNOWN,UNKNOWN,deadline: cut after 1500ms",
            "http://t3.example/,http://t3.example/,DOWN,CRITICAL,refused",
            "http://t4.example/,http://t4.example/,UNKNOWN,UNKNOWN,deadline: not probed",
            "http://t5.example/,http://t5.example/,UNKNOWN,UNKNOWN,deadline: not probed",
        ], "\(result.out)")
        #expect(result.status == .critical, "a measured DOWN outranks UNKNOWN")
        #expect(transport.requests.map(\.totalTimeout) == [2, 1.5, 0.5])
        #expect(transport.requests.map(\.connectTimeout) == [2, 1.5, 0.5])
        #expect(result.err == "scalectl: note: --deadline 2500ms reached: 3 of 5 targets have no verdict (UNKNOWN): http://t2.example/, http://t4.example/, http://t5.example/; raise --deadline or --concurrency, or lower --timeout\n")
    }

    /// --timeout 10s cut to the 5 s left, but the probe's own --connect-timeout 1s fired at 1 s:
    /// the target failed within its own limits, so it is DOWN, not "cut by the deadline".
    @Test("a probe's own connect timeout, well before the limit the deadline cut, is DOWN")
    func ownTimeoutIsDown() {
        let time = FakeTime()
        let url = Self.urls[0]
        let transport = ScriptedTransport([url: [Canned.failure(.timeout, "Connection timed out after 1000 milliseconds", url: url, elapsed: 1.0)]],
                                          time: time, batchSeconds: 1)
        let result = runProbe(["--deadline", "5s", "--timeout", "10s", "--connect-timeout", "1s", "-o", "csv", url], transport: transport, time: time)
        let rows = csvRows(result.out, columns: 4)
        #expect(rows == ["\(url),\(url),DOWN,CRITICAL"], "\(result.out)")
        #expect(transport.requests.map(\.totalTimeout) == [5])
        #expect(result.status == .critical)
    }

    /// t1 UP, t2 refused, t3 cut, t4 and t5 never started. --min-up 3: 1 up and 3 without a
    /// verdict could still be 3 up, so t2's DOWN weighs UNKNOWN, not CRITICAL; --min-up 5: even
    /// all three up would make 4, so CRITICAL has its evidence.
    @Test("--min-up with targets the deadline left unmeasured: CRITICAL only when they could not make up the difference",
          arguments: [("3", ExitCode.unknown, "UNKNOWN"), ("5", ExitCode.critical, "CRITICAL")])
    func minUpWithUnmeasured(minUp: String, status: ExitCode, rowStatus: String) {
        let time = FakeTime()
        let transport = ScriptedTransport([
            Self.urls[0]: [Canned.ok(200)],
            Self.urls[1]: [Canned.failure(.refused, "Couldn't connect to server", url: Self.urls[1])],
            Self.urls[2]: [Canned.failure(.timeout, "Operation timed out after 500 milliseconds", url: Self.urls[2], elapsed: 0.5)],
        ], time: time, batchSeconds: 1)
        let result = runProbe(["--deadline", "2500ms", "--timeout", "2s", "--concurrency", "1", "--min-up", minUp, "-o", "csv"] + Self.urls,
                              transport: transport, time: time)
        let rows = csvRows(result.out, columns: 5)
        #expect(rows.prefix(3) == ["http://t1.example/,http://t1.example/,UP,OK,",
                                   "http://t2.example/,http://t2.example/,DOWN,\(rowStatus),refused",
                                   "http://t3.example/,http://t3.example/,UNKNOWN,UNKNOWN,deadline: cut after 500ms"], "\(result.out)")
        #expect(result.status == status)
    }

    @Test("with nothing measured DOWN, targets left without a verdict make the run UNKNOWN (3), never OK")
    func unknownNotOK() {
        let time = FakeTime()
        let result = runProbe(["--deadline", "2500ms", "--timeout", "2s", "--concurrency", "1", "-o", "json"] + Self.urls,
                              transport: Self.transport(time, third: Canned.ok(200)), time: time)
        #expect(result.status == .unknown)
        #expect(result.out.contains(#""up": 2"#) && result.out.contains(#""down": 0"#) && result.out.contains(#""targets": 5"#), "\(result.out)")
        let nagiosTime = FakeTime()
        let nagios = runProbe(["--deadline", "2500ms", "--timeout", "2s", "--concurrency", "1", "-o", "nagios"] + Self.urls,
                              transport: Self.transport(nagiosTime, third: Canned.ok(200)), time: nagiosTime)
        #expect(nagios.status == .unknown)
        #expect(nagios.out.hasPrefix("SCALECTL PROBE UNKNOWN - "), "\(nagios.out)")
    }

    @Test("a deadline that is not a positive duration is a usage error", arguments: ["0s", "-1s", "soon", "25h"])
    func badDeadline(text: String) {
        let result = runProbe(["--deadline", text, "http://a/"], transport: ScriptedTransport([:]))
        #expect(result.status == .usage, "\(result.err)")
        #expect(result.err.contains("--deadline"), "\(result.err)")
    }

    static let enabled = BinaryTests.binary != nil || ServerRequirement.isCI

    static func seconds(_ body: () -> ProcessResult) -> (ProcessResult, Double) {
        let start = ContinuousClock.now
        let result = body()
        let elapsed = start.duration(to: .now)
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    @Test("the built binary against a handshake-silent listener: 20 targets one at a time end at the deadline, every one reported",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func silentFleet() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let silent = try SilentListener()
        let targets = (1...20).map { "http://127.0.0.1:\(silent.port)/\($0)" } + ["https://127.0.0.1:\(silent.port)/tls"]
        let (result, wall) = Self.seconds {
            Subprocess.run([bin, "probe", "--deadline", "1500ms", "--timeout", "1s", "--concurrency", "1", "-o", "json"] + targets,
                           environment: ["PATH": "/usr/bin:/bin"])
        }
        // Without the deadline this run would take 21 × 1s.
        #expect(wall < 1.5 + 0.5, "ended \(wall)s after start")
        #expect(result.status == 2, "the first probe timed out with its full --timeout: a measured DOWN\n\(result.errors)")
        let facts = ProbeEvidenceBinaryTests.jq(result.output, """
            rs = doc["results"]
            print(len(rs), [r["target"] for r in rs] == [\(targets.map { "'\($0)'" }.joined(separator: ", "))])
            print(rs[0]["verdict"], rs[0]["reason"])
            print(rs[1]["verdict"], rs[1]["reason"].startswith("deadline: cut after"), rs[1]["total_seconds"])
            print(set((r["verdict"], r["status"], r["reason"], r["success"]) for r in rs[2:]))
            print(doc["summary"]["targets"], doc["summary"]["up"], doc["summary"]["down"], doc["summary"]["status"])
            """)
        #expect(facts.output == """
            21 True
            DOWN first-byte timeout
            UNKNOWN True None
            {('UNKNOWN', 'UNKNOWN', 'deadline: not probed', None)}
            21 0 1 CRITICAL

            """, "\(facts.errors)\n\(result.output)")
    }

    @Test("--deadline ends a watch in time, and a probe it cut short counts as nothing: the target stays UNKNOWN, not DOWN",
          .enabled(if: enabled, "build the binary first (swift build)"))
    func watch() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let silent = try SilentListener()
        let (result, wall) = Self.seconds {
            Subprocess.run([bin, "probe", "--watch", "--interval", "100ms", "--timeout", "5s", "--deadline", "1s", "-o", "json",
                            "http://127.0.0.1:\(silent.port)/"], environment: ["PATH": "/usr/bin:/bin"])
        }
        #expect(wall < 1 + 0.5, "ended \(wall)s after start")
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        let facts = ProbeEvidenceBinaryTests.jq(result.output, #"r = doc["results"][0]; print(r["state"], r["probes"])"#)
        #expect(facts.output == "UNKNOWN 0\n", "\(facts.errors)\n\(result.output)")
    }
}

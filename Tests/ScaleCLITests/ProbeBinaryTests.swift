import Glibc
import ScaleCLI
import Testing
import TestSupport

/// The built binary in watch mode: the real console, real signals, real exit statuses.
@Suite("scalectl probe --watch, end to end", .requires(NginxFixture.executable, package: "nginx-light"))
struct ProbeBinaryTests {
    @Test("a few rounds with short intervals: ndjson events a JSON parser reads, states by rise/fall, exit 2",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func rounds() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let nginx = try NginxFixture(files: ["ok.html": Array("fine\n".utf8)], locations: ["= /down": "return 503;"])
        defer { nginx.stop() }
        let result = Subprocess.run([bin, "probe", "--watch", "--interval", "100ms", "--count", "3", "--fall", "3", "-o", "ndjson",
                                     "\(nginx.baseURL)/ok.html", "\(nginx.baseURL)/down"])
        #expect(result.status == 2, "\(result.errors)")
        let summary = Subprocess.run(["python3", "-c", """
            import json, sys
            from collections import Counter
            events = [json.loads(line) for line in sys.stdin]
            print(sorted(Counter(e["type"] for e in events).items()))
            for e in events:
                if e["type"] == "transition": print(e["target"].rsplit("/", 1)[1], e["from"], e["to"], e["consecutive"], e["reason"])
                if e["type"] == "result": print(e["state"], e["probes"], e["failures"], e["status"])
            """], input: result.output)
        #expect(summary.output == """
            [('probe', 6), ('result', 2), ('round', 3), ('summary', 1), ('transition', 2)]
            ok.html UNKNOWN UP 2 None
            down UNKNOWN DOWN 3 status 503
            UP 3 0 OK
            DOWN 3 3 CRITICAL

            """, "\(summary.errors)")
        #expect(Set(nginx.connectionNumbers(expected: 6)).count == 6, "six probes, six connections")
    }

    @Test("Ctrl-C ends a watch with its final table and the worst status seen, not 130",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func interrupt() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let nginx = try NginxFixture(files: ["ok.html": Array("fine\n".utf8)])
        defer { nginx.stop() }
        let process = Subprocess.start([bin, "probe", "--watch", "--interval", "100ms", "\(nginx.baseURL)/ok.html"])
        usleep(800_000)
        process.interrupt()
        let result = process.wait(timeout: 10)
        #expect(result.status == 0, "UP after two successes: OK, exit 0\n\(result.errors)")
        #expect(result.output.contains("UNKNOWN -> UP  (2 successes)"))
        #expect(result.output.contains("\(nginx.baseURL)/ok.html  UP     UP"))
        #expect(result.output.contains("note: interrupted (Ctrl-C, SIGINT) after"))
        #expect(result.errors == "")
    }

    @Test("outside a watch, Ctrl-C still ends the process at once with 130",
          .enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func interruptOneRound() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let server = try LoopbackHTTPServer(routes: ["/slow": .delayed(seconds: 5, then: .text("late"))])
        defer { server.stop() }
        let process = Subprocess.start([bin, "probe", "--timeout", "5s", "\(server.baseURL)/slow"])
        usleep(500_000)
        process.interrupt()
        let (result, elapsed) = timed { process.wait(timeout: 10) }
        #expect(result.status == 130)
        #expect(result.output == "")
        #expect(elapsed < 2)
    }
}

import Testing
import ScaleCLI
import ScaleCore
import ScaleHTTP
import TestSupport

/// `cache audit` of live URLs reaches the network and the clock only through `Services`, so a
/// scripted transport and a clock that stands still give exact ages.
@Suite struct CacheScriptedTests {
    static func audit(_ arguments: [String], transport: ScriptedTransport, time: FakeTime) -> (out: String, status: ExitCode) {
        let console = CapturingConsole()
        let status = ScaleCLI.run(arguments: ["cache", "audit"] + arguments + ["-o", "csv"], console: console,
                                  services: Services(transport: transport, time: time))
        return (console.output, status)
    }

    @Test("a response dated 100 s before the fake clock's now is 100 s old: 500 s left of max-age=600")
    func ageFromTheInjectedClock() throws {
        let time = FakeTime(wall: 1_700_000_000)
        let dated = HTTPResponse(status: 200, headers: [HTTPHeader("Date", "Tue, 14 Nov 2023 22:11:40 GMT"),
                                                        HTTPHeader("Cache-Control", "max-age=600")],
                                 timings: HTTPTimings(marks: Canned.marks()))
        let transport = ScriptedTransport(["http://site.test/a": [.success(dated)]], time: time)
        let result = Self.audit(["http://site.test/a"], transport: transport, time: time)
        #expect(transport.requests.map(\.url) == ["http://site.test/a"])
        let browser = try #require(result.out.split(separator: "\r\n").first { $0.hasPrefix("verdict,http://site.test/a,,200,browser,") })
        // age_seconds and left_seconds, as RFC 9111 §4.2.3 gives them: apparent age = now − Date.
        #expect(browser.contains(",600,max-age,100,500,"))
    }
}

/// `backlog` reaches HTTP sources through `Services` too: a scripted exporter answers.
@Suite struct BacklogScriptedTests {
    @Test("a metrics+http source reads the scripted exporter's answer: only the selected series")
    func scriptedExporter() throws {
        let time = FakeTime(wall: 1_700_000_000)
        let body = "# TYPE rabbitmq_queue_messages gauge\nrabbitmq_queue_messages{queue=\"orders\"} 42\nrabbitmq_queue_messages{queue=\"audit\"} 7\n"
        let transport = ScriptedTransport(["http://exporter.test:9419/metrics": [Canned.ok(body: body)]], time: time)
        let console = CapturingConsole()
        let status = ScaleCLI.run(arguments: ["backlog", "metrics+http://exporter.test:9419/metrics", "--metric", #"rabbitmq_queue_messages{queue="orders"}"#,
                                              "-o", "csv"],
                                  console: console, services: Services(transport: transport, time: time))
        #expect(transport.requests.map(\.url) == ["http://exporter.test:9419/metrics"])
        let row = try #require(console.output.split(separator: "\r\n").dropFirst().first)
        let cells = row.split(separator: ",", omittingEmptySubsequences: false)
        let header = console.output.split(separator: "\r\n")[0].split(separator: ",")
        let depth = try #require(header.firstIndex(of: "depth"), "\(header)")
        #expect(cells[depth] == "42")
        #expect(status == .ok)
    }
}

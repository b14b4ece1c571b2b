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

    @Test("a Prometheus behind basic auth: PROMETHEUS_USER and PROMETHEUS_PASSWORD become an Authorization header (RFC 7617)")
    func basicAuthorization() throws {
        let answer = #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"queue":"orders"},"value":[1700000000,"5"]}]}}"#
        let url = "http://prom.test:9090/api/v1/query?query=rabbitmq_queue_messages"
        let transport = ScriptedTransport([url: [Canned.ok(body: answer)]], time: FakeTime())
        let console = CapturingConsole(environment: ["PROMETHEUS_USER": "Aladdin", "PROMETHEUS_PASSWORD": "open sesame"])
        let status = ScaleCLI.run(arguments: ["backlog", "prometheus+http://prom.test:9090", "--query", "rabbitmq_queue_messages", "-o", "csv"],
                                  console: console, services: Services(transport: transport, time: FakeTime()))
        #expect(status == .ok)
        let request = try #require(transport.requests.first)
        #expect(request.headers.contains(HTTPHeader("Authorization", "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")))
        // The secret reaches the request only: never the output.
        #expect(!console.output.contains("open sesame") && !console.errors.contains("open sesame"))
    }
}

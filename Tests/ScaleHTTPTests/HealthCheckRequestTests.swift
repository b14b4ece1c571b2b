import ScaleHTTP
import Testing
import TestSupport

/// The request options a health checker needs: a TCP-only check, names pinned to addresses,
/// a new connection per probe, and how far a failed transfer got.
@Suite("Health-check request options")
struct HealthCheckRequestTests {
    let client = HTTPClient()

    @Test("a connect-only tcp:// request succeeds with status 0 once nginx accepts, and sends no request",
          .requires(NginxFixture.executable, package: "nginx-light"))
    func connectOnlyToNginx() throws {
        let nginx = try NginxFixture(files: ["index.html": Array("x".utf8)])
        defer { nginx.stop() }
        let url = "tcp://127.0.0.1:\(nginx.port)"

        let response = try #require(client.perform(HTTPRequest(url: url, connectOnly: true)).value)

        #expect(response.status == 0)
        #expect(response.headers.isEmpty)
        #expect(response.body.isEmpty)
        #expect(response.remoteIP == "127.0.0.1")
        #expect(response.remotePort == Int(nginx.port))
        #expect(response.effectiveURL == url)
        #expect(response.timings.marks.connect > 0)
        #expect(response.timings.marks.startTransfer == 0)
        // nginx logs a request for every one it reads; a bare connection leaves no line.
        #expect((readTextFile("\(nginx.directory)/access.log") ?? "").isEmpty)
    }

    @Test("a connect-only request to a port nobody listens on is refused")
    func connectOnlyRefused() throws {
        let closed = try RefusedPort()
        let failure = try #require(client.perform(HTTPRequest(url: "tcp://127.0.0.1:\(closed.port)", connectOnly: true)).error)
        #expect(failure.kind == .refused)
        #expect(failure.url == "tcp://127.0.0.1:\(closed.port)")
    }

    @Test("a tcp:// URL without connect-only is refused before the network")
    func tcpNeedsConnectOnly() throws {
        let failure = try #require(client.perform(HTTPRequest(url: "tcp://127.0.0.1:1")).error)
        #expect(failure.kind == .invalidRequest)
        #expect(failure.curlCode == 0)
    }

    @Test("resolve pins a name to 127.0.0.1: the name is sent as Host, DNS is never asked")
    func resolvePinsAName() throws {
        let server = try LoopbackHTTPServer(routes: ["/": .text("pinned")])
        defer { server.stop() }
        // .invalid never resolves (RFC 2606), so only the pin can make this work.
        let request = HTTPRequest(url: "http://backend.invalid:\(server.port)/",
                                  resolve: ["backend.invalid:\(server.port):127.0.0.1"])

        let response = try #require(client.perform(request).value)

        #expect(response.body == Array("pinned".utf8))
        #expect(response.remoteIP == "127.0.0.1")
        #expect(server.receivedRequests.first?.values(for: "Host") == ["backend.invalid:\(server.port)"])
    }

    @Test("a malformed resolve entry is refused instead of silently falling back to DNS",
          arguments: ["backend.invalid:80", "backend.invalid:http:127.0.0.1", ":80:127.0.0.1", "h:0:127.0.0.1",
                      "h:80:", "h:80:127.0.0.1\nX: y"])
    func malformedResolve(entry: String) throws {
        let failure = try #require(client.perform(HTTPRequest(url: "http://h/", resolve: [entry])).error)
        #expect(failure.kind == .invalidRequest)
    }

    @Test("fresh connections: every request of a batch connects anew, where libcurl would keep one alive",
          .requires(NginxFixture.executable, package: "nginx-light"), arguments: [true, false])
    func freshConnection(fresh: Bool) throws {
        let nginx = try NginxFixture(files: ["index.html": Array("x".utf8)])
        defer { nginx.stop() }
        let requests = (0..<3).map { _ in HTTPRequest(url: "\(nginx.baseURL)/index.html", freshConnection: fresh) }

        let results = client.performAll(requests, concurrency: 1)

        #expect(results.allSatisfy { $0.value?.status == 200 })
        let numbers = nginx.connectionNumbers(expected: 3)
        #expect(numbers.count == 3)
        #expect(Set(numbers).count == (fresh ? 3 : 1), "nginx saw connections \(numbers)")
        let connects = results.compactMap { $0.value?.timings.marks.connect }
        #expect(connects.filter { $0 > 0 }.count == (fresh ? 3 : 1))
    }

    @Test("a timeout while waiting for the first byte keeps the marks it reached")
    func failureKeepsMarks() throws {
        let server = try LoopbackHTTPServer(routes: ["/slow": .delayed(seconds: 3, then: .text("late"))])
        defer { server.stop() }

        let failure = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/slow", totalTimeout: 0.3)).error)

        #expect(failure.kind == .timeout)
        #expect(failure.timings.marks.connect > 0)
        #expect(failure.timings.marks.startTransfer == 0)
        #expect(failure.timings.totalSeconds >= 0.29)
    }
}

import ScaleHTTP
import Testing
import TestSupport

@Suite("Responses from a scripted server")
struct LoopbackResponseTests {
    let client = HTTPClient()

    @Test("a 200 keeps the exact body bytes and every header in order, duplicates and case included")
    func okResponseKeepsBytesAndHeaderOrder() throws {
        let scripted: [LoopbackHTTPServer.Header] = [
            .init("Content-Type", "text/plain; charset=utf-8"),
            .init("X-Dup", "one"),
            .init("Set-Cookie", "a=1; Path=/"),
            .init("x-dup", "two"),
            .init("Set-Cookie", "b=2"),
            .init("X-Spaced", "  padded value\t"),
        ]
        let body: [UInt8] = Array("hello\r\n".utf8) + [0, 255, 13, 10, 128]
        let server = try LoopbackHTTPServer(routes: ["/ok": .respond(status: 200, headers: scripted, body: body)])
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/ok")).value)

        #expect(response.status == 200)
        #expect(response.httpVersion == "HTTP/1.1")
        #expect(response.body == body)
        #expect(!response.truncated)
        // The server appends Content-Length and Connection after the scripted headers;
        // values lose only their surrounding whitespace (RFC 9112 §5).
        let expected = scripted.map { HTTPHeader($0.name, $0.value.trimmingSpaces) }
            + [HTTPHeader("Content-Length", "\(body.count)"), HTTPHeader("Connection", "close")]
        #expect(response.headers == expected)
        #expect(response.values(for: "x-dup") == ["one", "two"])
        #expect(response.values(for: "SET-COOKIE") == ["a=1; Path=/", "b=2"])
        #expect(response.value(for: "content-type") == "text/plain; charset=utf-8")
        #expect(response.values(for: "X-Absent").isEmpty)
        #expect(response.remoteIP == "127.0.0.1")
        #expect(response.remotePort == Int(server.port))
        #expect(response.effectiveURL == "\(server.baseURL)/ok")
        #expect(response.redirectCount == 0)
        #expect(response.tls == nil)
        #expect(response.timings.queueWaitSeconds == 0)
    }

    @Test("a 304 has no body even when it announces the representation's Content-Length")
    func notModifiedHasNoBody() throws {
        // RFC 9110 §8.6 lets a 304 carry the length of the representation it stands for; a
        // client that waited for those bytes would hang until its timeout.
        let server = try LoopbackHTTPServer(routes: [
            "/cached": .respond(status: 304, headers: [.init("ETag", "\"v1\""), .init("Content-Length", "50")]),
        ])
        defer { server.stop() }
        var request = HTTPRequest(url: "\(server.baseURL)/cached", headers: [HTTPHeader("If-None-Match", "\"v1\"")])
        request.totalTimeout = 3

        let (result, elapsed) = measure { client.perform(request) }

        let response = try #require(result.value)
        #expect(response.status == 304)
        #expect(response.body.isEmpty)
        #expect(response.values(for: "ETag") == ["\"v1\""])
        #expect(elapsed < 2)
        #expect(server.receivedRequests.first?.values(for: "If-None-Match") == ["\"v1\""])
    }

    @Test("the method, headers in order, user agent and body reach the server as given")
    func requestArrivesAsGiven() throws {
        let server = try LoopbackHTTPServer(routes: ["/submit": .text("stored")])
        defer { server.stop() }
        let body: [UInt8] = Array("{\"a\":1}".utf8) + [0, 200]
        let request = HTTPRequest(
            method: "PUT", url: "\(server.baseURL)/submit?x=1",
            headers: [HTTPHeader("X-First", "1"), HTTPHeader("X-Second", "2"), HTTPHeader("x-first", "3"),
                      HTTPHeader("X-Empty", "")],
            body: body, userAgent: "scalectl/9.9.9")

        let response = try #require(client.perform(request).value)

        #expect(response.status == 200)
        #expect(response.body == Array("stored".utf8))
        let received = try #require(server.receivedRequests.first)
        #expect(received.method == "PUT")
        #expect(received.target == "/submit?x=1")
        #expect(received.body == body)
        #expect(received.values(for: "User-Agent") == ["scalectl/9.9.9"])
        #expect(received.headers.filter { $0.name.lowercased().hasPrefix("x-") }
            == [.init("X-First", "1"), .init("X-Second", "2"), .init("x-first", "3"), .init("X-Empty", "")])
        #expect(server.requestCount == 1)
    }

    @Test("the default user agent is scalectl", arguments: ["GET", "POST", "DELETE"])
    func defaultUserAgentAndMethods(method: String) throws {
        let server = try LoopbackHTTPServer(routes: ["/": .text("ok")])
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(method: method, url: "\(server.baseURL)/")).value)

        #expect(response.status == 200)
        let received = try #require(server.receivedRequests.first)
        #expect(received.method == method)
        #expect(received.values(for: "User-Agent") == ["scalectl"])
        #expect(received.body.isEmpty)
    }

    @Test("a HEAD request gets headers and no body")
    func headHasNoBody() throws {
        let server = try LoopbackHTTPServer(handler: { request in
            // A HEAD answer announces the GET body's length but sends no body (RFC 9110 §9.3.2).
            .respond(status: 200, headers: [.init("Content-Length", "12")], body: request.method == "HEAD" ? [] : Array("twelve bytes".utf8))
        })
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(method: "HEAD", url: server.baseURL + "/")).value)

        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(response.value(for: "Content-Length") == "12")
        #expect(server.receivedRequests.first?.method == "HEAD")
    }

    @Test("an HTTP error status is a response, not a failure", arguments: [404, 500, 503])
    func errorStatusIsAResponse(status: Int) throws {
        let server = try LoopbackHTTPServer(routes: ["/x": .text("nope", status: status)])
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(url: server.baseURL + "/x")).value)

        #expect(response.status == status)
        #expect(response.body == Array("nope".utf8))
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

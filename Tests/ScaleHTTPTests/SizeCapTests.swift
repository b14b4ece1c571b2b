import ScaleHTTP
import Testing
import TestSupport

@Suite("Size caps on untrusted responses")
struct SizeCapTests {
    let client = HTTPClient()

    @Test("a body over the cap is cut to exactly the cap and marked truncated",
          arguments: [(cap: 1_000, truncated: false), (999, true), (1, true), (0, true), (5_000, false)])
    func bodyCapBoundary(cap: Int, truncated: Bool) throws {
        let body = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let server = try LoopbackHTTPServer(routes: ["/body": .respond(status: 200, body: body)])
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/body", maxBodyBytes: cap)).value)

        #expect(response.status == 200)
        #expect(response.truncated == truncated)
        #expect(response.body == Array(body.prefix(cap)))
    }

    @Test("a 5 MiB body against the default 1 MiB cap keeps the first MiB byte for byte")
    func hugeBody() throws {
        let server = try LoopbackHTTPServer(routes: ["/huge": .hugeBody(bytes: 5 << 20)])
        defer { server.stop() }

        let (result, elapsed) = measure { client.perform(HTTPRequest(url: "\(server.baseURL)/huge")) }

        let response = try #require(result.value)
        #expect(response.truncated)
        #expect(response.body.count == 1 << 20)
        #expect(response.body == (0..<(1 << 20)).map { UInt8($0 % 251) })
        #expect(elapsed < 5, "the transfer stops at the cap instead of reading the rest")
    }

    @Test("1 MiB of headers fails as too_large under the default 256 KiB cap")
    func hugeHeaders() throws {
        let server = try LoopbackHTTPServer(routes: ["/headers": .hugeHeaders(bytes: 1 << 20)])
        defer { server.stop() }

        let failure = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/headers")).error)

        #expect(failure.kind == .tooLarge)
        #expect(failure.message.contains("\(256 << 10)"))
    }

    @Test("libcurl's own header limits also read as too_large when the cap is set above them",
          arguments: [LoopbackBehaviour.hugeHeaders(bytes: 1 << 20),
                      .respond(status: 200, headers: [.init("X-Big", String(repeating: "b", count: 150 << 10))])])
    func libcurlHeaderLimits(behaviour: LoopbackBehaviour) throws {
        let server = try LoopbackHTTPServer(routes: ["/headers": behaviour])
        defer { server.stop() }

        let failure = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/headers", maxHeaderBytes: 4 << 20)).error)

        #expect(failure.kind == .tooLarge, "\(failure) \(failure.curlCode)")
    }

    @Test("headers under the cap all arrive")
    func headersUnderCap() throws {
        let server = try LoopbackHTTPServer(routes: ["/headers": .hugeHeaders(bytes: 100 << 10)])
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/headers")).value)

        // The script: a 17-byte status line, then 103-byte filler lines until 100 KiB is reached.
        let fillerLines = ((100 << 10) - 17 + 102) / 103
        #expect(response.headers.filter { $0.name.hasPrefix("X-Filler-") }.count == fillerLines)
        #expect(response.headers.last?.name == "Connection")
        #expect(response.body == Array("ok".utf8))
    }

    @Test("the header cap counts the status line and every header line", arguments: [(cap: 69, fits: true), (68, false)])
    func headerCapBoundary(cap: Int, fits: Bool) throws {
        // "HTTP/1.1 200 OK\r\n" 17 + "X-A: bcdef\r\n" 12 + "Content-Length: 2\r\n" 19
        // + "Connection: close\r\n" 19 + the closing "\r\n" 2 = 69 bytes; the cap applies to the total.
        let server = try LoopbackHTTPServer(routes: ["/": .respond(status: 200, headers: [.init("X-A", "bcdef")], body: Array("ok".utf8))])
        defer { server.stop() }

        let result = client.perform(HTTPRequest(url: server.baseURL + "/", maxHeaderBytes: cap))

        #expect((result.value != nil) == fits)
        if !fits { #expect(result.error?.kind == .tooLarge) }
    }
}

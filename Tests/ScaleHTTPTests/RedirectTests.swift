import ScaleHTTP
import Testing
import TestSupport

@Suite("Redirects")
struct RedirectTests {
    let client = HTTPClient()

    @Test("a chain within the cap is followed to its end", arguments: [(hops: 0, cap: 5), (3, 5), (5, 5)])
    func chainWithinCap(hops: Int, cap: Int) throws {
        let server = try LoopbackHTTPServer(routes: ["/r/*": .redirectChain])
        defer { server.stop() }
        let request = HTTPRequest(url: "\(server.baseURL)/r/\(hops)", followRedirects: true, maxRedirects: cap)

        let response = try #require(client.perform(request).value)

        #expect(response.status == 200)
        #expect(response.body == Array("end of chain".utf8))
        #expect(response.redirectCount == hops)
        #expect(response.effectiveURL == "\(server.baseURL)/r/0")
        #expect(server.requestCount == hops + 1)
        #expect(server.receivedRequests.map(\.target) == (0...hops).reversed().map { "/r/\($0)" })
        // Headers are the final response's only: one Content-Length, no Location.
        #expect(response.values(for: "Location").isEmpty)
        #expect(response.values(for: "Content-Length") == ["12"])
        if hops > 0 { #expect(response.timings.redirectSeconds > 0) }
    }

    @Test("one redirect more than the cap fails as too_many_redirects", arguments: [(hops: 6, cap: 5), (1, 0)])
    func chainOverCap(hops: Int, cap: Int) throws {
        let server = try LoopbackHTTPServer(routes: ["/r/*": .redirectChain])
        defer { server.stop() }
        let request = HTTPRequest(url: "\(server.baseURL)/r/\(hops)", followRedirects: true, maxRedirects: cap)

        let failure = try #require(client.perform(request).error)

        #expect(failure.kind == .tooManyRedirects)
        #expect(failure.curlCode == 47)
        #expect(server.requestCount == cap + 1)
    }

    @Test("without followRedirects the redirect itself is the response")
    func redirectNotFollowed() throws {
        let server = try LoopbackHTTPServer(routes: ["/r/*": .redirectChain])
        defer { server.stop() }

        let response = try #require(client.perform(HTTPRequest(url: "\(server.baseURL)/r/2")).value)

        #expect(response.status == 302)
        #expect(response.values(for: "location") == ["/r/1"])
        #expect(response.redirectCount == 0)
        #expect(server.requestCount == 1)
    }
}

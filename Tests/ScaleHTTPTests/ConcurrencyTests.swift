import ScaleHTTP
import Testing
import TestSupport

@Suite("Many requests through one multi handle")
struct ConcurrencyTests {
    @Test("100 requests with a cap of 16: all succeed, in input order, never more than 16 in flight")
    func hundredRequestsCappedAtSixteen() throws {
        let serviceTime = 0.05
        let server = try LoopbackHTTPServer(handler: { request in
            .delayed(seconds: serviceTime, then: .respond(status: 200, body: Array(request.target.utf8)))
        })
        defer { server.stop() }
        let requests = (0..<100).map { HTTPRequest(url: "\(server.baseURL)/item/\($0)") }

        let (results, elapsed) = measure { HTTPClient().performAll(requests, concurrency: 16) }

        #expect(results.count == 100)
        let responses = results.compactMap(\.value)
        #expect(responses.count == 100, "failures: \(results.compactMap(\.error))")
        // Each body echoes its own path, so a result in the wrong slot shows.
        #expect(responses.map { String(decoding: $0.body, as: UTF8.self) } == (0..<100).map { "/item/\($0)" })
        #expect(server.requestCount == 100)
        #expect(server.maxConcurrentRequests <= 16)
        #expect(server.maxConcurrentRequests >= 8, "the cap should be used, not serialised")
        // ⌈100 / 16⌉ = 7 rounds of at least 50 ms each.
        #expect(elapsed >= 7 * serviceTime * 0.9)

        // The first 16 start at once; every later one waited at least until a first answer.
        let waits = responses.map(\.timings.queueWaitSeconds)
        #expect(waits.prefix(16).allSatisfy { $0 == 0 })
        #expect(waits.dropFirst(16).allSatisfy { $0 >= serviceTime * 0.9 })
        #expect(waits.last! >= 5 * serviceTime * 0.9)
        #expect(waits.max()! <= elapsed)
        // Queue wait is not transfer time: each transfer took about one service time.
        #expect(responses.allSatisfy { $0.timings.totalSeconds >= serviceTime * 0.9 && $0.timings.totalSeconds < elapsed })
    }

    @Test("a failing request does not disturb its neighbours, and results keep input order")
    func mixedOutcomes() throws {
        let server = try LoopbackHTTPServer(routes: ["/ok": .text("fine")])
        defer { server.stop() }
        let closed = try RefusedPort()
        let requests = [
            HTTPRequest(url: "\(server.baseURL)/ok"),
            HTTPRequest(url: "http://127.0.0.1:\(closed.port)/"),
            HTTPRequest(url: "ftp://127.0.0.1/"),
            HTTPRequest(url: "http://nonexistent.invalid/"),
            HTTPRequest(url: "\(server.baseURL)/missing"),
        ]

        let results = HTTPClient().performAll(requests, concurrency: 2)

        #expect(results[0].value?.status == 200)
        #expect(results[1].error?.kind == .refused)
        #expect(results[2].error?.kind == .invalidRequest)
        #expect(results[3].error?.kind == .dns)
        #expect(results[4].value?.status == 404)
    }

    @Test("no requests, no results; a cap below 1 still runs everything", arguments: [0, -3])
    func edgeCaps(cap: Int) throws {
        #expect(HTTPClient().performAll([], concurrency: 4).isEmpty)
        let server = try LoopbackHTTPServer(routes: ["/": .text("x")])
        defer { server.stop() }
        let results = HTTPClient().performAll(Array(repeating: HTTPRequest(url: server.baseURL + "/"), count: 3), concurrency: cap)
        #expect(results.compactMap(\.value).count == 3)
        #expect(server.maxConcurrentRequests == 1)
    }
}

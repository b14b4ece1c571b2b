import ScaleHTTP
import Testing
import TestSupport

@Suite("Sessions: requests that start and finish on their own schedule")
struct SessionTests {
    @Test("results come back as they finish, not in the order added; poll returns at the first one")
    func completionOrder() throws {
        let server = try LoopbackHTTPServer(handler: { request in
            let delay = Double(request.path.dropFirst()) ?? 0
            return .delayed(seconds: delay, then: .text(request.path))
        })
        defer { server.stop() }
        let session = HTTPClient().makeSession(concurrency: 8)
        session.add(HTTPRequest(url: "\(server.baseURL)/0.4"), tag: 7)
        session.add(HTTPRequest(url: "\(server.baseURL)/0.05"), tag: 3)
        #expect(session.pending == 2)

        let (first, waited) = measure { session.poll(timeout: 5) }
        #expect(first.map(\.tag) == [3])
        #expect(waited < 0.35, "poll returned when the first transfer finished")
        #expect(session.pending == 1)

        // Added while the slow one runs: the new fast one overtakes it.
        session.add(HTTPRequest(url: "\(server.baseURL)/0.05"), tag: 9)
        var order: [Int] = []
        while session.pending > 0 { order += session.poll(timeout: 5).map(\.tag) }
        #expect(order == [9, 7])
    }

    @Test("a poll with nothing due waits at most its timeout and returns nothing")
    func pollTimeout() throws {
        let server = try LoopbackHTTPServer(routes: ["/slow": .delayed(seconds: 1, then: .text("late"))])
        defer { server.stop() }
        let session = HTTPClient().makeSession(concurrency: 1)
        #expect(session.poll(timeout: 1).isEmpty, "an empty session returns at once")
        session.add(HTTPRequest(url: "\(server.baseURL)/slow"), tag: 1)
        let (results, elapsed) = measure { session.poll(timeout: 0.1) }
        #expect(results.isEmpty)
        #expect(elapsed >= 0.09 && elapsed < 0.5)
        var done: [HTTPSessionResult] = []
        while session.pending > 0 { done += session.poll(timeout: 5) }
        #expect(done.first?.result.value?.status == 200)
    }

    @Test("the concurrency cap holds; a request that waited for a slot says how long")
    func cap() throws {
        let server = try LoopbackHTTPServer(handler: { _ in .delayed(seconds: 0.1, then: .text("x")) })
        defer { server.stop() }
        let session = HTTPClient().makeSession(concurrency: 2)
        for tag in 0..<4 { session.add(HTTPRequest(url: server.baseURL + "/"), tag: tag) }
        var results: [HTTPSessionResult] = []
        while session.pending > 0 { results += session.poll(timeout: 5) }
        #expect(results.count == 4)
        #expect(server.maxConcurrentRequests <= 2)
        let waits = Dictionary(uniqueKeysWithValues: results.map { ($0.tag, $0.result.value?.timings.queueWaitSeconds ?? -1) })
        #expect(waits[0] == 0 && waits[1] == 0)
        #expect(waits[2]! >= 0.09 && waits[3]! >= 0.09)
    }

    @Test("a request that cannot be formed finishes at once, without a slot")
    func invalidRequest() {
        let session = HTTPClient().makeSession(concurrency: 1)
        session.add(HTTPRequest(url: "http://h/", headers: [HTTPHeader("Bad Name", "x")]), tag: 5)
        let results = session.poll(timeout: 1)
        #expect(results.map(\.tag) == [5])
        #expect(results.first?.result.error?.kind == .invalidRequest)
        #expect(session.pending == 0)
    }

    /// Any transport gets a session for free: everything queued is performed at the next poll.
    @Test("the default session batches for transports that only perform")
    func batchSession() {
        struct Echo: HTTPTransport {
            func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>] {
                requests.map { .success(HTTPResponse(status: 200, body: Array($0.url.utf8))) }
            }
        }
        let session = Echo().makeSession(concurrency: 4)
        #expect(session.poll(timeout: 1).isEmpty)
        session.add(HTTPRequest(url: "a"), tag: 2)
        session.add(HTTPRequest(url: "b"), tag: 1)
        #expect(session.pending == 2)
        let results = session.poll(timeout: 1)
        #expect(results.map(\.tag) == [2, 1])
        #expect(results.map { String(decoding: $0.result.value!.body, as: UTF8.self) } == ["a", "b"])
        #expect(session.pending == 0)
    }
}

import Glibc
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

@Suite("Failures are sorted into kinds a user acts on")
struct FailureKindTests {
    let client = HTTPClient()

    @Test("a port nobody listens on is refused")
    func refused() throws {
        let closed = try RefusedPort()
        let url = "http://127.0.0.1:\(closed.port)/"

        let failure = try #require(client.perform(HTTPRequest(url: url)).error)

        #expect(failure.kind == .refused)
        #expect(failure.curlCode == 7)
        #expect(failure.url == url)
        #expect(failure.scaleError.exitCode == .critical)
    }

    @Test("a name under .invalid (RFC 2606) does not resolve")
    func dns() throws {
        let failure = try #require(client.perform(HTTPRequest(url: "http://nonexistent.invalid/")).error)

        #expect(failure.kind == .dns)
        #expect(failure.curlCode == 6)
        #expect(failure.message.contains("nonexistent.invalid"))
    }

    @Test("a server slower than the total timeout fails at the timeout, not later")
    func timeout() throws {
        let server = try LoopbackHTTPServer(routes: ["/slow": .delayed(seconds: 5, then: .text("late"))])
        defer { server.stop() }
        let request = HTTPRequest(url: "\(server.baseURL)/slow", totalTimeout: 1)

        let (result, elapsed) = measure { client.perform(request) }

        let failure = try #require(result.error)
        #expect(failure.kind == .timeout)
        #expect(failure.curlCode == 28)
        #expect(elapsed >= 0.95)
        #expect(elapsed < 2.5)
        #expect(failure.elapsedSeconds >= 0.95 && failure.elapsedSeconds < 2.5)
        #expect(server.requestCount == 1)
    }

    @Test("a server that breaks off the response is a protocol failure",
          arguments: [LoopbackBehaviour.closeWithoutResponse, .partialHeadersThenClose, .shortBody])
    func brokenResponse(behaviour: LoopbackBehaviour) throws {
        let server = try LoopbackHTTPServer(routes: ["/broken": behaviour])
        defer { server.stop() }
        var request = HTTPRequest(url: "\(server.baseURL)/broken")
        request.totalTimeout = 5

        let (result, elapsed) = measure { client.perform(request) }

        let failure = try #require(result.error)
        #expect(failure.kind == .protocol, "\(failure)")
        #expect(elapsed < 2, "the closed connection must end the transfer, not the timeout")
    }

    @Test("https to a plain-HTTP port fails in the TLS handshake")
    func tlsToPlainServer() throws {
        let server = try LoopbackHTTPServer(routes: ["/": .text("plain")])
        defer { server.stop() }

        let failure = try #require(client.perform(HTTPRequest(url: "https://127.0.0.1:\(server.port)/")).error)

        #expect(failure.kind == .tls || failure.kind == .protocol, "\(failure)")
    }

    @Test("HTTP/2 with prior knowledge against an HTTP/1-only server is a protocol failure")
    func priorKnowledgeAgainstHTTP1() throws {
        let server = try LoopbackHTTPServer(routes: ["/": .text("http/1 only")])
        defer { server.stop() }
        var request = HTTPRequest(url: server.baseURL + "/", httpVersion: .http2PriorKnowledge)
        request.totalTimeout = 5

        let failure = try #require(client.perform(request).error)

        #expect(failure.kind == .protocol, "\(failure)")
    }

    @Test("a request that cannot be formed fails before any byte is sent", arguments: [
        HTTPRequest(url: "ftp://127.0.0.1/file"),
        HTTPRequest(url: "http://[::1/"),
        HTTPRequest(url: ""),
        HTTPRequest(url: "http://127.0.0.1/", headers: [HTTPHeader("X-Injected", "a\r\nEvil: 1")]),
        HTTPRequest(url: "http://127.0.0.1/", headers: [HTTPHeader("Bad Name", "v")]),
        HTTPRequest(method: "GET /x", url: "http://127.0.0.1/"),
    ])
    func invalidRequest(request: HTTPRequest) throws {
        let failure = try #require(client.perform(request).error)

        #expect(failure.kind == .invalidRequest, "\(failure)")
        #expect(failure.scaleError.exitCode == .usage)
    }

    /// libcurl says "Couldn't connect to server" for all of these; only the errno differs.
    @Test("a failed connect is sorted by its errno: no route is unreachable, a reset is refused", arguments: [
        (EHOSTUNREACH, HTTPFailure.Kind.unreachable), (ENETUNREACH, .unreachable), (ENETDOWN, .unreachable), (EHOSTDOWN, .unreachable),
        (ECONNREFUSED, .refused), (0, .refused), (ETIMEDOUT, .timeout),
    ])
    func connectErrno(errno: Int32, kind: HTTPFailure.Kind) {
        #expect(HTTPFailure.Kind.connectFailure(errno: errno) == kind)
    }

    @Test("a hung TLS handshake is a timeout whose connect mark is filled: TCP did connect")
    func hungTLSHandshake() throws {
        let silent = try SilentListener()
        let failure = try #require(client.perform(HTTPRequest(url: "https://127.0.0.1:\(silent.port)/", connectTimeout: 0.3, totalTimeout: 0.3)).error)
        #expect(failure.kind == .timeout)
        #expect(failure.timings.marks.connect > 0)
        #expect(failure.timings.marks.appConnect == 0)
    }

    @Test("every kind has the documented snake_case name")
    func kindNames() {
        #expect(HTTPFailure.Kind.allCases.map(\.rawValue) == [
            "dns", "refused", "unreachable", "timeout", "tls", "too_large", "protocol", "too_many_redirects", "invalid_request", "other",
        ])
    }
}

import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

@Suite("Secrets stay out of everything printed")
struct RedactionTests {
    @Test("URL passwords are replaced by ***", arguments: [
        ("https://user:pw@host/", "https://user:***@host/"),
        ("http://user:secret@127.0.0.1:8080/path?q=1", "http://user:***@127.0.0.1:8080/path?q=1"),
        ("http://user@host/", "http://user@host/"),
        ("http://host/a:b@c", "http://host/a:b@c"),
        ("http://u:p%40ss@host", "http://u:***@host"),
        ("http://u:p@ss@host/", "http://u:***@host/"),
        ("user:pw@host:80/", "user:***@host:80/"),
        ("http://:token@host/", "http://:***@host/"),
        ("http://host:8080/", "http://host:8080/"),
    ])
    func urlRedaction(url: String, expected: String) {
        #expect(Redaction.url(url) == expected)
    }

    @Test("a failure for a URL with a password never shows the password or credential headers")
    func failureHasNoSecrets() throws {
        let closed = try RefusedPort()
        let request = HTTPRequest(url: "http://user:secret@127.0.0.1:\(closed.port)/",
                                  headers: [HTTPHeader("Authorization", "Bearer topsecret-token"),
                                            HTTPHeader("Cookie", "session=secret-cookie")])

        let failure = try #require(HTTPClient().perform(request).error)

        #expect(failure.kind == .refused)
        #expect(failure.url == "http://user:***@127.0.0.1:\(closed.port)/")
        for text in [String(describing: failure), String(reflecting: failure), failure.message, failure.url,
                     failure.scaleError.description, String(describing: request), String(reflecting: request)] {
            #expect(!text.contains("secret"), "\(text)")
        }
        var dumped = ""
        dump(request, to: &dumped)
        #expect(!dumped.contains("secret"), "\(dumped)")
    }

    @Test("the effective URL of a response is redacted too")
    func responseURLRedacted() throws {
        let server = try LoopbackHTTPServer(routes: ["/": .text("hi")])
        defer { server.stop() }

        let response = try #require(HTTPClient().perform(HTTPRequest(url: "http://me:hunter2@127.0.0.1:\(server.port)/")).value)

        #expect(response.effectiveURL == "http://me:***@127.0.0.1:\(server.port)/")
        // The credentials still did their job: libcurl sent them as Basic auth (me:hunter2 in base64).
        #expect(server.receivedRequests.first?.values(for: "Authorization") == ["Basic bWU6aHVudGVyMg=="])
    }

    @Test("messages are scrubbed of the request's password (as written and decoded) and credential values")
    func scrubMessages() {
        let request = HTTPRequest(url: "http://bob:p%40ssw0rd@host/",
                                  headers: [HTTPHeader("Authorization", "Bearer tok3n-value"),
                                            HTTPHeader("cookie", "sid=abcdef"), HTTPHeader("Accept", "text/plain")])
        let message = "p%40ssw0rd or p@ssw0rd, Bearer tok3n-value, tok3n-value, sid=abcdef, text/plain, ab"
        #expect(Redaction.scrub(message, secretsOf: request) == "*** or ***, ***, ***, ***, text/plain, ab")
    }

    /// With --proxy-from-env libcurl reads the proxy from the environment itself; a message
    /// quoting it (libcurl's "Unsupported proxy syntax in '…'") must not carry its password.
    @Test("the password of a proxy taken from the environment is scrubbed, and only when the request uses it")
    func scrubEnvironmentProxy() {
        var request = HTTPRequest(url: "https://host/")
        request.proxyFromEnvironment = true
        let environment = ["https_proxy": "http://ops:pr0xy-pass@proxy:3128"]
        let message = "Unsupported proxy syntax in 'http://ops:pr0xy-pass@proxy:3128'"
        #expect(Redaction.scrub(message, secretsOf: request, environment: environment) == "Unsupported proxy syntax in 'http://ops:***@proxy:3128'")
        request.proxyFromEnvironment = false
        #expect(Redaction.scrub(message, secretsOf: request, environment: environment) == message)
    }

    @Test("credential headers print as ***")
    func headerDescription() {
        #expect(HTTPHeader("authorization", "Basic abc").description == "authorization: ***")
        #expect(HTTPHeader("Set-Cookie", "a=b").description == "Set-Cookie: ***")
        #expect(HTTPHeader("Accept", "*/*").description == "Accept: */*")
    }
}

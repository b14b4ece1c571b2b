import Glibc
import ScaleHTTP
import Testing
import TestSupport

/// Against a real nginx: the behaviour a user meets in production, not our own script.
@Suite("Against a real nginx", .requires(NginxFixture.executable, package: "nginx-light"))
struct NginxTests {
    static let page = Array("<!doctype html><title>scalectl</title><p>static page for tests</p>\n".utf8)
    let client = HTTPClient()

    /// nginx's ETag for a static file is `"<mtime hex>-<size hex>"` (ngx_http_set_etag).
    static func nginxETag(of path: String) throws -> String {
        var info = stat()
        try #require(stat(path, &info) == 0)
        return "\"\(String(info.st_mtim.tv_sec, radix: 16))-\(String(info.st_size, radix: 16))\""
    }

    @Test("GET of a static file: exact body, nginx's ETag, cache headers, peer address and sane timings")
    func staticFile() throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page])
        defer { nginx.stop() }

        let response = try #require(client.perform(HTTPRequest(url: "\(nginx.baseURL)/index.html")).value)

        #expect(response.status == 200)
        #expect(response.httpVersion == "HTTP/1.1")
        #expect(response.body == Self.page)
        #expect(response.values(for: "ETag") == [try Self.nginxETag(of: "\(nginx.documentRoot)/index.html")])
        #expect(response.values(for: "Last-Modified").count == 1)
        #expect(response.value(for: "Cache-Control") == NginxFixture.cacheControl)
        #expect(response.value(for: "Content-Type") == "text/html")
        #expect(response.value(for: "Content-Length") == String(Self.page.count))
        #expect(response.value(for: "Server")?.hasPrefix("nginx") == true)
        #expect(response.remoteIP == "127.0.0.1")
        #expect(response.remotePort == Int(nginx.port))

        let t = response.timings
        let phases = [t.dnsSeconds, t.connectSeconds, t.tlsSeconds, t.firstByteSeconds, t.transferSeconds]
        #expect(phases.allSatisfy { $0 >= 0 })
        #expect(t.tlsSeconds == 0)
        #expect(t.totalSeconds > 0)
        #expect(t.timeToFirstByteSeconds <= t.totalSeconds)
        #expect(t.firstByteSeconds <= t.totalSeconds)
        #expect(abs(phases.reduce(0, +) - t.totalSeconds) < 1e-6, "phases add up to the total without redirects")
    }

    @Test("a conditional GET with the current ETag is a 304; with a stale one a 200")
    func conditionalGet() throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page])
        defer { nginx.stop() }
        let url = "\(nginx.baseURL)/index.html"
        let etag = try Self.nginxETag(of: "\(nginx.documentRoot)/index.html")

        let results = client.performAll([
            HTTPRequest(url: url, headers: [HTTPHeader("If-None-Match", etag)]),
            HTTPRequest(url: url, headers: [HTTPHeader("If-None-Match", "\"stale-0\"")]),
        ], concurrency: 1)

        let notModified = try #require(results[0].value)
        #expect(notModified.status == 304)
        #expect(notModified.body.isEmpty)
        #expect(notModified.values(for: "ETag") == [etag])
        let full = try #require(results[1].value)
        #expect(full.status == 200)
        #expect(full.body == Self.page)
    }

    @Test("HEAD, a missing file and an index page behave as nginx documents")
    func headAndMissing() throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page, "data/notes.txt": Array("a note\n".utf8)])
        defer { nginx.stop() }

        let results = client.performAll([
            HTTPRequest(method: "HEAD", url: "\(nginx.baseURL)/index.html"),
            HTTPRequest(url: "\(nginx.baseURL)/absent.html"),
            HTTPRequest(url: "\(nginx.baseURL)/"),
            HTTPRequest(url: "\(nginx.baseURL)/data/notes.txt"),
        ], concurrency: 4)

        let head = try #require(results[0].value)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.value(for: "Content-Length") == String(Self.page.count))
        #expect(results[1].value?.status == 404)
        #expect(results[2].value?.body == Self.page)
        #expect(results[3].value?.body == Array("a note\n".utf8))
        #expect(results[3].value?.value(for: "Content-Type") == "text/plain")
    }

    @Test("HTTP/2 with prior knowledge works against an h2c listener")
    func http2PriorKnowledge() throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page], http2Cleartext: true)
        defer { nginx.stop() }

        let request = HTTPRequest(url: "\(nginx.baseURL)/index.html", httpVersion: .http2PriorKnowledge)
        let response = try #require(client.perform(request).value)

        #expect(response.httpVersion == "HTTP/2")
        #expect(response.body == Self.page)
        #expect(response.tls == nil)
    }

    @Test("keep-alive: a batch against nginx reuses connections")
    func connectionReuse() throws {
        let nginx = try NginxFixture(files: ["index.html": Self.page])
        defer { nginx.stop() }

        let results = client.performAll(Array(repeating: HTTPRequest(url: "\(nginx.baseURL)/index.html"), count: 10),
                                        concurrency: 1)

        let responses = results.compactMap(\.value)
        #expect(responses.count == 10)
        #expect(responses.allSatisfy { $0.body == Self.page })
        // A reused connection has no handshake: libcurl reports its connect mark as 0.
        #expect(responses.dropFirst().contains { $0.timings.marks.connect == 0 })
    }
}

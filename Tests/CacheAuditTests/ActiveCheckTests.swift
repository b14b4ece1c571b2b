import Testing
@testable import CacheAudit

/// Canned answers for the active checks: each one fires on a misbehaving server and stays quiet
/// on one that follows RFC 9110.
@Suite struct ActiveCheckTests {
    static let body = Array("hello, cache\n".utf8)
    static let fields = [
        HeaderField("Date", "Sun, 06 Nov 1994 08:49:37 GMT"), HeaderField("Cache-Control", "max-age=60"),
        HeaderField("ETag", "\"v1\""), HeaderField("Last-Modified", "Sat, 05 Nov 1994 08:49:37 GMT"),
        HeaderField("Vary", "Accept-Encoding"), HeaderField("Content-Type", "text/plain"), HeaderField("Accept-Ranges", "bytes"),
    ]
    static let base = Probe(status: 200, headers: fields, body: body)
    static let notModified = Probe(status: 304, headers: fields.filter { $0.name != "Content-Type" && $0.name != "Accept-Ranges" })
    static let gzipped = Probe(status: 200, headers: fields.map { $0.name == "ETag" ? HeaderField("ETag", "W/\"v1\"") : $0 }
        + [HeaderField("Content-Encoding", "gzip")], body: [0x1f, 0x8b, 8, 0])
    static let firstByte = Probe(status: 206, headers: fields + [HeaderField("Content-Range", "bytes 0-0/13")], body: [body[0]])

    func ids(_ kind: ActiveChecks.Kind, _ probe: Probe) -> [CheckID] {
        ActiveChecks.evaluate(base: Self.base, probes: [(kind, .success(probe))]).map(\.id)
    }

    func without(_ probe: Probe, _ name: String) -> Probe {
        var copy = probe
        copy.headers.removeAll { $0.name.lowercased() == name.lowercased() }
        return copy
    }

    func with(_ probe: Probe, _ name: String, _ value: String) -> Probe {
        var copy = without(probe, name)
        copy.headers.append(HeaderField(name, value))
        return copy
    }

    @Test func planFollowsTheValidatorsAndRanges() {
        #expect(ActiveChecks.plan(base: Self.base).map(\.kind) == [.ifNoneMatch, .ifModifiedSince, .gzip, .again, .range])
        #expect(ActiveChecks.plan(base: Self.base).first?.headers == [HeaderField("If-None-Match", "\"v1\"")])
        let bare = Probe(status: 200, headers: [HeaderField("Cache-Control", "max-age=60")])
        #expect(ActiveChecks.plan(base: bare).map(\.kind) == [.gzip, .again])
        #expect(ActiveChecks.plan(base: Probe(status: 404, headers: Self.fields)).isEmpty)
    }

    @Test func conditionalRequests() {
        #expect(ids(.ifNoneMatch, Self.notModified) == [])
        #expect(ids(.ifNoneMatch, Self.base) == [.ifNoneMatchIgnored])
        #expect(ids(.ifModifiedSince, Self.notModified) == [])
        #expect(ids(.ifModifiedSince, Self.base) == [.ifModifiedSinceIgnored])
        #expect(ids(.ifNoneMatch, without(Self.notModified, "Vary")) == [.notModifiedLacksFields])
        #expect(ActiveChecks.evaluate(base: Self.base, probes: [(.ifNoneMatch, .success(without(Self.notModified, "Vary")))]).first?.detail
                == "if-none-match 304 lacks vary")
        // A 200 with other content is not a failure to revalidate: inconclusive.
        #expect(ids(.ifNoneMatch, Probe(status: 200, headers: Self.fields, body: [1, 2, 3])) == [.validationInconclusive])
        #expect(ids(.ifNoneMatch, Probe(status: 500, headers: [])) == [.validationInconclusive])
        #expect(ActiveChecks.evaluate(base: Self.base, probes: [(.ifNoneMatch, .failure(.init("refused")))]).map(\.id) == [.validationInconclusive])
    }

    @Test func gzipNegotiation() {
        #expect(ids(.gzip, Self.gzipped) == [])
        #expect(ids(.gzip, without(Self.gzipped, "Vary")).contains(.negotiatedWithoutVary))
        #expect(ids(.gzip, with(Self.gzipped, "Vary", "Accept-Encoding, Origin")) == [.varyInconsistent])
        #expect(ids(.gzip, with(Self.gzipped, "ETag", "\"v1\"")) == [.strongETagReused])
        #expect(ids(.gzip, Probe(status: 406, headers: [])) == [.varyInconsistent])
        // The server ignored Accept-Encoding: nothing negotiated, nothing to say.
        #expect(ids(.gzip, Self.base) == [])
    }

    @Test func secondGET() {
        #expect(ids(.again, Self.base) == [])
        #expect(ids(.again, with(Self.base, "ETag", "\"v2\"")) == [.unstableValidators])
        #expect(ids(.again, with(Self.base, "Last-Modified", "Sun, 06 Nov 1994 08:49:37 GMT")) == [.unstableValidators])
        #expect(ids(.again, Probe(status: 200, headers: Self.fields, body: [9])) == [.strongETagReused])
        #expect(ids(.again, Probe(status: 200, headers: Self.fields.map { $0.name == "ETag" ? HeaderField("ETag", "\"v2\"") : $0 }, body: [9])) == [.validationInconclusive])
    }

    @Test func ranges() {
        #expect(ids(.range, Self.firstByte) == [])
        #expect(ids(.range, Self.base) == [.rangeIgnored])
        #expect(ids(.range, Probe(status: 206, headers: Self.firstByte.headers, body: [0x41, 0x42])) == [.rangeIgnored])
        #expect(ids(.range, without(Self.firstByte, "Cache-Control")) == [.partialLacksFields])
    }

    @Test func everyActiveCheckIsCovered() {
        let covered: Set<CheckID> = [.ifNoneMatchIgnored, .ifModifiedSinceIgnored, .notModifiedLacksFields, .strongETagReused, .unstableValidators, .validationInconclusive, .negotiatedWithoutVary, .varyInconsistent, .rangeIgnored, .partialLacksFields]
        #expect(Set(CheckCatalogue.all.filter(\.active).map(\.id)) == covered)
    }
}

/// Saved curl output, split into response heads.
@Suite struct RawResponsesTests {
    @Test func manyResponsesWithBodiesInterimHeadsAndFolding() throws {
        let text = """
        HTTP/1.1 100 Continue\r
        \r
        HTTP/1.1 301 Moved Permanently\r
        Location: /new\r
        X-Long: one\r
         two\r
        \r
        <html>moved; HTTP/1.1 200 in a body is not a status line</html>
        HTTP/2 200\r
        cache-control: max-age=60\r
        \r
        body
        HTTP/1.0 404 Not Found
        Date: Sun, 06 Nov 1994 08:49:37 GMT
        """
        let responses = try RawResponses.parse(Array(text.utf8))
        #expect(responses.map(\.status) == [301, 200, 404])
        #expect(responses.map(\.line) == [3, 9, 13])
        #expect(responses.map(\.httpVersion) == ["HTTP/1.1", "HTTP/2", "HTTP/1.0"])
        #expect(responses[0].headers == [HeaderField("Location", "/new"), HeaderField("X-Long", "one two")])
        #expect(responses[1].headers == [HeaderField("cache-control", "max-age=60")])
    }

    @Test func errorsNameTheLine() {
        #expect(throws: RawResponses.ParseError(message: "not a header line (expected 'Name: value')", line: 2)) {
            try RawResponses.parse(Array("HTTP/1.1 200 OK\nno colon here\n\n".utf8))
        }
        #expect(throws: RawResponses.ParseError(message: "not a header line (expected 'Name: value')", line: 2)) {
            try RawResponses.parse(Array("HTTP/1.1 200 OK\nBad Name: x\n\n".utf8))
        }
        #expect((try? RawResponses.parse([])) == [])
    }
}

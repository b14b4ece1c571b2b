import Testing
@testable import CacheAudit

@Suite struct CacheControlTests {
    @Test func namesAreCaseInsensitiveArgumentsQuotedOrToken() {
        let cc = CacheControl.parse("Max-Age=60, private=\"Set-Cookie, X-Foo\", no-cache , community=\"UCI\"")
        #expect(cc.directives.map(\.name) == ["max-age", "private", "no-cache", "community"])
        #expect(cc.first("max-age") == Directive(name: "max-age", rawName: "Max-Age", argument: "60"))
        #expect(cc.first("private")?.argument == "Set-Cookie, X-Foo")
        #expect(cc.first("private")?.quoted == true)
        #expect(cc.first("no-cache")?.argument == nil)
        #expect(cc.seconds("max-age") == 60)
    }

    @Test func linesJoinInOrderAndDuplicatesStay() {
        let cc = CacheControl.parse(["max-age=60", "max-age=120, public"])
        #expect(cc.directives.map(\.text) == ["max-age=60", "max-age=120", "public"])
        #expect(cc.seconds("max-age") == 60, "the first occurrence is used")
    }

    @Test func escapesAndEmptyElements() {
        let cc = CacheControl.parse(",, no-store ,,x=\"a\\\"b\"")
        #expect(cc.directives.map(\.name) == ["no-store", "x"])
        #expect(cc.first("x")?.argument == "a\"b")
    }

    @Test func malformedElementsAreMarked() {
        let cc = CacheControl.parse("max-age:60, max-age=\"5\"junk, ok")
        #expect(cc.directives.map(\.wellFormed) == [false, false, true])
        #expect(cc.directives.map { $0.malformation?.problem } == ["the name is not a token", "text after the closing quote", nil])
    }

    /// RFC 9111 §5.2: `cache-directive = token [ "=" ( token / quoted-string ) ]` has no whitespace
    /// around "="; OWS belongs only around the list's commas (RFC 9110 §5.6.1).
    @Test(arguments: ["max-age = 60", "max-age =60", "max-age= 60", "max-age\t=60"])
    func spaceAroundEqualsIsMalformedButReadLeniently(text: String) {
        let d = CacheControl.parse("public , \(text) ,no-cache").directives
        #expect(d.map(\.wellFormed) == [true, false, true])
        #expect(d[1].malformation == Directive.Malformation(problem: "space around \"=\"", sent: text))
        #expect(d[1].name == "max-age")
        #expect(d[1].argument == "60")
    }

    @Test(arguments: [
        ("60", DeltaSeconds.valid(60, clamped: false)),
        ("0060", .valid(60, clamped: false)),
        ("2147483648", .valid(2_147_483_648, clamped: false)),
        ("2147483649", .valid(2_147_483_648, clamped: true)),
        ("99999999999999999999999", .valid(2_147_483_648, clamped: true)),
        ("-1", .invalid("negative")),
        ("1.5", .invalid("decimal")),
        ("abc", .invalid("not a number")),
        ("", .invalid("no value")),
    ])
    func deltaSeconds(text: String, expected: DeltaSeconds) {
        #expect(DeltaSeconds.parse(text) == expected)
    }
}

/// RFC 8941 §4.2.2 dictionaries, with the RFC's own examples.
@Suite struct StructuredDictionaryTests {
    @Test func rfc8941Examples() throws {
        let d = try StructuredDictionary.parse(["en=\"Applepie\", da=:w4ZibGV0w6ZydGUK:"]).get()
        #expect(d.members.map(\.key) == ["en", "da"])
        #expect(d.value("en") == .string("Applepie"))
        #expect(d.value("da") == .bytes)
        let booleans = try StructuredDictionary.parse(["a=?0, b, c; foo=bar"]).get()
        #expect(booleans.value("a") == .boolean(false))
        #expect(booleans.value("b") == .boolean(true))
        #expect(booleans.value("c") == .boolean(true))
        let lists = try StructuredDictionary.parse(["rating=1.5, feelings=(joy sadness)"]).get()
        #expect(lists.value("rating") == .decimal(1.5))
        #expect(lists.value("feelings") == .innerList(count: 2))
    }

    @Test func cdnCacheControlValues() throws {
        let d = try StructuredDictionary.parse(["max-age=600, stale-while-revalidate=30", "private"]).get()
        #expect(d.value("max-age") == .integer(600))
        #expect(d.value("private") == .boolean(true))
    }

    @Test(arguments: ["Max-Age=60", "max-age=60,", "max-age=60 private", "", "max-age=\"60", "max-age=1234567890123456", "a=?2"])
    func invalidDictionaries(text: String) {
        #expect(throws: StructuredDictionary.ParseError.self) { try StructuredDictionary.parse([text]).get() }
    }
}

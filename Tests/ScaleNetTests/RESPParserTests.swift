import Testing
import ScaleNet

/// The examples of the RESP2 specification (redis.io/docs/reference/protocol-spec).
@Suite struct RESPParserTests {
    static func parse(_ text: String, limits: RESPLimits = RESPLimits()) throws -> (RESPValue, Int)? {
        try RESPParser.parse(Array(text.utf8), limits: limits)
    }

    @Test(arguments: [
        ("+OK\r\n", RESPValue.simple("OK")),
        ("-Error message\r\n", .error("Error message")),
        (":1000\r\n", .integer(1000)),
        (":-3\r\n", .integer(-3)),
        ("$5\r\nhello\r\n", .bulk(Array("hello".utf8))),
        ("$0\r\n\r\n", .bulk([])),
        ("$-1\r\n", .bulk(nil)),
        ("*0\r\n", .array([])),
        ("*-1\r\n", .array(nil)),
        ("*2\r\n$5\r\nhello\r\n$5\r\nworld\r\n", .array([.bulk(Array("hello".utf8)), .bulk(Array("world".utf8))])),
        ("*3\r\n:1\r\n:2\r\n:3\r\n", .array([.integer(1), .integer(2), .integer(3)])),
        ("*2\r\n*3\r\n:1\r\n:2\r\n:3\r\n*2\r\n+Hello\r\n-World\r\n",
         .array([.array([.integer(1), .integer(2), .integer(3)]), .array([.simple("Hello"), .error("World")])])),
        ("*3\r\n$5\r\nhello\r\n$-1\r\n$5\r\nworld\r\n", .array([.bulk(Array("hello".utf8)), .bulk(nil), .bulk(Array("world".utf8))])),
    ])
    func specExamples(text: String, expected: RESPValue) throws {
        let parsed = try #require(try Self.parse(text))
        #expect(parsed.0 == expected)
        #expect(parsed.1 == text.utf8.count)
    }

    /// Every proper prefix of a reply is incomplete, never an error or a wrong value.
    @Test func everyPrefixIsIncomplete() throws {
        let text = "*2\r\n$5\r\nhello\r\n*1\r\n:42\r\n"
        let bytes = Array(text.utf8)
        for n in 0..<bytes.count {
            #expect(try RESPParser.parse(Array(bytes[0..<n])) == nil, "prefix of \(n) bytes")
        }
        #expect(try RESPParser.parse(bytes + Array("+NEXT\r\n".utf8))?.1 == bytes.count)
    }

    @Test func bulkBytesMayHoldCRLF() throws {
        #expect(try Self.parse("$4\r\na\r\nb\r\n")?.0 == .bulk([0x61, 0x0D, 0x0A, 0x62]))
    }

    @Test(arguments: ["?junk\r\n", ":12x\r\n", "$-5\r\n", "*-2\r\n", "$3\r\nabcde\r\n", "+OK\rX", ":99999999999999999999\r\n", ":\r\n"])
    func malformedRepliesThrow(text: String) {
        #expect(throws: RESPParseError.self) { try Self.parse(text) }
    }

    @Test func boundsHoldAgainstHostileServers() {
        let small = RESPLimits(maxBulkBytes: 10, maxArrayCount: 3, maxDepth: 2, maxReplyBytes: 100)
        #expect(throws: RESPParseError.tooLarge("a bulk string of 11 bytes (limit 10)")) { try Self.parse("$11\r\n", limits: small) }
        #expect(throws: RESPParseError.tooLarge("an array of 4 items (limit 3)")) { try Self.parse("*4\r\n", limits: small) }
        #expect(throws: RESPParseError.tooLarge("replies nested deeper than 2")) { try Self.parse("*1\r\n*1\r\n*1\r\n*1\r\n", limits: small) }
        // A header line that never ends is refused once it passes 64 KiB.
        #expect(throws: RESPParseError.self) { try Self.parse("+" + String(repeating: "a", count: 70_000)) }
    }

    @Test func encodesCommandsAsArraysOfBulkStrings() {
        #expect(RESPParser.encode(["LLEN", "mylist"]) == Array("*2\r\n$4\r\nLLEN\r\n$6\r\nmylist\r\n".utf8))
        #expect(RESPParser.encode(["SET", "k", "é"]) == Array("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\né\r\n".utf8))
    }
}

import Testing
@testable import ScaleNet

/// The scanner that tells the client when a reply is complete, fed as a socket would feed it:
/// a byte more at a time.
@Suite struct RESPFrameScannerTests {
    static let replies = [
        "+OK\r\n", ":-3\r\n", "$5\r\nhello\r\n", "$0\r\n\r\n", "$-1\r\n", "*0\r\n", "*-1\r\n",
        "$4\r\na\r\nb\r\n",
        "*2\r\n*3\r\n:1\r\n:2\r\n:3\r\n*2\r\n+Hello\r\n-World\r\n",
        "*3\r\n$5\r\nhello\r\n$-1\r\n$5\r\nworld\r\n",
        "*2\r\n*0\r\n*1\r\n*-1\r\n",
    ]

    /// Nil for every proper prefix, the reply's length once it is all there, and the same
    /// again for the reply after it (the scanner starts over).
    @Test(arguments: replies)
    func findsTheEndAsBytesArrive(text: String) throws {
        let reply = Array(text.utf8)
        let stream = reply + Array("+NEXT\r\n".utf8)
        var scanner = RESPFrameScanner(limits: RESPLimits())
        var buffer: [UInt8] = []
        for (n, byte) in reply.enumerated() {
            #expect(try scanner.end(of: buffer) == nil, "prefix of \(n) bytes")
            buffer.append(byte)
        }
        #expect(try scanner.end(of: buffer) == reply.count)
        let rest = Array(stream[reply.count...])
        #expect(try scanner.end(of: rest) == rest.count)
    }

    @Test func limitsAreCheckedFromTheHeaders() {
        let small = RESPLimits(maxBulkBytes: 10, maxArrayCount: 3, maxDepth: 2, maxReplyBytes: 100)
        func scan(_ text: String) throws(RESPParseError) -> Int? {
            var scanner = RESPFrameScanner(limits: small)
            return try scanner.end(of: Array(text.utf8))
        }
        // The body has not arrived: refused from the header alone.
        #expect(throws: RESPParseError.tooLarge("a bulk string of 11 bytes (limit 10)")) { try scan("$11\r\n") }
        #expect(throws: RESPParseError.tooLarge("an array of 4 items (limit 3)")) { try scan("*4\r\n") }
        #expect(throws: RESPParseError.tooLarge("replies nested deeper than 2")) { try scan("*1\r\n*1\r\n*1\r\n*1\r\n") }
    }

    @Test(arguments: ["?junk\r\n", ":12x\r\n", "$-5\r\n", "*-2\r\n", "$3\r\nabcde\r\n", "+OK\rX", "*2\r\n:1\r\n:x\r\n"])
    func malformedRepliesThrow(text: String) {
        var scanner = RESPFrameScanner(limits: RESPLimits())
        #expect(throws: RESPParseError.self) { try scanner.end(of: Array(text.utf8)) }
    }
}

import Testing
import Rebalance
import ScaleCore

/// The JSON reader against RFC 8259's grammar and examples, and cases in the style of Nicolas
/// Seriot's JSONTestSuite (y_ must parse, n_ must be refused), with hand-counted byte offsets.
@Suite struct JSONParserTests {
    static func parse(_ text: String, maxBytes: Int = JSONParser.defaultMaxBytes, maxDepth: Int = JSONParser.defaultMaxDepth) throws(ScaleError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), source: "in.json", maxBytes: maxBytes, maxDepth: maxDepth)
    }

    /// RFC 8259 section 13's first example, abridged.
    @Test func rfcExampleParses() throws {
        let text = """
        {"Image": {"Width": 800, "Height": 600, "Title": "View from 15th Floor",
          "Thumbnail": {"Url": "http://www.example.com/image/481989943", "Height": 125, "Width": 100},
          "Animated" : false, "IDs": [116, 943, 234, 38793]}}
        """
        let value = try Self.parse(text)
        #expect(value["Image"]?["Width"] == .integer(800))
        #expect(value["Image"]?["Thumbnail"]?["Url"] == .string("http://www.example.com/image/481989943"))
        #expect(value["Image"]?["Animated"] == .bool(false))
        #expect(value["Image"]?["IDs"] == .array([.integer(116), .integer(943), .integer(234), .integer(38793)]))
    }

    @Test(arguments: [
        ("[1, -0, 0.5, -1.5e3, 1E+2, 12345678901234567890]", JSONValue.array([.integer(1), .integer(0), .number(0.5), .number(-1500), .number(100), .number(1.2345678901234567e19)])),
        (#"["\u00e9\ud83d\ude00", "a\/b\"\\\b\f\n\r\t"]"#, .array([.string("é😀"), .string("a/b\"\\\u{8}\u{c}\n\r\t")])),
        (" \t\r\n null \n", .null),
        ("{}", .object([])),
        ("[[]]", .array([.array([])])),
        (#"{"a":1,"a":2}"#, .object([JSONMember("a", .integer(1)), JSONMember("a", .integer(2))])),
        ("\"ünïcödé\"", .string("ünïcödé")),
    ])
    func validDocumentsParse(text: String, expected: JSONValue) throws {
        #expect(try Self.parse(text) == expected)
    }

    @Test func duplicateKeysTakeTheLast() throws {
        #expect(try Self.parse(#"{"a":1,"a":2}"#)["a"] == .integer(2))
    }

    /// Each error names the byte offset (0-based), line and column, and what was expected.
    @Test(arguments: [
        ("", "in.json: byte 0 (line 1, column 1): expected a value (object, array, string, number, true, false or null), found end of input"),
        ("[1,]", "in.json: byte 3 (line 1, column 4): expected a value (object, array, string, number, true, false or null), found ']'"),
        ("{\"a\" 1}", "in.json: byte 5 (line 1, column 6): expected ':' after the member name \"a\", found '1'"),
        ("{\n  \"a\": 1\n  \"b\": 2}", "in.json: byte 13 (line 3, column 3): expected ',' or '}' after an object member, found '\"'"),
        ("[1 2]", "in.json: byte 3 (line 1, column 4): expected ',' or ']' after an array element, found '2'"),
        ("{a:1}", "in.json: byte 1 (line 1, column 2): expected a member name in double quotes, found 'a'"),
        ("01", "in.json: byte 1 (line 1, column 2): expected '.', 'e' or the end of the number after a leading 0, found '1'"),
        ("1.", "in.json: byte 2 (line 1, column 3): expected a digit after the decimal point, found end of input"),
        ("-", "in.json: byte 1 (line 1, column 2): expected a digit in the number, found end of input"),
        ("1e", "in.json: byte 2 (line 1, column 3): expected a digit in the exponent, found end of input"),
        ("tru", "in.json: byte 0 (line 1, column 1): expected a value (object, array, string, number, true, false or null), found 't'"),
        ("\"abc", "in.json: byte 0 (line 1, column 1): expected a closing '\"' for the string that starts here, found end of input"),
        ("\"a\tb\"", "in.json: byte 2 (line 1, column 3): expected a character other than a control character in the string (escape it), found a tab"),
        (#""\x""#, "in.json: byte 2 (line 1, column 3): expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found 'x'"),
        (#""\ud800""#, "in.json: byte 7 (line 1, column 8): expected a low surrogate \\uDC00–\\uDFFF after a high surrogate, found '\"'"),
        ("{} x", "in.json: byte 3 (line 1, column 4): expected end of input after the JSON value, found 'x'"),
        ("1e999", "in.json: byte 0 (line 1, column 1): expected a number within the range of a 64-bit float, found 1e999"),
    ])
    func malformedDocumentsNameOffsetAndExpectation(text: String, message: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.kind == .input)
            #expect("\(error.location): \(error.what)" == message)
        }
    }

    @Test func invalidUTF8InAStringIsRefused() {
        let bytes: [UInt8] = Array("[\"a".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: ScaleError.self) { try JSONParser.parse(bytes, source: "x") }
        let binary: [UInt8] = [0x00, 0xFF, 0x7B]
        do {
            _ = try JSONParser.parse(binary, source: "x")
            Issue.record("binary parsed")
        } catch {
            #expect(error.what.hasSuffix("found byte 0x00"))
        }
    }

    /// Hostile nesting is refused at the depth limit instead of overflowing the stack.
    @Test func nestingDepthIsBounded() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try Self.parse(deep)
            Issue.record("100,000 levels parsed")
        } catch {
            #expect(error.location.hasPrefix("in.json: byte 64 "))
            #expect(error.what == "expected at most 64 levels of nesting, found a deeper array")
        }
        let sixtyFour = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try Self.parse(sixtyFour) }
    }

    @Test func inputSizeIsBounded() {
        do {
            _ = try Self.parse("[1, 2, 3]", maxBytes: 4)
            Issue.record("oversized input parsed")
        } catch {
            #expect(error.what == "JSON input is 9 bytes, more than the limit of 4")
        }
    }
}

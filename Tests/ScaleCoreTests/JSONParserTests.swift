import Testing
import ScaleCore

/// The shared JSON reader against RFC 8259's grammar and its section 13 examples, and cases in
/// the style of Nicolas Seriot's JSONTestSuite (y_ must parse, n_ must be refused), with
/// hand-counted byte offsets. These cases came from the four readers this one replaced.
@Suite struct JSONParserTests {
    static func parse(_ text: String, maxBytes: Int = JSONParser.defaultMaxBytes, maxDepth: Int = JSONParser.defaultMaxDepth,
                      duplicateKeys: JSONParser.DuplicateKeys = .reject) throws(ScaleError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8), source: "in.json", maxBytes: maxBytes, maxDepth: maxDepth, duplicateKeys: duplicateKeys)
    }

    static func n(_ text: String) -> JSONValue { .number(JSONNumber(text: text)) }

    /// RFC 8259 section 13, first example (verbatim).
    @Test func rfcImageExample() throws {
        let text = """
        {
          "Image": {
              "Width":  800,
              "Height": 600,
              "Title":  "View from 15th Floor",
              "Thumbnail": {
                  "Url":    "http://www.example.com/image/481989943",
                  "Height": 125,
                  "Width":  100
              },
              "Animated" : false,
              "IDs": [116, 943, 234, 38793]
            }
        }
        """
        let value = try Self.parse(text)
        #expect(value["Image"]?["Width"]?.int64 == 800)
        #expect(value["Image"]?["Title"] == .string("View from 15th Floor"))
        #expect(value["Image"]?["Thumbnail"]?["Url"] == .string("http://www.example.com/image/481989943"))
        #expect(value["Image"]?["Animated"] == .bool(false))
        #expect(value["Image"]?["IDs"] == .array([Self.n("116"), Self.n("943"), Self.n("234"), Self.n("38793")]))
        // Member order is the document's.
        guard case .object(let members)? = value["Image"] else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["Width", "Height", "Title", "Thumbnail", "Animated", "IDs"])
    }

    /// RFC 8259 section 13, second example: numbers keep their literal text ("-122.026020").
    @Test func rfcLocationsExample() throws {
        let text = """
        [
          {
             "precision": "zip",
             "Latitude":  37.7668,
             "Longitude": -122.3959,
             "Address":   "",
             "City":      "SAN FRANCISCO",
             "State":     "CA",
             "Zip":       "94107",
             "Country":   "US"
          },
          {
             "precision": "zip",
             "Latitude":  37.371991,
             "Longitude": -122.026020,
             "Address":   "",
             "City":      "SUNNYVALE",
             "State":     "CA",
             "Zip":       "94085",
             "Country":   "US"
          }
        ]
        """
        guard case .array(let items) = try Self.parse(text) else { Issue.record("not an array"); return }
        #expect(items.count == 2)
        #expect(items[1]["Longitude"] == Self.n("-122.026020"))
        #expect(items[1]["Longitude"]?.double == -122.02602)
        #expect(items[1]["Longitude"]?.int64 == nil)
        #expect(items[0]["Zip"]?.string == "94107")
    }

    /// RFC 8259 section 13's three small texts that contain only values.
    @Test func rfcScalarTexts() throws {
        #expect(try Self.parse(#""Hello world!""#) == .string("Hello world!"))
        #expect(try Self.parse("42") == Self.n("42"))
        #expect(try Self.parse("true") == .bool(true))
    }

    @Test(arguments: [
        ("[1, -0, 0.5, -1.5e3, 1E+2, 12345678901234567890]",
         JSONValue.array([n("1"), n("-0"), n("0.5"), n("-1.5e3"), n("1E+2"), n("12345678901234567890")])),
        (#"["\u00e9\ud83d\ude00", "a\/b\"\\\b\f\n\r\t"]"#, .array([.string("é😀"), .string("a/b\"\\\u{8}\u{c}\n\r\t")])),
        (" \t\r\n null \n", .null),
        ("{}", .object([])),
        ("[[]]", .array([.array([])])),
        ("\"ünïcödé\"", .string("ünïcödé")),
    ])
    func validDocumentsParse(text: String, expected: JSONValue) throws {
        #expect(try Self.parse(text) == expected)
    }

    /// Int64 vs Double: integer literals within 64 bits read exactly; the rest only as a Double.
    @Test func numbersKeepIntegerAndDoubleApart() throws {
        #expect(try Self.parse("9223372036854775807").int64 == Int64.max)
        #expect(try Self.parse("-9223372036854775808").int64 == Int64.min)
        #expect(try Self.parse("9223372036854775808").int64 == nil)
        #expect(try Self.parse("9223372036854775808").double == 9223372036854775808.0)
        #expect(try Self.parse("1.0").int64 == nil)
        #expect(try Self.parse("1e2").int64 == nil)
        #expect(try Self.parse("1e2").double == 100)
        #expect(try Self.parse("0.9995") == Self.n("0.9995"))
    }

    @Test func duplicateKeysAreRefusedOrKeptAsAsked() throws {
        #expect(try Self.parse(#"{"a":1,"a":2}"#, duplicateKeys: .keep) == .object([("a", Self.n("1")), ("a", Self.n("2"))]))
        #expect(try Self.parse(#"{"a":1,"a":2}"#, duplicateKeys: .keep)["a"] == Self.n("2"))
        do {
            _ = try Self.parse(#"{"a": 1, "a": 2}"#)
            Issue.record("a duplicate key parsed")
        } catch {
            // The second "a" starts at byte 9.
            #expect("\(error.location): \(error.what)" == #"in.json: byte 9 (line 1, column 10): expected each member name once in an object, found "a" again"#)
        }
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
        ("+1", "in.json: byte 0 (line 1, column 1): expected a value (object, array, string, number, true, false or null), found '+'"),
        ("tru", "in.json: byte 0 (line 1, column 1): expected a value (object, array, string, number, true, false or null), found 't'"),
        ("\"abc", "in.json: byte 0 (line 1, column 1): expected a closing '\"' for the string that starts here, found end of input"),
        ("\"a\tb\"", "in.json: byte 2 (line 1, column 3): expected a character other than a control character in the string (escape it), found a tab"),
        (#""\x""#, "in.json: byte 2 (line 1, column 3): expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX, found 'x'"),
        (#""\u12G4""#, "in.json: byte 5 (line 1, column 6): expected four hex digits after \\u, found 'G'"),
        (#""\ud800""#, "in.json: byte 7 (line 1, column 8): expected a low surrogate \\uDC00–\\uDFFF after a high surrogate, found '\"'"),
        (#""\udc00""#, "in.json: byte 7 (line 1, column 8): expected a high surrogate before the low surrogate, found '\"'"),
        ("{} x", "in.json: byte 3 (line 1, column 4): expected end of input after the JSON value, found 'x'"),
        ("1e999", "in.json: byte 0 (line 1, column 1): expected a number within the range of a 64-bit float, found 1e999"),
        ("\u{FEFF}1", "in.json: byte 0 (line 1, column 1): expected a value (object, array, string, number, true, false or null), found byte 0xEF"),
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

    /// The short wording Availability and QueueBacklog keep, at FILE:LINE:COLUMN in characters.
    @Test(arguments: [
        ("", "t.json:1:1: unexpected end of the JSON document"),
        ("{", "t.json:1:2: expected a quoted key in an object"),
        ("{\"series\": [\"99%\",]}", "t.json:1:19: expected a JSON value"),
        ("{\"a\": 1, \"a\": 2}", "t.json:1:10: the key \"a\" appears twice in one object"),
        ("[\"é\" x]", "t.json:1:6: expected ',' or ']' in an array"),
        ("{\"a\"\n  1}", "t.json:2:3: expected ':' after a key"),
    ])
    func terseMessages(text: String, message: String) {
        do {
            _ = try JSONParser.read(Array(text.utf8))
            Issue.record("\(text.debugDescription) parsed")
        } catch {
            #expect(error.terseScaleError(file: "t.json").description == message)
        }
    }

    @Test func invalidUTF8AndBinaryAreRefused() {
        let bytes: [UInt8] = Array("[\"a".utf8) + [0xC3, 0x28] + Array("\"]".utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.read(bytes) }
        do {
            _ = try JSONParser.read([0x00, 0xFF, 0x7B])
            Issue.record("binary parsed")
        } catch {
            #expect(error.found == "byte 0x00")
            #expect(error.offset == 0)
        }
    }

    /// RFC 8259 §8.1: a byte order mark may be ignored; only when the caller asks.
    @Test func byteOrderMarkOnlyWhenAllowed() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("[1]".utf8)
        #expect(throws: JSONParseError.self) { try JSONParser.read(bytes) }
        #expect(try JSONParser.read(bytes, options: .init(allowByteOrderMark: true)) == .array([Self.n("1")]))
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
        let objects = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: ScaleError.self) { try Self.parse(objects) }
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

    @Test func rawBufferAndPrefixReading() throws {
        let bytes = Array("note: {\"a\": [true, null]} trailing".utf8)
        let (value, end) = try JSONParser.readPrefix(bytes, from: 5)
        #expect(value == .object([("a", .array([.bool(true), .null]))]))
        #expect(end == 25)
        let viaBuffer = bytes[6..<25].withUnsafeBytes { JSONParser.read($0) }
        #expect(try viaBuffer.get() == value)
    }
}

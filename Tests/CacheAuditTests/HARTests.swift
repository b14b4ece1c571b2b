import Testing
@testable import CacheAudit

/// HAR files now go through ScaleCore's JSON reader; a broken one must still be reported in
/// the words and at the line and column (hand-counted, 1-based, in bytes) the private reader gave.
@Suite struct HARTests {
    static let deep = String(repeating: "[", count: 65)

    @Test(arguments: [
        ("{\"log\": ", "line 1, column 9: unexpected end of input"),
        ("{\"log\": {}", "line 1, column 11: unterminated object"),
        ("[1, 2", "line 1, column 6: unterminated array"),
        ("{\"log\"\n 1}", "line 2, column 2: expected ':'"),
        ("[tru]", "line 1, column 2: invalid literal"),
        ("[1, @]", "line 1, column 5: unexpected character"),
        ("{1}", "line 1, column 2: expected a string key"),
        ("[1 2]", "line 1, column 4: expected ',' or ']'"),
        ("{\"a\": 1 \"b\"}", "line 1, column 9: expected ',' or '}'"),
        ("[\"\\u12G4\"]", "line 1, column 7: bad \\u escape"),
        ("[1e+-5]", "line 1, column 7: invalid number '1e+-5'"),
        ("{\"n\":\n -}", "line 2, column 3: invalid number '-'"),
        ("[-", "line 1, column 3: invalid number '-'"),
        ("{\"a\": 1} x", "line 1, column 10: unexpected text after the JSON value"),
        (deep, "line 1, column 65: nested deeper than 64 levels"),
    ])
    func brokenJSONKeepsItsWording(text: String, expected: String) {
        #expect(throws: HAR.FormatError(message: "not JSON: " + expected)) { try HAR.entries(Array(text.utf8)) }
    }

    @Test func notAHAR() {
        #expect(throws: HAR.FormatError(message: "no log.entries array (is this a HAR file?)")) { try HAR.entries(Array("{\"log\": {}}".utf8)) }
    }
}

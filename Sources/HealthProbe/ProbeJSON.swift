import ScaleCore

/// How `--expect-json` reads a body with ScaleCore's JSON reader: a UTF-8 byte order mark is
/// tolerated and a repeated key keeps its last value, as jq does; the body is already bounded
/// by `--max-body`. Failures keep the wording `reason` columns have always shown
/// ("invalid value at byte 0").
enum ProbeJSON {
    struct Failure: Error, Equatable, CustomStringConvertible {
        var offset: Int
        var problem: String
        var description: String { "\(problem) at byte \(offset)" }
    }

    static let options = JSONParser.Options(maxBytes: .max, duplicateKeys: .keep, allowByteOrderMark: true)

    static func parse(_ bytes: [UInt8]) throws(Failure) -> JSONValue {
        do {
            return try JSONParser.read(bytes, options: options)
        } catch {
            throw Failure(offset: error.offset, problem: problem(error))
        }
    }

    static func problem(_ error: JSONParseError) -> String {
        let atEnd = error.found == "end of input"
        switch error.kind {
        case .tooLarge: return error.message
        case .tooDeep(let limit): return "nesting deeper than \(limit)"
        case .expectedValue:
            if atEnd { return "unexpected end of input" }
            return ["'t'", "'f'", "'n'"].contains(error.found) ? "invalid literal" : "invalid value"
        case .expectedDigit(.integer): return atEnd ? "unexpected end of input" : "invalid value"
        case .expectedDigit(.fraction): return "expected digits after '.'"
        case .expectedDigit(.exponent): return "expected digits in the exponent"
        case .leadingZero: return "a number with a leading zero"
        case .numberOutOfRange: return "a number out of range"
        case .unterminatedString: return "an unterminated string"
        case .controlCharacter: return "a control character in a string"
        case .invalidEscape: return "an invalid escape"
        case .invalidHexEscape: return "an invalid \\u escape"
        case .unpairedSurrogate: return "an unpaired surrogate"
        case .invalidUTF8: return "a string that is not UTF-8"
        case .expectedMemberName: return "expected a member name"
        case .expectedColon: return "expected ':'"
        case .expectedCommaOrBrace: return atEnd ? "unexpected end of input" : "expected ',' or '}'"
        case .expectedCommaOrBracket: return atEnd ? "unexpected end of input" : "expected ',' or ']'"
        case .duplicateKey(let key): return "the key \(JSON.string(key)) twice"
        case .trailingText: return "unexpected text after the document"
        }
    }

    /// jq's equality: numbers by value (1.0 == 1), objects regardless of member order, a
    /// repeated key by its last value.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x.double == y.double
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            let left = lastValues(x), right = lastValues(y)
            return left.count == right.count && left.allSatisfy { key, value in right[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }

    static func lastValues(_ members: [JSONMember]) -> [String: JSONValue] {
        var result: [String: JSONValue] = [:]
        for (key, value) in members { result[key] = value }
        return result
    }

    /// Compact JSON text, for messages.
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n):
            let d = n.double
            if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return d.description
        case .string(let s): return quoted(s)
        case .array(let items): return "[" + items.map(text).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { quoted($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

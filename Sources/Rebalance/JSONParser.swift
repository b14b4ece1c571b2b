public import ScaleCore

/// A strict RFC 8259 parser over bytes, small enough to keep Foundation out of the binary.
/// Bounded: inputs over `maxBytes` and nesting deeper than `maxDepth` are refused, so hostile
/// input cannot exhaust memory or the stack. Errors name the byte offset (0-based), the line and
/// column, what was expected and what was found.
public struct JSONParser {
    public static let defaultMaxBytes = 64 << 20
    public static let defaultMaxDepth = 64

    /// Parses exactly one JSON value (surrounded by optional whitespace) from `bytes`.
    /// `source` names the input in errors (a file path, `-` for standard input).
    public static func parse(_ bytes: [UInt8], source: String, maxBytes: Int = defaultMaxBytes,
                             maxDepth: Int = defaultMaxDepth) throws(ScaleError) -> JSONValue {
        guard bytes.count <= maxBytes else {
            throw .input("JSON input is \(bytes.count) bytes, more than the limit of \(maxBytes)", at: source,
                         fix: "split the input or raise the limit")
        }
        var parser = JSONParser(bytes: bytes, source: source, maxDepth: maxDepth)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == bytes.count else { throw parser.failure("end of input after the JSON value") }
        return value
    }

    /// Parses the first JSON value that starts at `offset`, returning it and the offset just
    /// past it (for inputs that wrap JSON in text, such as kafka-reassign-partitions output).
    public static func parsePrefix(_ bytes: [UInt8], from offset: Int, source: String,
                                   maxDepth: Int = defaultMaxDepth) throws(ScaleError) -> (JSONValue, Int) {
        var parser = JSONParser(bytes: bytes, source: source, maxDepth: maxDepth)
        parser.index = offset
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        return (value, parser.index)
    }

    private let bytes: [UInt8]
    private let source: String
    private let maxDepth: Int
    private var index = 0

    private init(bytes: [UInt8], source: String, maxDepth: Int) {
        self.bytes = bytes
        self.source = source
        self.maxDepth = maxDepth
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws(ScaleError) -> JSONValue {
        guard index < bytes.count else {
            throw failure("a value (object, array, string, number, true, false or null)")
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw failure("a value (object, array, string, number, true, false or null)")
        }
    }

    private mutating func object(depth: Int) throws(ScaleError) -> JSONValue {
        guard depth <= maxDepth else { throw failure("at most \(maxDepth) levels of nesting", found: "a deeper object") }
        index += 1
        var members: [JSONMember] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
        while true {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw failure("a member name in double quotes") }
            let key = try string()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw failure("':' after the member name \"\(key)\"") }
            index += 1
            skipSpace()
            members.append(JSONMember(key, try value(depth: depth)))
            skipSpace()
            guard index < bytes.count else { throw failure("',' or '}' after an object member") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(members) }
            throw failure("',' or '}' after an object member")
        }
    }

    private mutating func array(depth: Int) throws(ScaleError) -> JSONValue {
        guard depth <= maxDepth else { throw failure("at most \(maxDepth) levels of nesting", found: "a deeper array") }
        index += 1
        var elements: [JSONValue] = []
        skipSpace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
        while true {
            skipSpace()
            elements.append(try value(depth: depth))
            skipSpace()
            guard index < bytes.count else { throw failure("',' or ']' after an array element") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(elements) }
            throw failure("',' or ']' after an array element")
        }
    }

    private mutating func literal(_ word: StaticString) throws(ScaleError) {
        let count = word.utf8CodeUnitCount
        let expected = word.withUTF8Buffer { Array($0) }
        guard index + count <= bytes.count, Array(bytes[index..<index + count]) == expected else {
            throw failure("a value (object, array, string, number, true, false or null)")
        }
        index += count
    }

    private mutating func number() throws(ScaleError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a digit in the number") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw failure("'.', 'e' or the end of the number after a leading 0") }
        } else {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a digit after the decimal point") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw failure("a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let whole = Int64(text) { return .integer(whole) }
        guard let double = Double(text), double.isFinite else {
            index = start
            throw failure("a number within the range of a 64-bit float", found: text)
        }
        return .number(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func string() throws(ScaleError) -> String {
        let opening = index
        index += 1
        var out: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else {
                index = opening
                throw failure("a closing '\"' for the string that starts here", found: "end of input")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[runStart..<index])
                index += 1
                break
            }
            if byte < 0x20 { throw failure("a character other than a control character in the string (escape it)") }
            if byte == UInt8(ascii: "\\") {
                out.append(contentsOf: bytes[runStart..<index])
                try escape(into: &out)
                runStart = index
                continue
            }
            index += 1
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            index = opening
            throw failure("a string of valid UTF-8", found: "a string with invalid UTF-8 bytes")
        }
        return text
    }

    private mutating func escape(into out: inout [UInt8]) throws(ScaleError) {
        index += 1
        guard index < bytes.count else { throw failure("an escape character after '\\'") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(byte)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4()
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure("a low surrogate \\uDC00–\\uDFFF after a high surrogate")
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a low surrogate \\uDC00–\\uDFFF after a high surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("a high surrogate before the low surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("a valid Unicode scalar") }
            out.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            index -= 1
            throw failure("one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")
        }
    }

    private mutating func hex4() throws(ScaleError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw failure("four hex digits after \\u") }
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw failure("four hex digits after \\u")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    private func failure(_ expected: String, found: String? = nil) -> ScaleError {
        .input("expected \(expected), found \(found ?? describeFound())", at: location(of: index),
               fix: "check the JSON at that position (is it the whole file?)")
    }

    /// `FILE: byte 57 (line 3, column 12)`; lines and columns count from 1, columns in bytes.
    private func location(of offset: Int) -> String {
        var line = 1
        var column = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
        }
        return "\(source): byte \(offset) (line \(line), column \(column))"
    }

    private func describeFound() -> String {
        guard index < bytes.count else { return "end of input" }
        let byte = bytes[index]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        switch byte {
        case 0x20: return "a space"
        case 0x0A: return "a line feed"
        case 0x09: return "a tab"
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            return "byte 0x" + (hex.count == 1 ? "0" : "") + hex
        }
    }
}

/// A small RFC 8259 reader for HAR files and the check catalogue (no Foundation in libraries).
/// Nesting is bounded so hostile input cannot exhaust the stack; numbers keep their text.
public indirect enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONDocument])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSONDocument
    }

    public static let maxDepth = 64

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var line: Int
        public var column: Int
        public var description: String { "line \(line), column \(column): \(message)" }
    }

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> JSONDocument {
        var reader = Reader(bytes: bytes)
        reader.space()
        let value = try reader.value(depth: 0)
        reader.space()
        guard reader.index == bytes.count else { throw reader.error("unexpected text after the JSONDocument value") }
        return value
    }

    public subscript(key: String) -> JSONDocument? {
        if case .object(let members) = self { return members.first { $0.key == key }?.value }
        return nil
    }

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var array: [JSONDocument]? { if case .array(let a) = self { return a }; return nil }
    public var bool: Bool? { if case .bool(let b) = self { return b }; return nil }
    public var double: Double? { if case .number(let n) = self { return Double(n) }; return nil }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        func error(_ message: String) -> ParseError {
            var line = 1, column = 1
            for byte in bytes[..<min(index, bytes.count)] {
                if byte == 0x0A { line += 1; column = 1 } else { column += 1 }
            }
            return ParseError(message: message, line: line, column: column)
        }

        mutating func space() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func literal(_ word: String, _ value: JSONDocument) throws(ParseError) -> JSONDocument {
            let w = Array(word.utf8)
            guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else { throw error("invalid literal") }
            index += w.count
            return value
        }

        mutating func value(depth: Int) throws(ParseError) -> JSONDocument {
            guard depth < JSONDocument.maxDepth else { throw error("nested deeper than \(JSONDocument.maxDepth) levels") }
            guard index < bytes.count else { throw error("unexpected end of input") }
            switch bytes[index] {
            case 0x7B:
                index += 1
                var members: [Member] = []
                space()
                if index < bytes.count, bytes[index] == 0x7D { index += 1; return .object(members) }
                while true {
                    space()
                    guard index < bytes.count, bytes[index] == 0x22 else { throw error("expected a string key") }
                    let key = try string()
                    space()
                    guard index < bytes.count, bytes[index] == 0x3A else { throw error("expected ':'") }
                    index += 1
                    space()
                    members.append(Member(key: key, value: try value(depth: depth + 1)))
                    space()
                    guard index < bytes.count else { throw error("unterminated object") }
                    if bytes[index] == 0x2C { index += 1; continue }
                    if bytes[index] == 0x7D { index += 1; return .object(members) }
                    throw error("expected ',' or '}'")
                }
            case 0x5B:
                index += 1
                var items: [JSONDocument] = []
                space()
                if index < bytes.count, bytes[index] == 0x5D { index += 1; return .array(items) }
                while true {
                    space()
                    items.append(try value(depth: depth + 1))
                    space()
                    guard index < bytes.count else { throw error("unterminated array") }
                    if bytes[index] == 0x2C { index += 1; continue }
                    if bytes[index] == 0x5D { index += 1; return .array(items) }
                    throw error("expected ',' or ']'")
                }
            case 0x22: return .string(try string())
            case 0x74: return try literal("true", .bool(true))
            case 0x66: return try literal("false", .bool(false))
            case 0x6E: return try literal("null", .null)
            case 0x2D, 0x30...0x39:
                let start = index
                index += 1
                while index < bytes.count, (0x30...0x39).contains(bytes[index]) || [0x2E, 0x65, 0x45, 0x2B, 0x2D].contains(bytes[index]) { index += 1 }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                guard Double(text) != nil else { throw error("invalid number '\(text)'") }
                return .number(text)
            default:
                throw error("unexpected character")
            }
        }

        mutating func hex4() throws(ParseError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x37)
                case 0x61...0x66: digit = UInt32(b - 0x57)
                default: throw error("bad \\u escape")
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }

        mutating func string() throws(ParseError) -> String {
            index += 1
            var out: [UInt8] = []
            while index < bytes.count {
                let b = bytes[index]
                index += 1
                switch b {
                case 0x22: return String(decoding: out, as: UTF8.self)
                case 0x5C:
                    guard index < bytes.count else { throw error("unterminated escape") }
                    let e = bytes[index]
                    index += 1
                    switch e {
                    case 0x22, 0x5C, 0x2F: out.append(e)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x75:
                        var scalar = try hex4()
                        if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75 {
                            index += 2
                            let low = try hex4()
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low &- 0xDC00 & 0x3FF)
                        }
                        out.append(contentsOf: Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8))
                    default: throw error("bad escape")
                    }
                default:
                    guard b >= 0x20 else { throw error("control character in string") }
                    out.append(b)
                }
            }
            throw error("unterminated string")
        }
    }
}

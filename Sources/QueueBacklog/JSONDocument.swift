import ScaleCore

/// A small JSON reader (RFC 8259) for ndjson samples and broker API answers (a copy of
/// Availability's reader, kept internal so the two libraries stay independent). Numbers keep
/// their text; nesting is bounded so hostile input cannot exhaust the stack.
indirect enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONDocument])
    /// Members in document order; duplicate keys are refused while parsing.
    case object([(key: String, value: JSONDocument)])

    static let maxDepth = 64

    static func == (a: JSONDocument, b: JSONDocument) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)), (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// What a person would call it in an error message.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// Parses a whole document; errors are placed at `file:line:column`.
    static func parse(_ bytes: [UInt8], file: String) throws(ScaleError) -> JSONDocument {
        var reader = Reader(bytes: bytes, file: file)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.index == bytes.count else { throw reader.error("unexpected text after the JSON value") }
        return value
    }

    struct Reader {
        let bytes: [UInt8]
        let file: String
        var index = 0

        init(bytes: [UInt8], file: String) {
            self.bytes = bytes
            self.file = file
        }

        func error(_ what: String, fix: String = "") -> ScaleError {
            var line = 1, column = 1
            for b in bytes[0..<min(index, bytes.count)] {
                if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            }
            return .input(what, at: "\(file):\(line):\(column)", fix: fix)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let b = current, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { index += 1 }
        }

        mutating func value(depth: Int) throws(ScaleError) -> JSONDocument {
            guard depth < JSONDocument.maxDepth else { throw error("JSON nested deeper than \(JSONDocument.maxDepth) levels") }
            guard let b = current else { throw error("unexpected end of the JSON document") }
            switch b {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("expected a JSON value")
            }
        }

        mutating func literal(_ word: String) throws(ScaleError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
                throw error("expected a JSON value")
            }
            index += expected.count
        }

        mutating func number() throws(ScaleError) -> String {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            func digits(_ r: inout Reader) -> Int {
                let s = r.index
                while let b = r.current, b >= 0x30, b <= 0x39 { r.index += 1 }
                return r.index - s
            }
            guard digits(&self) > 0 else { throw error("expected digits in a number") }
            if current == UInt8(ascii: ".") {
                index += 1
                guard digits(&self) > 0 else { throw error("expected digits after the decimal point") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard digits(&self) > 0 else { throw error("expected digits in the exponent") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(ScaleError) -> String {
            index += 1
            var out: [UInt8] = []
            while true {
                guard let b = current else { throw error("unterminated string") }
                index += 1
                switch b {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let e = current else { throw error("unterminated string") }
                    index += 1
                    switch e {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try hex4()
                        if scalar >= 0xD800, scalar < 0xDC00, current == UInt8(ascii: "\\"),
                           index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") {
                            index += 2
                            let low = try hex4()
                            guard low >= 0xDC00, low < 0xE000 else { throw error("invalid surrogate pair in a string") }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape in a string") }
                        out.append(contentsOf: Array(String(u).utf8))
                    default: throw error("invalid escape in a string")
                    }
                case 0x00..<0x20:
                    index -= 1
                    throw error("control character in a string", fix: "escape it, e.g. \\n")
                default:
                    out.append(b)
                }
            }
        }

        mutating func hex4() throws(ScaleError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("invalid \\u escape in a string") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let b = bytes[index]
                let digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x41...0x46: digit = UInt32(b - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(b - 0x61 + 10)
                default: throw error("invalid \\u escape in a string")
                }
                value = value * 16 + digit
                index += 1
            }
            return value
        }

        mutating func array(depth: Int) throws(ScaleError) -> JSONDocument {
            index += 1
            var items: [JSONDocument] = []
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "]") { index += 1; return .array(items) }
                throw error("expected ',' or ']' in an array")
            }
        }

        mutating func object(depth: Int) throws(ScaleError) -> JSONDocument {
            index += 1
            var members: [(key: String, value: JSONDocument)] = []
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a quoted key in an object") }
                let keyStart = index
                let key = try string()
                if members.contains(where: { $0.key == key }) {
                    index = keyStart
                    throw error("the key \"\(key)\" appears twice in one object")
                }
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                index += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw error("expected ',' or '}' in an object")
            }
        }
    }
}

extension JSONDocument {
    /// The member `key` of an object; nil for a missing key or a non-object.
    subscript(key: String) -> JSONDocument? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A number as a Double; nil for null and anything that is not a number.
    var double: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    var text: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }
}

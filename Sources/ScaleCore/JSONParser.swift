/// The one JSON reader: strict RFC 8259 over bytes, small enough to keep Foundation out of the
/// binary. Bounded: inputs over `maxBytes` and nesting deeper than `maxDepth` containers are
/// refused, so hostile input cannot exhaust memory or the stack. Strings must be valid UTF-8,
/// numbers must follow the grammar (no leading zeros) and fit a finite Double. Errors
/// (`JSONParseError`) name the byte offset, line and column, what was expected and what was found.
public enum JSONParser {
    public static let defaultMaxBytes = 64 << 20
    public static let defaultMaxDepth = 64

    /// What to do with an object that names the same key twice (RFC 8259 §4 leaves it open).
    public enum DuplicateKeys: Sendable, Equatable {
        /// Refuse the document: the strict choice, for configuration files.
        case reject
        /// Keep every member in order; `JSONValue[key]` takes the last, as jq and Jackson do.
        case keep
    }

    public struct Options: Sendable, Equatable {
        public var maxBytes: Int
        public var maxDepth: Int
        public var duplicateKeys: DuplicateKeys
        /// RFC 8259 §8.1 lets a parser ignore a leading UTF-8 byte order mark; off by default.
        public var allowByteOrderMark: Bool

        public init(maxBytes: Int = JSONParser.defaultMaxBytes, maxDepth: Int = JSONParser.defaultMaxDepth,
                    duplicateKeys: DuplicateKeys = .reject, allowByteOrderMark: Bool = false) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.duplicateKeys = duplicateKeys
            self.allowByteOrderMark = allowByteOrderMark
        }
    }

    /// Reads exactly one JSON value (surrounded by optional whitespace).
    public static func read(_ bytes: [UInt8], options: Options = Options()) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { read($0, options: options) }
        return try result.get()
    }

    public static func read(_ bytes: UnsafeRawBufferPointer, options: Options = Options()) -> Result<JSONValue, JSONParseError> {
        guard bytes.count <= options.maxBytes else {
            return .failure(JSONParseError(.tooLarge(bytes: bytes.count, limit: options.maxBytes), at: 0, in: bytes, found: "\(bytes.count) bytes"))
        }
        var reader = Reader(bytes: bytes, options: options)
        if options.allowByteOrderMark, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { reader.index = 3 }
        do throws(JSONParseError) {
            reader.skipSpace()
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.index == bytes.count else { throw reader.failure(.trailingText) }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    /// Reads the first JSON value at or after `offset` (after whitespace) and returns it with the
    /// offset just past it, for inputs that wrap JSON in text (kafka-log-dirs.sh output).
    public static func readPrefix(_ bytes: [UInt8], from offset: Int,
                                  options: Options = Options()) throws(JSONParseError) -> (JSONValue, Int) {
        let result: Result<(JSONValue, Int), JSONParseError> = bytes.withUnsafeBytes { buffer in
            guard buffer.count <= options.maxBytes else {
                return .failure(JSONParseError(.tooLarge(bytes: buffer.count, limit: options.maxBytes), at: 0, in: buffer, found: "\(buffer.count) bytes"))
            }
            var reader = Reader(bytes: buffer, options: options)
            reader.index = min(max(offset, 0), buffer.count)
            do throws(JSONParseError) {
                reader.skipSpace()
                let value = try reader.value(depth: 0)
                return .success((value, reader.index))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// `read`, with errors as `ScaleError.input` placed at `SOURCE: byte N (line L, column C)`.
    /// `source` names the input (a file path, `-` or "standard input").
    public static func parse(_ bytes: [UInt8], source: String, maxBytes: Int = defaultMaxBytes, maxDepth: Int = defaultMaxDepth,
                             duplicateKeys: DuplicateKeys = .reject) throws(ScaleError) -> JSONValue {
        do {
            return try read(bytes, options: Options(maxBytes: maxBytes, maxDepth: maxDepth, duplicateKeys: duplicateKeys))
        } catch {
            throw error.scaleError(source: source)
        }
    }

    /// `read`, with errors in the short wording at `FILE:LINE:COLUMN` (`terseScaleError`), as
    /// the topology and queue-sample readers have always reported them.
    public static func parse(_ bytes: [UInt8], file: String, options: Options = Options()) throws(ScaleError) -> JSONValue {
        do {
            return try read(bytes, options: options)
        } catch {
            throw error.terseScaleError(file: file)
        }
    }

    /// `readPrefix`, with errors as in `parse(_:source:)`.
    public static func parsePrefix(_ bytes: [UInt8], from offset: Int, source: String, maxDepth: Int = defaultMaxDepth,
                                   duplicateKeys: DuplicateKeys = .reject) throws(ScaleError) -> (JSONValue, Int) {
        do {
            return try readPrefix(bytes, from: offset, options: Options(maxDepth: maxDepth, duplicateKeys: duplicateKeys))
        } catch {
            throw error.scaleError(source: source)
        }
    }

    struct Reader {
        let bytes: UnsafeRawBufferPointer
        let options: Options
        var index = 0

        init(bytes: UnsafeRawBufferPointer, options: Options) {
            self.bytes = bytes
            self.options = options
        }

        func failure(_ kind: JSONParseError.Kind, found: String? = nil) -> JSONParseError {
            JSONParseError(kind, at: index, in: bytes, found: found)
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
            guard let byte = current else { throw failure(.expectedValue) }
            switch byte {
            case UInt8(ascii: "{"): return try object(depth: depth + 1)
            case UInt8(ascii: "["): return try array(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw failure(.expectedValue)
            }
        }

        mutating func literal(_ word: StaticString) throws(JSONParseError) {
            let count = word.utf8CodeUnitCount
            let matches = word.withUTF8Buffer { expected in
                index + count <= bytes.count && (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            guard matches else { throw failure(.expectedValue) }
            index += count
        }

        mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= options.maxDepth else { throw failure(.tooDeep(limit: options.maxDepth), found: "a deeper object") }
            index += 1
            var members: [JSONMember] = []
            skipSpace()
            if current == UInt8(ascii: "}") { index += 1; return .object(members) }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw failure(.expectedMemberName) }
                let keyStart = index
                let key = try string()
                if options.duplicateKeys == .reject, members.contains(where: { $0.key == key }) {
                    index = keyStart
                    throw failure(.duplicateKey(key), found: "\(JSON.string(key)) again")
                }
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw failure(.expectedColon(key: key)) }
                index += 1
                skipSpace()
                members.append((key, try value(depth: depth)))
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "}") { index += 1; return .object(members) }
                throw failure(.expectedCommaOrBrace)
            }
        }

        mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
            guard depth <= options.maxDepth else { throw failure(.tooDeep(limit: options.maxDepth), found: "a deeper array") }
            index += 1
            var elements: [JSONValue] = []
            skipSpace()
            if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
            while true {
                skipSpace()
                elements.append(try value(depth: depth))
                skipSpace()
                if current == UInt8(ascii: ",") { index += 1; continue }
                if current == UInt8(ascii: "]") { index += 1; return .array(elements) }
                throw failure(.expectedCommaOrBracket)
            }
        }

        static func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }

        mutating func number() throws(JSONParseError) -> JSONNumber {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard Self.isDigit(current) else { throw failure(.expectedDigit(.integer)) }
            if current == UInt8(ascii: "0") {
                index += 1
                if Self.isDigit(current) { throw failure(.leadingZero) }
            } else {
                while Self.isDigit(current) { index += 1 }
            }
            if current == UInt8(ascii: ".") {
                index += 1
                guard Self.isDigit(current) else { throw failure(.expectedDigit(.fraction)) }
                while Self.isDigit(current) { index += 1 }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard Self.isDigit(current) else { throw failure(.expectedDigit(.exponent)) }
                while Self.isDigit(current) { index += 1 }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard let double = Double(text), double.isFinite else {
                index = start
                throw failure(.numberOutOfRange(text), found: text)
            }
            return JSONNumber(text: text)
        }

        mutating func string() throws(JSONParseError) -> String {
            let opening = index
            index += 1
            var out: [UInt8] = []
            var runStart = index
            while true {
                guard let byte = current else {
                    index = opening
                    throw failure(.unterminatedString, found: "end of input")
                }
                if byte == UInt8(ascii: "\"") {
                    out.append(contentsOf: bytes[runStart..<index])
                    index += 1
                    break
                }
                if byte < 0x20 { throw failure(.controlCharacter) }
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
                throw failure(.invalidUTF8, found: "a string with invalid UTF-8 bytes")
            }
            return text
        }

        mutating func escape(into out: inout [UInt8]) throws(JSONParseError) {
            index += 1
            guard let byte = current else { throw failure(.unterminatedString) }
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
                    // A high surrogate must be followed by \u and a low one (RFC 8259 §7).
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw failure(.unpairedSurrogate(high: true))
                    }
                    index += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure(.unpairedSurrogate(high: true)) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw failure(.unpairedSurrogate(high: false))
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw failure(.invalidHexEscape) }
                out.append(contentsOf: Array(String(Character(unicode)).utf8))
            default:
                index -= 1
                throw failure(.invalidEscape)
            }
        }

        mutating func hex4() throws(JSONParseError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current else { throw failure(.invalidHexEscape) }
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw failure(.invalidHexEscape)
                }
                value = value << 4 | digit
                index += 1
            }
            return value
        }
    }
}

/// Why and where a JSON document was refused. `expected` and `found` make the canonical
/// message ("expected ':' after the member name "a", found '1'"); `kind` lets a caller keep
/// wording of its own.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum NumberPart: Sendable, Equatable { case integer, fraction, exponent }

    public enum Kind: Sendable, Equatable {
        case tooLarge(bytes: Int, limit: Int)
        case tooDeep(limit: Int)
        /// A value was due: end of input, or a byte that starts none (including a bad literal).
        case expectedValue
        case expectedDigit(NumberPart)
        case leadingZero
        case numberOutOfRange(String)
        case unterminatedString
        case controlCharacter
        case invalidEscape
        case invalidHexEscape
        /// A high surrogate without its low half (`high`), or a low one on its own.
        case unpairedSurrogate(high: Bool)
        case invalidUTF8
        case expectedMemberName
        case expectedColon(key: String)
        case expectedCommaOrBrace
        case expectedCommaOrBracket
        case duplicateKey(String)
        case trailingText
    }

    public var kind: Kind
    /// 0-based byte offset of the problem.
    public var offset: Int
    /// 1-based line (LF-separated).
    public var line: Int
    /// 1-based column counted in bytes.
    public var column: Int
    /// 1-based column counted in characters (UTF-8 sequences), for messages people read in an editor.
    public var characterColumn: Int
    /// What was found at `offset`: `'x'`, `end of input`, `a tab`, `byte 0xFF`.
    public var found: String

    init(_ kind: Kind, at offset: Int, in bytes: UnsafeRawBufferPointer, found: String?) {
        self.kind = kind
        self.offset = offset
        var line = 1, column = 1, characterColumn = 1
        for byte in bytes[0..<min(offset, bytes.count)] {
            if byte == 0x0A {
                line += 1; column = 1; characterColumn = 1
            } else {
                column += 1
                if byte & 0xC0 != 0x80 { characterColumn += 1 }
            }
        }
        self.line = line
        self.column = column
        self.characterColumn = characterColumn
        self.found = found ?? Self.describe(offset < bytes.count ? bytes[offset] : nil)
    }

    /// What the parser needed at `offset`.
    public var expected: String {
        switch kind {
        case .tooLarge(_, let limit): return "at most \(limit) bytes of JSON"
        case .tooDeep(let limit): return "at most \(limit) levels of nesting"
        case .expectedValue: return "a value (object, array, string, number, true, false or null)"
        case .expectedDigit(.integer): return "a digit in the number"
        case .expectedDigit(.fraction): return "a digit after the decimal point"
        case .expectedDigit(.exponent): return "a digit in the exponent"
        case .leadingZero: return "'.', 'e' or the end of the number after a leading 0"
        case .numberOutOfRange: return "a number within the range of a 64-bit float"
        case .unterminatedString: return "a closing '\"' for the string that starts here"
        case .controlCharacter: return "a character other than a control character in the string (escape it)"
        case .invalidEscape: return "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX"
        case .invalidHexEscape: return "four hex digits after \\u"
        case .unpairedSurrogate(high: true): return "a low surrogate \\uDC00–\\uDFFF after a high surrogate"
        case .unpairedSurrogate(high: false): return "a high surrogate before the low surrogate"
        case .invalidUTF8: return "a string of valid UTF-8"
        case .expectedMemberName: return "a member name in double quotes"
        case .expectedColon(let key): return "':' after the member name \(JSON.string(key))"
        case .expectedCommaOrBrace: return "',' or '}' after an object member"
        case .expectedCommaOrBracket: return "',' or ']' after an array element"
        case .duplicateKey: return "each member name once in an object"
        case .trailingText: return "end of input after the JSON value"
        }
    }

    /// `expected X, found Y` (or the size message for oversized input).
    public var message: String {
        if case .tooLarge(let bytes, let limit) = kind { return "JSON input is \(bytes) bytes, more than the limit of \(limit)" }
        return "expected \(expected), found \(found)"
    }

    public var description: String { "\(message) at byte \(offset) (line \(line), column \(column))" }

    /// `ScaleError.input` at `SOURCE: byte N (line L, column C)`.
    public func scaleError(source: String) -> ScaleError {
        if case .tooLarge = kind { return .input(message, at: source, fix: "split the input or raise the limit") }
        return .input(message, at: "\(source): byte \(offset) (line \(line), column \(column))",
                      fix: "check the JSON at that position (is it the whole file?)")
    }

    /// The short wording of the topology and sample-file readers (`expected a quoted key in an
    /// object`), kept so their messages did not change when they moved onto this parser.
    public var terseMessage: String {
        switch kind {
        case .tooLarge, .leadingZero, .numberOutOfRange, .invalidUTF8: return message
        case .tooDeep(let limit): return "JSON nested deeper than \(limit) levels"
        case .expectedValue: return found == "end of input" ? "unexpected end of the JSON document" : "expected a JSON value"
        case .expectedDigit(.integer): return "expected digits in a number"
        case .expectedDigit(.fraction): return "expected digits after the decimal point"
        case .expectedDigit(.exponent): return "expected digits in the exponent"
        case .unterminatedString: return "unterminated string"
        case .controlCharacter: return "control character in a string"
        case .invalidEscape: return "invalid escape in a string"
        case .invalidHexEscape: return "invalid \\u escape in a string"
        case .unpairedSurrogate: return "invalid surrogate pair in a string"
        case .expectedMemberName: return "expected a quoted key in an object"
        case .expectedColon: return "expected ':' after a key"
        case .expectedCommaOrBrace: return "expected ',' or '}' in an object"
        case .expectedCommaOrBracket: return "expected ',' or ']' in an array"
        case .duplicateKey(let key): return "the key \"\(key)\" appears twice in one object"
        case .trailingText: return "unexpected text after the JSON value"
        }
    }

    /// `ScaleError.input` at `FILE:LINE:COLUMN` (column in characters) with `terseMessage`.
    public func terseScaleError(file: String) -> ScaleError {
        let fix: String
        switch kind {
        case .controlCharacter: fix = "escape it, e.g. \\n"
        case .tooLarge: fix = "split the input or raise the limit"
        default: fix = ""
        }
        return .input(terseMessage, at: "\(file):\(line):\(characterColumn)", fix: fix)
    }

    static func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "end of input" }
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

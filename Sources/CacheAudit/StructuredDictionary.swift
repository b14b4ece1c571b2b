import ScaleCore

/// An RFC 8941 Dictionary, the syntax of CDN-Cache-Control (RFC 9213 §2.1). Only what the
/// checks need: each member's key and the type of its value; parameters are parsed and dropped.
public struct StructuredDictionary: Sendable, Equatable {
    public enum Item: Sendable, Equatable {
        case integer(Int64)
        case decimal(Double)
        case string(String)
        case token(String)
        case bytes
        case boolean(Bool)
        case innerList(count: Int)

        var typeName: String {
            switch self {
            case .integer: return "an integer"
            case .decimal: return "a decimal"
            case .string: return "a string"
            case .token: return "a token"
            case .bytes: return "a byte sequence"
            case .boolean: return "a boolean"
            case .innerList: return "an inner list"
            }
        }
    }

    /// Members in order; a repeated key overwrites the earlier value (§4.2.2) in place.
    public var members: [(key: String, value: Item)]

    public static func == (a: StructuredDictionary, b: StructuredDictionary) -> Bool {
        a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    public func value(_ key: String) -> Item? { members.first { $0.key == key }?.value }

    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
        public var offset: Int
    }

    /// Parses the values of every line joined with commas (RFC 8941 §4.2). Any syntax error
    /// fails the whole field, as §4.2 requires.
    public static func parse(_ values: [String]) -> Result<StructuredDictionary, ParseError> {
        var parser = Parser(bytes: Array(values.joined(separator: ",").utf8))
        do throws(ParseError) {
            return .success(try parser.dictionary())
        } catch {
            return .failure(error)
        }
    }

    struct Parser {
        let bytes: [UInt8]
        var index = 0

        func error(_ message: String) -> ParseError { ParseError(message: message, offset: index) }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skip(_ set: (UInt8) -> Bool) { while let b = peek, set(b) { index += 1 } }

        mutating func dictionary() throws(ParseError) -> StructuredDictionary {
            var members: [(key: String, value: Item)] = []
            skip { $0 == 0x20 }
            if peek == nil { throw error("empty field") }
            while peek != nil {
                let key = try self.key()
                var value: Item = .boolean(true)
                if peek == 0x3D {
                    index += 1
                    value = peek == 0x28 ? try innerList() : try bareItem()
                }
                try parameters()
                if let at = members.firstIndex(where: { $0.key == key }) { members[at].value = value } else { members.append((key, value)) }
                skip { $0 == 0x20 || $0 == 0x09 }
                guard let next = peek else { break }
                guard next == 0x2C else { throw error("expected ',' between members") }
                index += 1
                skip { $0 == 0x20 || $0 == 0x09 }
                if peek == nil { throw error("trailing comma") }
            }
            return StructuredDictionary(members: members)
        }

        mutating func key() throws(ParseError) -> String {
            guard let first = peek, (first >= 0x61 && first <= 0x7A) || first == 0x2A else {
                throw error("a key must start with a lower-case letter or '*'")
            }
            let start = index
            skip { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E || $0 == 0x2A }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func parameters() throws(ParseError) {
            while peek == 0x3B {
                index += 1
                skip { $0 == 0x20 }
                _ = try key()
                if peek == 0x3D {
                    index += 1
                    _ = try bareItem()
                }
            }
        }

        mutating func innerList() throws(ParseError) -> Item {
            index += 1
            var count = 0
            while true {
                skip { $0 == 0x20 }
                guard let b = peek else { throw error("unterminated inner list") }
                if b == 0x29 {
                    index += 1
                    try parameters()
                    return .innerList(count: count)
                }
                _ = try bareItem()
                try parameters()
                count += 1
                guard let after = peek, after == 0x20 || after == 0x29 else { throw error("expected ' ' or ')' in inner list") }
            }
        }

        mutating func bareItem() throws(ParseError) -> Item {
            guard let b = peek else { throw error("missing value") }
            switch b {
            case 0x2D, 0x30...0x39: return try number()
            case 0x22: return try string()
            case 0x3A:
                index += 1
                skip { ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2F || $0 == 0x3D }
                guard peek == 0x3A else { throw error("unterminated byte sequence") }
                index += 1
                return .bytes
            case 0x3F:
                index += 1
                guard let v = peek, v == 0x30 || v == 0x31 else { throw error("a boolean is ?0 or ?1") }
                index += 1
                return .boolean(v == 0x31)
            case 0x41...0x5A, 0x61...0x7A, 0x2A:
                let start = index
                index += 1
                skip { HTTPToken.isTokenByte($0) || $0 == 0x3A || $0 == 0x2F }
                return .token(String(decoding: bytes[start..<index], as: UTF8.self))
            default:
                throw error("not a valid value")
            }
        }

        mutating func number() throws(ParseError) -> Item {
            var negative = false
            if peek == 0x2D { negative = true; index += 1 }
            let start = index
            skip { $0 >= 0x30 && $0 <= 0x39 }
            let integerDigits = index - start
            guard integerDigits > 0 else { throw error("a number needs digits") }
            if peek == 0x2E {
                guard integerDigits <= 12 else { throw error("decimal too long") }
                index += 1
                let fractionStart = index
                skip { $0 >= 0x30 && $0 <= 0x39 }
                let fraction = index - fractionStart
                guard fraction >= 1, fraction <= 3 else { throw error("a decimal has 1 to 3 fraction digits") }
                let text = String(decoding: bytes[start..<index], as: UTF8.self)
                return .decimal((negative ? -1 : 1) * (Double(text) ?? 0))
            }
            guard integerDigits <= 15 else { throw error("integer longer than 15 digits") }
            let value = Int64(String(decoding: bytes[start..<index], as: UTF8.self)) ?? 0
            return .integer(negative ? -value : value)
        }

        mutating func string() throws(ParseError) -> Item {
            index += 1
            var text: [UInt8] = []
            while let b = peek {
                index += 1
                if b == 0x5C {
                    guard let next = peek, next == 0x22 || next == 0x5C else { throw error("bad escape in string") }
                    text.append(next)
                    index += 1
                } else if b == 0x22 {
                    return .string(String(decoding: text, as: UTF8.self))
                } else if b < 0x20 || b > 0x7E {
                    throw error("string holds a non-printable byte")
                } else {
                    text.append(b)
                }
            }
            throw error("unterminated string")
        }
    }
}

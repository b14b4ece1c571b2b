/// A JSON document as `JSONParser` reads it (RFC 8259). `JSON` (JSONRenderer.swift) writes;
/// this reads. Numbers keep their literal text, so `0.9995` reaches an exact ratio reader
/// unrounded and `12345678901234567890` is not silently rounded to a Double; objects keep their
/// members in document order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    /// Members in document order. Duplicate keys are refused unless the parser was asked to
    /// keep them (`JSONParser.DuplicateKeys.keep`); lookups then take the last, as jq does.
    case object([JSONMember])

    /// Structural equality: numbers compare by their literal text, objects member by member in
    /// order. Callers that want jq-like value equality (1.0 == 1) compare `double` themselves.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The value of the last member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// What a person would call it in an error message: "a string", "an array".
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The string, when this is one.
    public var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    /// The number as a Double (always finite: the parser refuses numbers out of range).
    public var double: Double? {
        guard case .number(let number) = self else { return nil }
        return number.double
    }

    /// The number, when it was written without fraction or exponent and fits in 64 bits.
    public var int64: Int64? {
        guard case .number(let number) = self else { return nil }
        return number.int64
    }
}

/// One object member. A labelled tuple so callers can write `$0.key` or `for (k, v) in members`.
public typealias JSONMember = (key: String, value: JSONValue)

/// A JSON number as written: the literal text (RFC 8259 grammar, checked by the parser) and
/// whether it has a fraction or exponent, which is what separates Int64 from Double readings.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal exactly as in the document, e.g. `-1.5e3`.
    public let text: String
    /// True when the literal has neither fraction nor exponent (`12`, `-0`).
    public let isInteger: Bool

    /// `text` must match RFC 8259's `number` production; the parser guarantees it.
    public init(text: String) {
        self.text = text
        self.isInteger = !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The nearest Double (correctly rounded by the standard library).
    public var double: Double { Double(text) ?? .nan }

    /// The exact value for an integer literal within Int64; nil otherwise (`1.0`, `1e2`, 2^63).
    public var int64: Int64? { isInteger ? Int64(text) : nil }

    public var description: String { text }
}

/// A reply in RESP2, the Redis serialisation protocol (redis.io/docs/reference/protocol-spec).
public indirect enum RESPValue: Sendable, Equatable {
    case simple(String)
    case error(String)
    case integer(Int64)
    /// Nil is the null bulk string (`$-1`).
    case bulk([UInt8]?)
    /// Nil is the null array (`*-1`).
    case array([RESPValue]?)

    /// Text of a simple or bulk string (bulk bytes decoded as UTF-8, invalid bytes replaced).
    public var text: String? {
        switch self {
        case .simple(let s): return s
        case .bulk(let b?): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }

    /// An integer reply, or a string that holds a whole number (some replies are typed loosely).
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): return i
        case .simple, .bulk: return text.flatMap { Int64($0) }
        default: return nil
        }
    }

    public var isNull: Bool { self == .bulk(nil) || self == .array(nil) }

    public var items: [RESPValue]? {
        if case .array(let a?) = self { return a }
        return nil
    }
}

/// The bounds a reply must keep: a hostile or confused server cannot make the client allocate
/// without limit or recurse without end.
public struct RESPLimits: Sendable {
    public var maxBulkBytes: Int
    public var maxArrayCount: Int
    public var maxDepth: Int
    /// The whole reply, in bytes on the wire.
    public var maxReplyBytes: Int

    public init(maxBulkBytes: Int = 16 << 20, maxArrayCount: Int = 1_000_000, maxDepth: Int = 16, maxReplyBytes: Int = 64 << 20) {
        self.maxBulkBytes = maxBulkBytes
        self.maxArrayCount = maxArrayCount
        self.maxDepth = maxDepth
        self.maxReplyBytes = maxReplyBytes
    }
}

public enum RESPParseError: Error, Equatable, Sendable {
    case malformed(String)
    case tooLarge(String)
}

/// Parses one RESP2 reply from the start of a buffer.
public enum RESPParser {
    /// The reply and the bytes it took, or nil when the buffer holds only part of it.
    public static func parse(_ bytes: [UInt8], limits: RESPLimits = RESPLimits()) throws(RESPParseError) -> (RESPValue, Int)? {
        var index = 0
        guard let value = try value(bytes, &index, depth: 0, limits: limits) else { return nil }
        return (value, index)
    }

    /// The line from `index` to CRLF, or nil when no CRLF has arrived yet.
    static func line(_ b: [UInt8], _ index: inout Int, limit: Int) throws(RESPParseError) -> ArraySlice<UInt8>? {
        var i = index
        while i + 1 < b.count {
            if b[i] == 0x0D {
                guard b[i + 1] == 0x0A else { throw .malformed("CR without LF") }
                let slice = b[index..<i]
                index = i + 2
                return slice
            }
            if i - index > limit { throw .tooLarge("a line longer than \(limit) bytes") }
            i += 1
        }
        if b.count - index > limit { throw .tooLarge("a line longer than \(limit) bytes") }
        return nil
    }

    static func number(_ s: ArraySlice<UInt8>) throws(RESPParseError) -> Int64 {
        var negative = false
        var digits = s
        if digits.first == UInt8(ascii: "-") { negative = true; digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 19 else { throw .malformed("bad number") }
        var value: Int64 = 0
        for d in digits {
            guard d >= 0x30, d <= 0x39 else { throw .malformed("bad number") }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d - 0x30))
            guard !o1, !o2 else { throw .malformed("number out of range") }
            value = a
        }
        return negative ? -value : value
    }

    /// What a value's first line (type byte to CRLF) announces.
    enum Header {
        case simple(ArraySlice<UInt8>)
        case error(ArraySlice<UInt8>)
        case integer(Int64)
        /// A length of -1 is the null bulk string or array.
        case bulk(Int)
        case array(Int)
    }

    /// The header of the value at `index`, checked against `limits`; nil until its CRLF has
    /// arrived. `index` moves past it. The parser and `RESPFrameScanner` share it, so both
    /// refuse the same replies.
    static func header(_ b: [UInt8], _ index: inout Int, depth: Int, limits: RESPLimits) throws(RESPParseError) -> Header? {
        guard depth <= limits.maxDepth else { throw .tooLarge("replies nested deeper than \(limits.maxDepth)") }
        guard index < b.count else { return nil }
        let type = b[index]
        var i = index + 1
        guard let head = try line(b, &i, limit: 64 << 10) else { return nil }
        let header: Header
        switch type {
        case UInt8(ascii: "+"):
            header = .simple(head)
        case UInt8(ascii: "-"):
            header = .error(head)
        case UInt8(ascii: ":"):
            header = .integer(try number(head))
        case UInt8(ascii: "$"):
            let n = try number(head)
            guard n >= -1 else { throw .malformed("negative bulk length") }
            guard n <= limits.maxBulkBytes else { throw .tooLarge("a bulk string of \(n) bytes (limit \(limits.maxBulkBytes))") }
            header = .bulk(Int(n))
        case UInt8(ascii: "*"):
            let n = try number(head)
            guard n >= -1 else { throw .malformed("negative array length") }
            guard n <= limits.maxArrayCount else { throw .tooLarge("an array of \(n) items (limit \(limits.maxArrayCount))") }
            header = .array(Int(n))
        default:
            throw .malformed("unknown reply type byte \(type)")
        }
        index = i
        return header
    }

    static func value(_ b: [UInt8], _ index: inout Int, depth: Int, limits: RESPLimits) throws(RESPParseError) -> RESPValue? {
        var i = index
        guard let header = try header(b, &i, depth: depth, limits: limits) else { return nil }
        let value: RESPValue
        switch header {
        case .simple(let text): value = .simple(String(decoding: text, as: UTF8.self))
        case .error(let text): value = .error(String(decoding: text, as: UTF8.self))
        case .integer(let n): value = .integer(n)
        case .bulk(-1): value = .bulk(nil)
        case .bulk(let n):
            let end = i + n
            guard end + 2 <= b.count else { return nil }
            guard b[end] == 0x0D, b[end + 1] == 0x0A else { throw .malformed("bulk string without CRLF") }
            value = .bulk(Array(b[i..<end]))
            i = end + 2
        case .array(-1): value = .array(nil)
        case .array(let n):
            var items: [RESPValue] = []
            items.reserveCapacity(min(n, 1024))
            for _ in 0..<n {
                guard let item = try self.value(b, &i, depth: depth + 1, limits: limits) else { return nil }
                items.append(item)
            }
            value = .array(items)
        }
        index = i
        return value
    }

    /// A command as RESP: an array of bulk strings.
    public static func encode(_ arguments: [String]) -> [UInt8] {
        var out: [UInt8] = Array("*\(arguments.count)\r\n".utf8)
        for argument in arguments {
            let bytes = Array(argument.utf8)
            out += Array("$\(bytes.count)\r\n".utf8)
            out += bytes
            out += [0x0D, 0x0A]
        }
        return out
    }
}

import ScaleCore

/// One directive of a Cache-Control (or Pragma, Surrogate-Control) field as sent:
/// `token [ "=" ( token / quoted-string ) ]` (RFC 9111 §5.2).
public struct Directive: Sendable, Equatable {
    /// The name in lower case: directive names are case-insensitive.
    public var name: String
    /// The name as the sender cased it (CACHE070).
    public var rawName: String
    /// The argument with quotes removed and escapes resolved; nil when there was no `=`.
    public var argument: String?
    /// True when the argument was a quoted-string (CACHE028 for delta-seconds).
    public var quoted: Bool
    /// How the element breaks the grammar, nil when it does not; name and argument are then a
    /// lenient reading of it.
    public var malformation: Malformation?

    /// What is wrong with an element (`space around "="`) and the element as sent (`max-age = 60`).
    public struct Malformation: Sendable, Equatable {
        public var problem: String
        public var sent: String
    }

    public init(name: String, rawName: String? = nil, argument: String? = nil, quoted: Bool = false, malformation: Malformation? = nil) {
        self.name = name
        self.rawName = rawName ?? name
        self.argument = argument
        self.quoted = quoted
        self.malformation = malformation
    }

    public var wellFormed: Bool { malformation == nil }

    /// The directive as it would be written back: `max-age=60`, `private="x"`.
    public var text: String {
        guard let argument else { return rawName }
        return quoted ? "\(rawName)=\"\(argument)\"" : "\(rawName)=\(argument)"
    }
}

/// What a delta-seconds argument (RFC 9111 §1.2.2) turned out to be.
public enum DeltaSeconds: Sendable, Equatable {
    /// A valid value, clamped to 2^31 as §1.2.2 tells caches to; `clamped` says it was bigger.
    case valid(Int64, clamped: Bool)
    /// Negative, decimal, non-digits, or missing: caches should treat the response as stale.
    case invalid(String)

    public static let maximum: Int64 = 2_147_483_648

    public static func parse(_ argument: String?) -> DeltaSeconds {
        guard let argument, !argument.isEmpty else { return .invalid("no value") }
        guard argument.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            if argument.hasPrefix("-") { return .invalid("negative") }
            if argument.contains(".") { return .invalid("decimal") }
            return .invalid("not a number")
        }
        // Leading zeros and huge values are fine: anything past 2^31 is 2^31.
        let significant = argument.drop { $0 == "0" }
        if significant.count > 10 { return .valid(maximum, clamped: true) }
        let value = Int64(significant) ?? 0
        return value > maximum ? .valid(maximum, clamped: true) : .valid(value, clamped: false)
    }

    public var seconds: Int64? {
        if case .valid(let value, _) = self { return value }
        return nil
    }
}

/// A parsed Cache-Control field: every line of it joined as one list, in order, duplicates kept.
public struct CacheControl: Sendable, Equatable {
    public var directives: [Directive]

    public init(directives: [Directive] = []) { self.directives = directives }

    /// Parses the values of every `Cache-Control` line, in order (a list split over lines is one list).
    public static func parse(_ values: [String]) -> CacheControl {
        CacheControl(directives: values.flatMap(parseList))
    }

    public static func parse(_ value: String) -> CacheControl { parse([value]) }

    public var isEmpty: Bool { directives.isEmpty }

    /// The first occurrence of a directive (caches use the first when it repeats, §4.2.1).
    public func first(_ name: String) -> Directive? { directives.first { $0.name == name } }

    public func has(_ name: String) -> Bool { first(name) != nil }

    /// Delta-seconds of the first occurrence, nil when absent.
    public func delta(_ name: String) -> DeltaSeconds? {
        first(name).map { DeltaSeconds.parse($0.argument) }
    }

    /// Seconds of a valid first occurrence, nil when absent; an invalid value counts as 0
    /// (§4.2.1: responses with invalid freshness information are treated as stale).
    public func seconds(_ name: String) -> Int64? {
        guard let delta = delta(name) else { return nil }
        return delta.seconds ?? 0
    }

    /// Splits `a, b=1, c="x, y"` into elements; commas inside quoted strings do not split.
    static func parseList(_ value: String) -> [Directive] {
        let bytes = Array(value.utf8)
        var result: [Directive] = []
        var index = 0
        while index < bytes.count {
            // Skip OWS and empty list elements.
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x2C { index += 1 }
            guard index < bytes.count else { break }
            // The first way the element breaks `token [ "=" ( token / quoted-string ) ]` (§5.2).
            var problem: String?
            func note(_ text: String) { if problem == nil { problem = text } }
            let nameStart = index
            while index < bytes.count, bytes[index] != 0x3D, bytes[index] != 0x2C { index += 1 }
            let untrimmedName = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            let rawName = untrimmedName.trimmingOWS
            if rawName.isEmpty || !rawName.utf8.allSatisfy(HTTPToken.isTokenByte) { note("the name is not a token") }
            var argument: String?
            var quoted = false
            if index < bytes.count, bytes[index] == 0x3D {
                // The grammar has no whitespace around "="; lenient parsers skip it, strict ones do not.
                if untrimmedName != rawName { note("space around \"=\"") }
                index += 1
                if index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { note("space around \"=\"") }
                while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
                if index < bytes.count, bytes[index] == 0x22 {
                    quoted = true
                    index += 1
                    var text: [UInt8] = []
                    var closed = false
                    while index < bytes.count {
                        let byte = bytes[index]
                        if byte == 0x5C, index + 1 < bytes.count {
                            text.append(bytes[index + 1])
                            index += 2
                            continue
                        }
                        index += 1
                        if byte == 0x22 { closed = true; break }
                        text.append(byte)
                    }
                    if !closed { note("the quoted-string is not closed") }
                    argument = String(decoding: text, as: UTF8.self)
                    // Anything but OWS between the closing quote and the next comma is junk.
                    while index < bytes.count, bytes[index] != 0x2C {
                        if bytes[index] != 0x20, bytes[index] != 0x09 { note("text after the closing quote") }
                        index += 1
                    }
                } else {
                    let start = index
                    while index < bytes.count, bytes[index] != 0x2C { index += 1 }
                    let token = String(decoding: bytes[start..<index], as: UTF8.self).trimmingOWS
                    if !token.utf8.allSatisfy(HTTPToken.isTokenByte) { note("the argument is not a token or quoted-string") }
                    argument = token
                }
            }
            let sent = String(decoding: bytes[nameStart..<index], as: UTF8.self).trimmingOWS
            result.append(Directive(name: rawName.asciiLowercased, rawName: rawName, argument: argument,
                                    quoted: quoted, malformation: problem.map { Directive.Malformation(problem: $0, sent: sent) }))
        }
        return result
    }

}

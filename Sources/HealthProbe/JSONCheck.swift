public import ScaleCore

/// `--expect-json '.status == "UP"'`: one comparison of one field of a JSON body, in a small
/// subset of jq's syntax with jq's meaning, so a check can be tried out with `jq -e` first.
///
/// - A path: `.` then keys and indexes: `.status`, `.checks.db.status`, `."key-with-dash"`,
///   `.items[0]`, `.items[-1]` (from the end).
/// - An operator: `==`, `!=`, `<`, `<=`, `>`, `>=`.
/// - A JSON literal: `"UP"`, `200`, `0.5`, `true`, `false`, `null` (arrays and objects for
///   `==` and `!=` only).
///
/// As in jq, a missing key or index is `null`, indexing a string or number is an error, and
/// `<` / `>` order values of different types as null < false < true < numbers < strings <
/// arrays < objects; strings compare by code point.
public struct JSONCheck: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public enum Operator: String, Sendable, CaseIterable {
        // Two-character operators first, so `<=` is not read as `<`.
        case equal = "==", notEqual = "!=", lessOrEqual = "<=", greaterOrEqual = ">=", less = "<", greater = ">"
    }

    public let path: [Step]
    public let op: Operator
    public let literal: JSONValue
    public let description: String

    static let fix = #"write PATH OP VALUE, e.g. '.status == "UP"' or '.checks.db.latency_ms < 250' (OP: == != < <= > >=)"#

    public init(parsing text: String) throws(ScaleError) {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func skipSpaces() { while i < scalars.count, scalars[i] == " " || scalars[i] == "\t" { i += 1 } }
        skipSpaces()
        guard i < scalars.count, scalars[i] == "." else {
            throw .usage("'\(text)' does not start with a path such as .status", fix: Self.fix)
        }
        var steps: [Step] = []
        i += 1
        while i < scalars.count {
            let c = scalars[i]
            if c == "\"" {
                // ."quoted key": the key is a JSON string.
                let start = i
                i += 1
                while i < scalars.count, scalars[i] != "\"" { i += scalars[i] == "\\" ? 2 : 1 }
                guard i < scalars.count else { throw .usage("'\(text)' has an unterminated quoted key", fix: Self.fix) }
                i += 1
                let quoted = String(String.UnicodeScalarView(scalars[start..<i]))
                guard case .string(let key)? = try? ProbeJSON.parse(Array(quoted.utf8)) else {
                    throw .usage("'\(text)' has an invalid quoted key \(quoted)", fix: Self.fix)
                }
                steps.append(.key(key))
            } else if c.isIdentifierStart {
                let start = i
                while i < scalars.count, scalars[i].isIdentifierStart || (scalars[i].value >= 0x30 && scalars[i].value <= 0x39) { i += 1 }
                steps.append(.key(String(String.UnicodeScalarView(scalars[start..<i]))))
            } else if c == "[" {
                let start = i + 1
                guard let close = scalars[start...].firstIndex(of: "]"),
                      let number = Int(String(String.UnicodeScalarView(scalars[start..<close])).trimmingSpaces) else {
                    throw .usage("'\(text)' has an index that is not [N]", fix: Self.fix)
                }
                steps.append(.index(number))
                i = close + 1
            } else {
                break
            }
            // After a step: another '.', a '[', or the end of the path.
            if i < scalars.count, scalars[i] == "." {
                i += 1
                guard i < scalars.count, scalars[i] == "\"" || scalars[i].isIdentifierStart else {
                    throw .usage("'\(text)' has a '.' not followed by a key", fix: Self.fix)
                }
            } else if i < scalars.count, scalars[i] != "[" {
                break
            }
        }
        skipSpaces()
        let rest = String(String.UnicodeScalarView(scalars[i...]))
        guard let op = Operator.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else {
            throw .usage("'\(text)' has no comparison", fix: Self.fix)
        }
        let literalText = String(rest.dropFirst(op.rawValue.count)).trimmingSpaces
        guard let literal = try? ProbeJSON.parse(Array(literalText.utf8)) else {
            throw .usage("'\(literalText)' in '\(text)' is not a JSON value", fix: Self.fix + #"; strings need double quotes"#)
        }
        if op != .equal && op != .notEqual {
            switch literal {
            case .array, .object: throw .usage("'\(text)' orders by an array or object", fix: "compare a number or a string with < and >")
            default: break
            }
        }
        path = steps
        self.op = op
        self.literal = literal
        description = text.trimmingSpaces
    }

    /// The path as jq would print it (`.checks.db.status`, `.items[0]`).
    public var pathText: String {
        if path.isEmpty { return "." }
        return path.map { step -> String in
            switch step {
            case .key(let key):
                let plain = !key.isEmpty && key.unicodeScalars.first!.isIdentifierStart
                    && key.unicodeScalars.allSatisfy { $0.isIdentifierStart || ($0.value >= 0x30 && $0.value <= 0x39) }
                return plain ? "." + key : "." + ProbeJSON.quoted(key)
            case .index(let n): return "[\(n)]"
            }
        }.joined()
    }

    /// nil when the check passes, else why not, in words for a `reason` column.
    public func failure(body: [UInt8]) -> String? {
        let document: JSONValue
        do { document = try ProbeJSON.parse(body) } catch { return "body is not JSON (\(error))" }
        let value: JSONValue
        switch Self.lookup(path, in: document) {
        case .success(let found): value = found
        case .failure(let problem): return "json \(pathText): \(problem.text)"
        }
        if Self.compare(value, op, literal) { return nil }
        var shown = ProbeJSON.text(value)
        if shown.unicodeScalars.count > 40 { shown = String(String.UnicodeScalarView(shown.unicodeScalars.prefix(39))) + "…" }
        return "json \(description) is false (\(pathText) is \(shown))"
    }

    struct LookupProblem: Error { var text: String }

    static func lookup(_ path: [Step], in document: JSONValue) -> Result<JSONValue, LookupProblem> {
        var current = document
        for step in path {
            switch (step, current) {
            case (_, .null):
                current = .null
            case let (.key(key), .object):
                current = current[key] ?? .null
            case let (.index(n), .array(items)):
                let position = n < 0 ? items.count + n : n
                current = items.indices.contains(position) ? items[position] : .null
            case let (.key(key), other):
                return .failure(LookupProblem(text: "cannot index \(typeName(other)) with \(ProbeJSON.quoted(key))"))
            case let (.index, other):
                return .failure(LookupProblem(text: "cannot index \(typeName(other)) with a number"))
            }
        }
        return .success(current)
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    static func compare(_ value: JSONValue, _ op: Operator, _ literal: JSONValue) -> Bool {
        switch op {
        case .equal: return ProbeJSON.equal(value, literal)
        case .notEqual: return !ProbeJSON.equal(value, literal)
        case .less: return order(value, literal) < 0
        case .lessOrEqual: return order(value, literal) <= 0
        case .greater: return order(value, literal) > 0
        case .greaterOrEqual: return order(value, literal) >= 0
        }
    }

    /// jq's total order for a value against a scalar: by type rank, then within the type.
    static func order(_ a: JSONValue, _ b: JSONValue) -> Int {
        func rank(_ v: JSONValue) -> Int {
            switch v {
            case .null: return 0
            case .bool(let x): return x ? 2 : 1
            case .number: return 3
            case .string: return 4
            case .array: return 5
            case .object: return 6
            }
        }
        let (ra, rb) = (rank(a), rank(b))
        if ra != rb { return ra < rb ? -1 : 1 }
        switch (a, b) {
        case let (.number(x), .number(y)): return x.double < y.double ? -1 : (x.double > y.double ? 1 : 0)
        case let (.string(x), .string(y)):
            if x == y { return 0 }
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : 1
        default: return 0
        }
    }
}

extension Unicode.Scalar {
    /// jq's field names: `[a-zA-Z_][a-zA-Z_0-9]*`.
    var isIdentifierStart: Bool {
        (value >= 0x41 && value <= 0x5A) || (value >= 0x61 && value <= 0x7A) || value == 0x5F
    }
}

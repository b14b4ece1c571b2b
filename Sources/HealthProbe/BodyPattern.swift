public import ScaleCore

/// `--expect-body` / `--fail-if-body`: a regular expression searched anywhere in the body
/// (the first `--max-body` bytes of it), read as UTF-8 with invalid bytes replaced.
/// The syntax is Swift's `Regex` (PCRE-like: `\d`, `\w`, `(?i)` for case-insensitive, `^`/`$`
/// anchor at the body's start and end unless `(?m)`).
public struct BodyPattern: Sendable, CustomStringConvertible {
    public let description: String
    // The pattern is compiled again where it is used: a compiled Regex is not Sendable, and
    // compiling costs microseconds against a probe's milliseconds.
    private let pattern: String

    public init(parsing pattern: String) throws(ScaleError) {
        do {
            _ = try Regex(pattern)
        } catch {
            throw .usage("'\(pattern)' is not a regular expression: \(error)",
                         fix: "write a Swift Regex (PCRE-like) pattern; escape literal . ( ) [ ] with a backslash")
        }
        self.pattern = pattern
        description = pattern
    }

    /// A compiled form for matching many bodies.
    public func matcher() -> Matcher { Matcher(regex: try! Regex(pattern)) }

    public struct Matcher {
        let regex: Regex<AnyRegexOutput>

        public func matches(_ body: [UInt8]) -> Bool {
            String(decoding: body, as: UTF8.self).contains(regex)
        }
    }
}

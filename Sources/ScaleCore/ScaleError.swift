/// The one error type scalectl reports. Its message says what went wrong, where (a file and
/// line, a flag, a URL) and how to fix it, so `scalectl: error: …` is always actionable.
public struct ScaleError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Bad flags or arguments: exit 64, nothing was attempted.
        case usage
        /// Input that could not be read or parsed: exit 3 (UNKNOWN).
        case input
        /// The target failed (refused, DNS, timeout, TLS): exit 2 (CRITICAL).
        case target
        /// A bug or an impossible state: exit 3 (UNKNOWN).
        case `internal`
    }

    public var kind: Kind
    /// What went wrong, as a sentence fragment without a trailing period.
    public var what: String
    /// Where: `file:line`, `--flag`, a URL. Empty when there is no better place to name.
    public var location: String
    /// How to fix it; empty when there is nothing useful to suggest.
    public var fix: String

    public init(_ kind: Kind, _ what: String, at location: String = "", fix: String = "") {
        self.kind = kind
        self.what = what
        self.location = location
        self.fix = fix
    }

    public static func usage(_ what: String, at location: String = "", fix: String = "") -> ScaleError {
        ScaleError(.usage, what, at: location, fix: fix)
    }

    public static func input(_ what: String, at location: String = "", fix: String = "") -> ScaleError {
        ScaleError(.input, what, at: location, fix: fix)
    }

    /// The exit status this error ends the process with.
    public var exitCode: ExitCode {
        switch kind {
        case .usage: return .usage
        case .input, .internal: return .unknown
        case .target: return .critical
        }
    }

    /// `location: what; fix` — the text after `scalectl: error: `.
    public var description: String {
        var text = location.isEmpty ? what : "\(location): \(what)"
        if !fix.isEmpty { text += "; \(fix)" }
        return text
    }

    /// The same error placed at a location, when the parser that raised it did not know where it was.
    public func at(_ location: String) -> ScaleError {
        var copy = self
        copy.location = location
        return copy
    }
}

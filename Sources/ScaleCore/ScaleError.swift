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
    /// The library input the error is about, named before `location` once `naming` has said
    /// how it reads (the CLI: as its flag). `what` and `fix` may interpolate parameters too.
    public var parameter: Parameter?

    public init(_ kind: Kind, _ what: String, at location: String = "", about parameter: Parameter? = nil, fix: String = "") {
        self.kind = kind
        self.what = what
        self.location = location
        self.parameter = parameter
        self.fix = fix
    }

    public static func usage(_ what: String, at location: String = "", about parameter: Parameter? = nil, fix: String = "") -> ScaleError {
        ScaleError(.usage, what, at: location, about: parameter, fix: fix)
    }

    public static func input(_ what: String, at location: String = "", about parameter: Parameter? = nil, fix: String = "") -> ScaleError {
        ScaleError(.input, what, at: location, about: parameter, fix: fix)
    }

    /// The error with its parameters written out: the one it is about joins the location
    /// (`--racks line 3`), interpolated ones are replaced in `what` and `fix`.
    public func naming(_ name: (Parameter) -> String) -> ScaleError {
        var copy = self
        if let parameter {
            copy.location = location.isEmpty ? name(parameter) : "\(name(parameter)) \(location)"
            copy.parameter = nil
        }
        copy.what = Parameter.resolve(what, name)
        copy.fix = Parameter.resolve(fix, name)
        return copy
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
    /// Parameters read as their names; the CLI names them as flags first.
    public var description: String {
        let named = naming(\.name)
        var text = named.location.isEmpty ? named.what : "\(named.location): \(named.what)"
        if !named.fix.isEmpty { text += "; \(named.fix)" }
        return text
    }

    /// The same error placed at a location, when the parser that raised it did not know where it was.
    public func at(_ location: String) -> ScaleError {
        var copy = self
        copy.location = location
        return copy
    }
}

/// A named input of a library computation: an SLO, a window, a broker list. Libraries know no
/// flag names; an error says which parameter it is about (`ScaleError.parameter`) and names
/// parameters in its text by interpolating them, and whoever shows the error chooses how a
/// parameter reads — the CLI as the flag that sets it (`--slo`), anything else as its name.
public struct Parameter: Hashable, Sendable, CustomStringConvertible {
    /// Lower-case words joined by `-`, in the library's own terms.
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    /// The marker an interpolated parameter leaves in an error's text; `ScaleError.naming`
    /// replaces it. Control characters, so no text a user wrote can forge one.
    public var description: String { "\(Self.open)\(name)\(Self.close)" }

    static let open: Character = "\u{2}"
    static let close: Character = "\u{3}"

    /// `text` with every parameter marker replaced by `name(parameter)`: for notes that name
    /// parameters the way errors do.
    public static func resolve(_ text: String, _ name: (Parameter) -> String) -> String {
        guard text.contains(open) else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.firstIndex(of: open), let end = rest[start...].firstIndex(of: close) {
            result += rest[..<start]
            result += name(Parameter(String(rest[rest.index(after: start)..<end])))
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

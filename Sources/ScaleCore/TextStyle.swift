/// ANSI SGR decoration, applied only when colour is on (a terminal, `--color always`, and no
/// `NO_COLOR`); with colour off every function returns its input unchanged.
public struct TextStyle: Sendable {
    public var enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }

    public func bold(_ text: String) -> String { sgr("1", text) }
    public func dim(_ text: String) -> String { sgr("2", text) }
    public func red(_ text: String) -> String { sgr("31", text) }
    public func green(_ text: String) -> String { sgr("32", text) }
    public func yellow(_ text: String) -> String { sgr("33", text) }
    public func magenta(_ text: String) -> String { sgr("35", text) }

    /// Status words coloured by severity, as monitoring dashboards show them.
    public func status(_ text: String) -> String {
        switch text.uppercased() {
        case "OK", "PASS", "UP", "HIT": return green(text)
        case "WARNING", "WARN", "GROWING": return yellow(text)
        case "CRITICAL", "FAIL", "ERROR", "DOWN": return red(text)
        case "UNKNOWN": return magenta(text)
        default: return text
        }
    }

    private func sgr(_ code: String, _ text: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

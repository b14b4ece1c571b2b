/// One header field, kept as it travelled: name with its original case, value without the
/// surrounding whitespace. Lists of these keep order and duplicates (`Set-Cookie` may repeat),
/// which a dictionary would lose.
public struct HTTPHeader: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Header names whose values are credentials and must never be printed.
    static let secretNames: Set<String> = ["authorization", "proxy-authorization", "cookie", "set-cookie"]

    /// True for `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie`, in any case.
    public var isSecret: Bool { HTTPHeader.secretNames.contains(name.lowercased()) }

    /// `Name: value`, with the value of a secret header replaced by `***`.
    public var description: String { "\(name): \(isSecret ? "***" : value)" }
}

extension Array where Element == HTTPHeader {
    /// Every value of the header `name`, compared case-insensitively (RFC 9110 §5.1), in the
    /// order received.
    public func values(for name: String) -> [String] {
        let wanted = name.lowercased()
        return compactMap { $0.name.lowercased() == wanted ? $0.value : nil }
    }
}

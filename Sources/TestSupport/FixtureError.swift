/// Why a fixture could not start, in words that say what to install or look at.
public struct FixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// The repository's root directory, found from this source file's path, so tests can read
/// committed files (man page, completions, sample inputs) wherever `swift test` runs.
public enum RepositoryRoot {
    public static let path: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        // …/Sources/TestSupport/RepositoryRoot.swift → …
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    public static func file(_ relative: String) -> String { path + "/" + relative }
}

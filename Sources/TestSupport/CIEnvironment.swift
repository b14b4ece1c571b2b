import Glibc

/// Under `CI=true` a test that needs a missing tool or server fails loudly instead of skipping.
public enum CIEnvironment {
    public static let isCI: Bool = {
        guard let value = getenv("CI") else { return false }
        let text = String(cString: value).lowercased()
        return text == "true" || text == "1" || text == "yes"
    }()
}

import Glibc

/// Under `CI=true` a test that needs a missing tool or server fails loudly instead of skipping.
public enum CIEnvironment {
    public static let isCI: Bool = {
        guard let text = variable("CI")?.lowercased() else { return false }
        return text == "true" || text == "1" || text == "yes"
    }()

    public static func variable(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

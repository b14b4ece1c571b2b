public import Testing
import Glibc

/// The house rule for tests that need a real server: skipped, with a message, where the server
/// is not installed — but under `CI=true` the test runs anyway and its fixture fails loudly,
/// so a CI machine missing a package cannot pass silently.
public enum ServerRequirement {
    /// True when the environment says `CI=true` (or `1`).
    public static var isCI: Bool {
        guard let value = getenv("CI") else { return false }
        return ["true", "1"].contains(String(cString: value).lowercased())
    }

    public static func isInstalled(_ executable: String) -> Bool {
        access(executable, X_OK) == 0
    }

    /// Throws the loud failure when `executable` is missing.
    static func check(_ executable: String, package: String) throws {
        guard isInstalled(executable) else {
            throw FixtureError("\(executable) is missing: install the Debian package \(package)"
                + (isCI ? " (CI=true requires every server the tests use)" : ""))
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Enables a test when `executable` is installed, or always under `CI=true`.
    public static func requires(_ executable: String, package: String) -> Self {
        .enabled(if: ServerRequirement.isInstalled(executable) || ServerRequirement.isCI,
                 Comment(rawValue: "\(executable) is not installed (Debian package \(package)); skipped — under CI=true this fails"))
    }
}

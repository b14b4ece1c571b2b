import FoundationEssentials
import Glibc

/// A directory of its own under /tmp for one fixture. World-readable (755) because nginx,
/// started as root, serves files from worker processes running as an unprivileged user.
public final class TemporaryDirectory: Sendable {
    public let path: String

    public init(prefix: String) throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp: \(String(cString: strerror(errno)))") }
        path = String(cString: made)
        chmod(path, 0o755)
    }

    /// Creates `name` (and its parent directories, 755) with `bytes`, mode 644.
    public func write(_ name: String, _ bytes: [UInt8]) throws {
        let full = "\(path)/\(name)"
        var parent = ""
        for component in name.split(separator: "/").dropLast() {
            parent += "/\(component)"
            mkdir(path + parent, 0o755)
            chmod(path + parent, 0o755)
        }
        let fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FixtureError("cannot create \(full): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        fchmod(fd, 0o644)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw FixtureError("short write to \(full)") }
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

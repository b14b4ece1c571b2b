import Glibc

/// A temporary directory for a test's generated files (C helpers, key lists), removed after.
final class ScratchDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/scalectl-ring-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ScratchError("mkdtemp failed") }
        path = String(cString: made)
    }

    func write(_ name: String, _ text: String) throws {
        guard let file = fopen(path + "/" + name, "wb") else { throw ScratchError("cannot create \(name)") }
        defer { fclose(file) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw ScratchError("short write to \(name)") }
    }

    func remove() {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink(path + "/" + name) }
            }
            closedir(dir)
        }
        rmdir(path)
    }
}

struct ScratchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

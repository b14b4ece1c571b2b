import Glibc

/// Reads a whole file, or nil when it cannot be opened (test helper; the product reads files
/// through its own bounded readers).
public func readBinaryFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

/// Reads a whole file as UTF-8 text, or nil when it cannot be opened.
public func readTextFile(_ path: String) -> String? {
    readBinaryFile(path).map { String(decoding: $0, as: UTF8.self) }
}

/// Writes `text` to `path`, replacing it (the doc transcripts' regeneration).
public func writeTextFile(_ path: String, _ text: String) throws {
    guard let file = fopen(path, "wb") else { throw FixtureError("cannot write \(path): \(String(cString: strerror(errno)))") }
    defer { fclose(file) }
    let bytes = Array(text.utf8)
    guard fwrite(bytes, 1, bytes.count, file) == bytes.count else { throw FixtureError("cannot write \(path)") }
}

import Glibc
import ScaleCore

/// Whole-file reads of user inputs with a size bound: `-` is standard input, anything else a
/// path. Errors name the path and say what to do.
enum InputFile {
    /// 64 MiB: a 200,000-partition assignment is about 20 MB of JSON, and the parsed tree of a
    /// JSON document takes several times its size in memory.
    static let defaultLimit = 64 << 20

    static func read(_ path: String, console: any Console, limit: Int = defaultLimit) throws(ScaleError) -> [UInt8] {
        if path == "-" { return try console.readStandardInput(limit: limit) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw .input("cannot open: \(reason)", at: path, fix: errno == ENOENT ? "check the path" : "")
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw .input("is a directory", at: path, fix: "give a file")
        }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .input("cannot read: \(String(cString: strerror(errno)))", at: path)
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
            if data.count > limit {
                throw .input("is larger than \(SizeUnits.human(Double(limit)))", at: path, fix: "split the input")
            }
        }
    }

    /// An option value that is either inline text or `@FILE` (as curl's `-d @file`).
    static func inlineOrFile(_ value: String, option: String, console: any Console) throws(ScaleError) -> String {
        guard value.hasPrefix("@") else { return value }
        let path = String(value.dropFirst())
        guard !path.isEmpty else { throw .usage("'@' needs a file name", at: "--\(option)", fix: "write --\(option) @FILE") }
        let bytes = try read(path, console: console, limit: 16 << 20)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .input("is not UTF-8 text", at: path)
        }
        // A file always goes through the line-based reader, even with a single line.
        return text.contains("\n") ? text : text + "\n"
    }
}

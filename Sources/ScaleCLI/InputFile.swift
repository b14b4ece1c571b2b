import Glibc
import ScaleCore

/// Reads a whole input file with a size bound, for commands that take a list or a
/// configuration from a file: errors name the path and say what would fix it.
enum InputFile {
    static func read(_ path: String, limit: Int) throws(ScaleError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .input("cannot open: \(String(cString: strerror(errno)))", at: path, fix: "check the path and its permissions")
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
                throw .input("is larger than \(SizeUnits.human(Double(limit)))", at: path, fix: "split it into smaller files")
            }
        }
    }
}

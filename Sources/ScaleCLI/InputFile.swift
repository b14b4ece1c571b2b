import Glibc
import ScaleCore

/// Reads a whole input file (or standard input for `-`) with a size bound, for commands that
/// take a small structured file such as a topology. Big inputs (logs) need a streaming reader.
enum InputFile {
    static func read(_ path: String, option: String, limit: Int, console: any Console) throws(ScaleError) -> [UInt8] {
        if path == "-" { return try console.readStandardInput(limit: limit) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .input("cannot open \(path): \(String(cString: strerror(errno)))", at: option, fix: "check the path")
        }
        defer { close(fd) }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .input("cannot read \(path): \(String(cString: strerror(errno)))", at: option)
            }
            if n == 0 { return data }
            data.append(contentsOf: chunk[0..<n])
            if data.count > limit {
                throw .input("\(path) is larger than \(SizeUnits.human(Double(limit)))", at: option,
                             fix: "check the path; this input is expected to be small")
            }
        }
    }
}

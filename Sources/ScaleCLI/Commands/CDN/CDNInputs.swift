import CDNLogs
import Glibc
import ScaleCore

/// Where `scalectl cdn` reads from: files, globs, `-` for standard input; gzip inflated
/// in-process, zstd through `zstd -dc` when installed, partial files (`.scp`) recognised by
/// their first bytes. Every read is a bounded block; nothing is read whole except partial files.
enum CDNInputs {
    enum Item {
        case log(LogInput)
        case partial(name: String, bytes: [UInt8])
    }

    /// Partial files are read whole; this bounds what one may cost.
    static let partialLimit = 1 << 31

    /// Expands globs the shell left alone (quoted, or too many files for argv).
    static func expand(_ arguments: [String]) throws(ScaleError) -> [String] {
        var out: [String] = []
        for argument in arguments {
            if argument == "-" || access(argument, F_OK) == 0 || !argument.contains(where: { "*?[".contains($0) }) {
                out.append(argument)
                continue
            }
            var result = glob_t()
            defer { globfree(&result) }
            guard glob(argument, 0, nil, &result) == 0, result.gl_pathc > 0 else {
                throw .input("no file matches", at: argument, fix: "check the pattern")
            }
            for i in 0..<Int(result.gl_pathc) {
                if let path = result.gl_pathv[i] { out.append(String(cString: path)) }
            }
        }
        return out
    }

    /// Opens each input far enough to know what it is. Log files are reopened lazily by the
    /// analyzer, one at a time; a stream (standard input, a pipe, a FIFO, `<(zcat x.gz)`) can be
    /// read only once, so it is sniffed through the same descriptor and its first bytes replayed.
    static func classify(_ paths: [String], console: any Console, progress: ProgressMeter) throws(ScaleError) -> [Item] {
        var items: [Item] = []
        var stdinUsed = false
        for path in paths {
            if path == "-" {
                guard !stdinUsed else { throw .usage("standard input (-) is given twice", at: "-") }
                stdinUsed = true
                items.append(try stream("-", PeekedSource(ConsoleSource(console, progress: progress), count: sniffBytes)))
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else {
                throw .input("cannot open: \(String(cString: strerror(errno)))", at: path, fix: "check the path")
            }
            guard (info.st_mode & S_IFMT) != S_IFDIR else {
                throw .input("is a directory", at: path, fix: "give the log files inside it, e.g. '\(path)/*.log'")
            }
            guard (info.st_mode & S_IFMT) == S_IFREG else {
                items.append(try stream(path, PeekedSource(FileSource(path: path, progress: progress), count: sniffBytes)))
                continue
            }
            let head = try peek(path)
            if PartialFile.isPartial(head) {
                items.append(.partial(name: path, bytes: try readWhole(path)))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFREG { progress.expect(UInt64(info.st_size)) }
            items.append(.log(fileInput(path, head: head, progress: progress)))
        }
        return items
    }

    /// Enough of the start of an input to tell a partial file, gzip and zstd apart.
    static let sniffBytes = 32

    private static func peek(_ path: String) throws(ScaleError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .input("cannot open: \(String(cString: strerror(errno)))", at: path, fix: "check the path and its permissions") }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: sniffBytes)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return Array(head.prefix(max(0, n)))
    }

    /// A stream already open, its first bytes peeked: a partial file read whole, or a log.
    private static func stream(_ name: String, _ peeked: PeekedSource) throws(ScaleError) -> Item {
        if PartialFile.isPartial(peeked.head) { return .partial(name: name, bytes: try readWhole(peeked, name: name)) }
        return .log(LogInput(name: name) { () throws(ScaleError) -> any LogByteSource in
            if GzipSource.isGzip(peeked.head) { return try GzipSource(peeked, name: name) }
            if isZstd(peeked.head) {
                throw .input("zstd-compressed \(name == "-" ? "standard input" : "stream") is not read directly", at: name,
                             fix: "pipe it through 'zstd -dc' first, or give the file")
            }
            return peeked
        })
    }

    private static func readWhole(_ path: String) throws(ScaleError) -> [UInt8] {
        try readWhole(try FileSource(path: path, progress: nil), name: path)
    }

    private static func readWhole(_ source: any LogByteSource, name path: String) throws(ScaleError) -> [UInt8] {
        var out: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 1)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { return out }
            out += chunk.prefix(n)
            if out.count > partialLimit {
                throw .input("the partial file is larger than \(SizeUnits.human(Double(partialLimit)))", at: path)
            }
        }
    }

    static func fileInput(_ path: String, head: [UInt8], progress: ProgressMeter) -> LogInput {
        LogInput(name: path) { () throws(ScaleError) -> any LogByteSource in
            if isZstd(head) {
                return try ZstdSource(path: path, progress: progress)
            }
            let file = try FileSource(path: path, progress: progress)
            return GzipSource.isGzip(head) ? try GzipSource(file, name: path) : file
        }
    }

    static func isZstd(_ head: [UInt8]) -> Bool {
        head.count >= 4 && head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD
    }

}

/// A file read with read(2) in the analyzer's blocks.
final class FileSource: LogByteSource {
    private let fd: Int32
    private let name: String
    private let progress: ProgressMeter?

    init(path: String, progress: ProgressMeter?) throws(ScaleError) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .input("cannot open: \(String(cString: strerror(errno)))", at: path, fix: "check the path and its permissions") }
        name = path
        self.progress = progress
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
    }

    deinit { close(fd) }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        guard let n = readRetryingSignals(fd, into: buffer) else {
            throw .input("cannot read: \(String(cString: strerror(errno)))", at: name)
        }
        progress?.advance(UInt64(n))
        return n
    }
}

/// Standard input, read through the console (fd 0 for real; its buffer in tests).
final class ConsoleSource: LogByteSource {
    private let console: any Console
    private let progress: ProgressMeter

    init(_ console: any Console, progress: ProgressMeter) {
        self.console = console
        self.progress = progress
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        let n = try console.readStandardInput(into: buffer)
        progress.advance(UInt64(n))
        return n
    }
}

/// Reads the first bytes of a stream to look at them, then hands them out first.
final class PeekedSource: LogByteSource {
    private let inner: any LogByteSource
    let head: [UInt8]
    private var offset = 0

    init(_ inner: any LogByteSource, count: Int) throws(ScaleError) {
        self.inner = inner
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 1)
        defer { bytes.deallocate() }
        var filled = 0
        while filled < count {
            let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[filled...]))
            if n == 0 { break }
            filled += n
        }
        head = Array(bytes.prefix(filled))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        if offset < head.count {
            let n = min(buffer.count, head.count - offset)
            head.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
            offset += n
            return n
        }
        return try inner.read(into: buffer)
    }
}

/// `zstd -dcq FILE` in a child process, read through a pipe. The child is waited for, and a
/// failure (a damaged file) is reported with zstd's own message.
final class ZstdSource: LogByteSource {
    private let pid: pid_t
    private let fd: Int32
    private let errorPath: String
    private let name: String
    private var reaped = false
    private let progress: ProgressMeter

    static func executable() -> String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") where access("\(dir)/zstd", X_OK) == 0 { return "\(dir)/zstd" }
        return nil
    }

    init(path: String, progress: ProgressMeter) throws(ScaleError) {
        guard let zstd = Self.executable() else {
            throw .input("is zstd-compressed and the zstd command is not installed", at: path, fix: "install it (apt-get install zstd), or decompress the file first")
        }
        name = path
        self.progress = progress
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw .input("cannot make a pipe: \(String(cString: strerror(errno)))", at: path) }
        var template = Array("/tmp/scalectl-zstd-XXXXXX".utf8CString)
        let errorFD = mkstemp(&template)
        // The string is made inside the closure: the buffer's pointer is valid only there.
        errorPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        if errorFD >= 0 { posix_spawn_file_actions_adddup2(&actions, errorFD, 2) }
        posix_spawn_file_actions_addclose(&actions, pipeFDs[0])
        let words: [String] = [zstd, "-dcq", "--", path]
        let argv = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawn(&child, zstd, &actions, nil, argv, environ)
        close(pipeFDs[1])
        if errorFD >= 0 { close(errorFD) }
        guard status == 0 else {
            close(pipeFDs[0])
            unlink(errorPath)
            throw .input("cannot run zstd: \(String(cString: strerror(status)))", at: path)
        }
        pid = child
        fd = pipeFDs[0]
        // Progress follows the compressed file: count it as read once zstd has it.
        var info = stat()
        if stat(path, &info) == 0 { progress.expect(0) }
    }

    deinit {
        close(fd)
        if !reaped { kill(pid, SIGTERM); var s: Int32 = 0; waitpid(pid, &s, 0) }
        unlink(errorPath)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        guard let n = readRetryingSignals(fd, into: buffer) else {
            throw .input("cannot read from zstd: \(String(cString: strerror(errno)))", at: name)
        }
        if n > 0 { return n }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        reaped = true
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        guard code == 0 else {
            let output = (try? InputFile.read(errorPath, limit: 1 << 16, what: "zstd message")).map { String(decoding: $0, as: UTF8.self) }
            let message = (output ?? "").split(separator: "\n").first.map(String.init) ?? "exit status \(code)"
            throw .input("zstd could not decompress it: \(message)", at: name, fix: "check the file with 'zstd -t'")
        }
        var info = stat()
        if stat(name, &info) == 0 { progress.advance(UInt64(info.st_size)) }
        return 0
    }
}

/// A progress bar with MB/s and ETA on stderr — only when stderr is a terminal and the work has
/// taken over a second, redrawn at most ten times a second, cleared when done. Never in CI logs
/// or pipes.
final class ProgressMeter {
    private let console: any Console
    private let enabled: Bool
    private var expected: UInt64 = 0
    private var done: UInt64 = 0
    private let start: Double
    private var lastDraw = 0.0
    private var drawn = false

    init(console: any Console) {
        self.console = console
        enabled = console.isErrorTerminal
        start = Self.now()
    }

    func expect(_ bytes: UInt64) { expected &+= bytes }

    func advance(_ bytes: UInt64) {
        done &+= bytes
        guard enabled else { return }
        let t = Self.now()
        guard t - start > 1, t - lastDraw > 0.1 else { return }
        lastDraw = t
        drawn = true
        let rate = Double(done) / (t - start)
        var line = "\r\u{1B}[2Kreading " + SizeUnits.human(Double(done))
        if expected > 0 {
            let fraction = min(1, Double(done) / Double(expected))
            let width = 24
            let filled = Int(fraction * Double(width))
            line += " of " + SizeUnits.human(Double(expected)) + " [" + String(repeating: "#", count: filled)
                + String(repeating: " ", count: width - filled) + "] " + Format.percent(fraction, places: 0)
            if rate > 0 { line += "  ETA " + DurationUnits.human(Double(expected - min(done, expected)) / rate) }
        }
        line += "  " + Format.decimal(rate / 1e6, places: 0) + " MB/s"
        console.writeError(line)
    }

    func finish() {
        if drawn { console.writeError("\r\u{1B}[2K") }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

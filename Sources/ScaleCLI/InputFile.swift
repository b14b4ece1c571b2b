import Glibc
import ScaleCore

/// Reading files named on the command line: whole small files with a size bound, or big ones
/// block by block.
enum InputFile {
    static let blockSize = 1 << 20

    /// The whole file (standard input for `-` when a console is given), refusing more than
    /// `limit` bytes, and with `maxLine`, any line longer than that as soon as it is read.
    /// Errors name the file, and the option it came from when there is one.
    static func read(_ path: String, option: String = "", limit: Int, maxLine: Int? = nil, what: String,
                     console: (any Console)? = nil) throws(ScaleError) -> [UInt8] {
        let fromStandardInput = path == "-" && console != nil
        var bound = maxLine.map { LineLengthBound(maximum: $0, source: fromStandardInput ? "<stdin>" : path) }
        if fromStandardInput, let console {
            if bound == nil { return try console.readStandardInput(limit: limit) }
            var bytes: [UInt8] = []
            try console.streamStandardInput { (block) throws(ScaleError) in
                guard bytes.count + block.count <= limit else {
                    throw .input("standard input is larger than \(SizeUnits.human(Double(limit)))", at: "-",
                                 fix: "pass a file path instead, or split the input")
                }
                try bound?.check(block)
                bytes.append(contentsOf: block)
            }
            try bound?.finish()
            return bytes
        }
        var bytes: [UInt8] = []
        do {
            try stream(path) { (block) throws(ScaleError) in
                try bound?.check(block)
                bytes.append(contentsOf: block)
                if bytes.count > limit {
                    throw .input("the \(what) \(path) is larger than \(SizeUnits.human(Double(limit)))",
                                 fix: "is this the right file?")
                }
            }
            try bound?.finish()
        } catch {
            throw option.isEmpty ? error : error.at(option)
        }
        return bytes
    }

    /// Refuses a pipe (a FIFO, `<(…)`, a piped /dev/stdin) or a socket for files libcurl opens
    /// again for every connection: it would find the pipe empty after the first, and every
    /// target would fail TLS. A file or a device such as /dev/null reads the same every time.
    /// Checked with stat, which does not block on a FIFO.
    static func requireRereadable(_ path: String, option: String, what: String) throws(ScaleError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ScaleError.input("cannot open \(path): \(String(cString: strerror(errno)))", fix: "check the path").at(option)
        }
        guard info.st_mode & S_IFMT != S_IFIFO, info.st_mode & S_IFMT != S_IFSOCK else {
            throw ScaleError.input("the \(what) \(path) is a pipe: it is read again for every connection, so it would be empty after the first",
                                   fix: "write it to a file first (umask 077 for a key) and give that path").at(option)
        }
    }

    /// Hands the file to `body` in blocks of 1 MiB.
    static func stream(_ path: String, _ body: (UnsafeRawBufferPointer) throws(ScaleError) -> Void) throws(ScaleError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .input("cannot open \(path): \(String(cString: strerror(errno)))", fix: "check the path")
        }
        defer { close(fd) }
        try forEachBlock(size: blockSize, read: { (buffer) throws(ScaleError) -> Int in
            guard let n = readRetryingSignals(fd, into: buffer) else {
                throw .input("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            return n
        }, body)
    }
}

/// Splits a stream of blocks into lines (LF; a CR before it is dropped) without copying
/// whole lines except the one that straddles two blocks. Blank lines are counted and skipped.
/// A line longer than `maximumLine` is an error naming it: keys are short, and the bound
/// keeps memory flat on hostile input (a file with no newlines).
struct LineSplitter {
    static let maximumLine = 64 << 10

    let source: String
    private(set) var line = 0
    private(set) var blankLines = 0
    private var carry: [UInt8] = []

    init(source: String) { self.source = source }

    mutating func feed(_ block: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) throws(ScaleError) {
        guard let base = block.baseAddress, block.count > 0 else { return }
        var start = 0
        while start < block.count {
            guard let found = memchr(base + start, 0x0A, block.count - start) else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[start...]))
                if carry.count > Self.maximumLine { throw tooLong(line + 1) }
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            if carry.isEmpty {
                try emit(UnsafeRawBufferPointer(rebasing: block[start..<end]), body)
            } else {
                carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[start..<end]))
                let joined = carry
                carry.removeAll(keepingCapacity: true)
                try joined.withBytes { (raw) throws(ScaleError) in try emit(raw, body) }
            }
            start = end + 1
        }
    }

    /// The last line, when the input does not end in a newline.
    mutating func finish(_ body: (UnsafeRawBufferPointer) -> Void) throws(ScaleError) {
        guard !carry.isEmpty else { return }
        let last = carry
        carry.removeAll()
        try last.withBytes { (raw) throws(ScaleError) in try emit(raw, body) }
    }

    private mutating func emit(_ raw: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) throws(ScaleError) {
        line += 1
        var text = raw
        if let last = text.last, last == 0x0D { text = UnsafeRawBufferPointer(rebasing: text.dropLast()) }
        guard text.count <= Self.maximumLine else { throw tooLong(line) }
        if text.isEmpty { blankLines += 1; return }
        body(text)
    }

    private func tooLong(_ line: Int) -> ScaleError {
        .input("line \(line) is longer than \(Self.maximumLine / 1024) KiB", at: source, fix: "give one key a line")
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws ScaleError (the standard one rethrows untyped).
    func withBytes(_ range: Range<Int>? = nil, _ body: (UnsafeRawBufferPointer) throws(ScaleError) -> Void) throws(ScaleError) {
        let result = withUnsafeBytes { raw in
            Result { () throws(ScaleError) in try body(range.map { UnsafeRawBufferPointer(rebasing: raw[$0]) } ?? raw) }
        }
        try result.get()
    }
}

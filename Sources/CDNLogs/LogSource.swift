public import ScaleCore

/// Bytes of one input, read in blocks. The CLI provides the real ones (a file descriptor, a
/// `zstd -dc` pipe); `GzipSource` wraps any of them; tests use `MemorySource`.
public protocol LogByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end of the input.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int
}

/// One input: its name for messages (`access.log`, `-`) and how to open it. Inputs are opened
/// one at a time, so thousands of files never hold thousands of descriptors.
public struct LogInput {
    public var name: String
    public var open: () throws(ScaleError) -> any LogByteSource

    public init(name: String, open: @escaping () throws(ScaleError) -> any LogByteSource) {
        self.name = name
        self.open = open
    }

    /// An input held in memory (tests, examples).
    public static func bytes(_ name: String, _ bytes: [UInt8]) -> LogInput {
        LogInput(name: name) { MemorySource(bytes) }
    }
}

public final class MemorySource: LogByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    /// Bytes handed out per read, to exercise block boundaries in tests.
    private let chunk: Int

    public init(_ bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = max(1, chunk)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        let n = min(buffer.count, bytes.count - offset, chunk)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

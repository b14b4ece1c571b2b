import CZlib
import ScaleCore

/// What one input held, recorded so that merging never counts an input twice: its name (for
/// messages), the bytes read (after decompression) and a CRC-32 of its first
/// `InputCoverage.digestBytes`. Two inputs with the same size and the same first 64 KiB are the
/// same log, whatever their names and compression; a checksum of every byte would cost the
/// reading thread a pass over gigabytes for no better answer.
public struct InputCoverage: Sendable, Equatable {
    public var name: String
    public var bytes: UInt64
    public var digest: UInt32

    public static let digestBytes = 64 << 10

    public init(name: String, bytes: UInt64, digest: UInt32) {
        self.name = name
        self.bytes = bytes
        self.digest = digest
    }

    /// Whether `other` is the same content (an empty input is nothing to count twice).
    public func sameContent(as other: InputCoverage) -> Bool {
        bytes > 0 && bytes == other.bytes && digest == other.digest
    }
}

/// Reads through another source, counting its bytes and digesting its start.
final class FingerprintedSource: LogByteSource {
    private let inner: any LogByteSource
    private(set) var bytes: UInt64 = 0
    private var crc: uLong = crc32(0, nil, 0)

    init(_ inner: any LogByteSource) { self.inner = inner }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        let n = try inner.read(into: buffer)
        if n > 0, bytes < UInt64(InputCoverage.digestBytes) {
            let take = min(n, InputCoverage.digestBytes - Int(bytes))
            crc = crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(take))
        }
        bytes &+= UInt64(n)
        return n
    }

    func coverage(name: String) -> InputCoverage {
        InputCoverage(name: name, bytes: bytes, digest: UInt32(truncatingIfNeeded: crc))
    }
}

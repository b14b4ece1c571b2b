import CZlib
public import ScaleCore

/// Inflates gzip (or zlib) data from another source as it is read, so a rotated `access.log.2.gz`
/// is analysed without being unpacked to disk. Concatenated members (`cat a.gz b.gz`) are read
/// one after another, as gzip -d does. Memory stays at two fixed buffers whatever the ratio.
public final class GzipSource: LogByteSource {
    private let inner: any LogByteSource
    private let name: String
    private var stream = z_stream()
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCapacity = 1 << 20
    private var innerDone = false
    private var finished = false
    private var memberEnded = false

    /// The two bytes every gzip stream starts with.
    public static func isGzip(_ prefix: [UInt8]) -> Bool { prefix.count >= 2 && prefix[0] == 0x1F && prefix[1] == 0x8B }

    public init(_ inner: any LogByteSource, name: String) throws(ScaleError) {
        self.inner = inner
        self.name = name
        input = .allocate(capacity: inputCapacity)
        // 15 + 32: a window of 2^15 and automatic gzip/zlib header detection.
        guard scale_inflate_init2(&stream, 15 + 32) == Z_OK else {
            input.deallocate()
            throw ScaleError(.internal, "zlib could not start inflating", at: name)
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(ScaleError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
        while stream.avail_out > 0 {
            if stream.avail_in == 0, !innerDone {
                let n = try inner.read(into: UnsafeMutableRawBufferPointer(start: input, count: inputCapacity))
                if n == 0 { innerDone = true } else {
                    stream.next_in = input
                    stream.avail_in = UInt32(n)
                }
            }
            if stream.avail_in == 0, innerDone {
                if !memberEnded, stream.total_in > 0 {
                    throw .input("the gzip data ends early (truncated file)", at: name, fix: "check the file with 'gzip -t'")
                }
                finished = true
                break
            }
            if memberEnded {
                // Another gzip member follows the one that ended.
                inflateReset(&stream)
                memberEnded = false
            }
            let status = inflate(&stream, Z_NO_FLUSH)
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberEnded = true
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw .input("the gzip data is damaged: \(message)", at: name, fix: "check the file with 'gzip -t'")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }
}

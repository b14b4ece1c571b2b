/// Finds where one RESP2 reply ends while its bytes are still arriving, resuming where the
/// last look stopped. A reply read 64 KiB at a time is then walked once and parsed once, when
/// complete, instead of parsed from its start after every read (quadratic: a list of a million
/// items took minutes). The limits are checked from each header as it arrives.
struct RESPFrameScanner {
    let limits: RESPLimits
    /// Where the next value (or the body of the last bulk header) starts.
    private var offset = 0
    /// Items still to come in each open array, outermost first.
    private var remaining: [Int] = []

    init(limits: RESPLimits) { self.limits = limits }

    /// The length of the reply at the start of `bytes` once all of it is there, else nil
    /// (call again with more bytes appended). After a reply is found the scanner starts over.
    mutating func end(of bytes: [UInt8]) throws(RESPParseError) -> Int? {
        while true {
            var i = offset
            guard let header = try RESPParser.header(bytes, &i, depth: remaining.count, limits: limits) else { return nil }
            switch header {
            case .bulk(let n) where n >= 0:
                // The header is read again next time if the body has not all arrived: a few bytes.
                let end = i + n
                guard end + 2 <= bytes.count else { return nil }
                guard bytes[end] == 0x0D, bytes[end + 1] == 0x0A else { throw .malformed("bulk string without CRLF") }
                offset = end + 2
            case .array(let n) where n > 0:
                offset = i
                remaining.append(n)
                continue
            default:
                offset = i
            }
            // A value is complete, and with it every array whose last item it was.
            while true {
                guard let last = remaining.last else {
                    defer { offset = 0 }
                    return offset
                }
                if last > 1 {
                    remaining[remaining.count - 1] = last - 1
                    break
                }
                remaining.removeLast()
            }
        }
    }
}

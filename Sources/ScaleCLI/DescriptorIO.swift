import Glibc

/// read(2) into `buffer`, repeated when a signal interrupts it: the bytes read (0 at the end of
/// the input), or nil on an error, with errno saying which.
func readRetryingSignals(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int? {
    while true {
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if n >= 0 { return n }
        if errno != EINTR { return nil }
    }
}

/// Writes every byte, retrying short writes and interrupted ones; false on an error (a reader
/// that has gone, a full disk), with errno saying which.
@discardableResult
func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    bytes.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }
}

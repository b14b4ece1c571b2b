import Glibc
import ScaleCore

/// Watches a stream go by block by block and refuses it as soon as one line grows past
/// `maximum` bytes (LF ends a line; a CR before it does not count), so a line-based input is
/// refused after reading about one block of a 50 MB line, not after loading and parsing all of it.
struct LineLengthBound {
    let maximum: Int
    let source: String
    /// 1-based number of the line being read.
    private(set) var line = 1
    /// Bytes of that line seen so far.
    private var length = 0
    private var endsInCR = false

    init(maximum: Int, source: String) {
        self.maximum = maximum
        self.source = source
    }

    mutating func check(_ block: UnsafeRawBufferPointer) throws(ScaleError) {
        guard let base = block.baseAddress, block.count > 0 else { return }
        var start = 0
        while start < block.count {
            guard let found = memchr(base + start, 0x0A, block.count - start) else {
                length += block.count - start
                endsInCR = block[block.count - 1] == 0x0D
                // One byte of slack: it may be the CR of a CRLF still to come.
                if length > maximum + 1 { throw tooLong() }
                return
            }
            let end = base.distance(to: UnsafeRawPointer(found))
            length += end - start
            if end > start { endsInCR = block[end - 1] == 0x0D }
            try lineEnded()
            line += 1
            length = 0
            endsInCR = false
            start = end + 1
        }
    }

    /// The last line, when the input does not end in a newline.
    func finish() throws(ScaleError) { try lineEnded() }

    private func lineEnded() throws(ScaleError) {
        if length - (endsInCR ? 1 : 0) > maximum { throw tooLong() }
    }

    private func tooLong() -> ScaleError {
        .input("the line is longer than \(SizeUnits.human(Double(maximum)))", at: "\(source):\(line)",
               fix: "each line holds one record: is this the right file?")
    }
}

/// Collects the header lines and body bytes libcurl hands to its callbacks, enforcing the
/// request's size caps. Pure bookkeeping — no C pointers — so the rules are easy to follow:
///
/// - A status line (`HTTP/…`) starts a new response: interim 1xx responses, proxy CONNECT
///   replies and followed redirects are dropped, so only the final response remains.
/// - Lines after the blank line that ends a head are trailers and are not kept.
/// - Header bytes beyond `maxHeaderBytes` (per response) abort the transfer: `too_large`.
/// - Body bytes beyond `maxBodyBytes` are cut off and the transfer aborted: `truncated`.
final class ResponseAccumulator {
    let maxBodyBytes: Int
    let maxHeaderBytes: Int
    private(set) var headers: [HTTPHeader] = []
    private(set) var body: [UInt8] = []
    private(set) var truncated = false
    private(set) var headerOverflow = false
    /// False when a status line arrived but the connection ended before the blank line that
    /// closes the head: libcurl then reports success with whatever it had.
    private(set) var headComplete = false
    private(set) var sawStatusLine = false
    private var headerBytes = 0

    init(maxBodyBytes: Int, maxHeaderBytes: Int) {
        self.maxBodyBytes = max(0, maxBodyBytes)
        self.maxHeaderBytes = max(0, maxHeaderBytes)
    }

    /// One raw header line including its CRLF. Returns false to abort the transfer.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) -> Bool {
        if line.starts(with: "HTTP/".utf8) {
            headers = []
            body = []
            truncated = false
            headerBytes = 0
            headComplete = false
            sawStatusLine = true
        }
        headerBytes += line.count
        guard headerBytes <= maxHeaderBytes else {
            headerOverflow = true
            return false
        }
        var end = line.count
        while end > 0, line[end - 1] == UInt8(ascii: "\n") || line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let content = UnsafeRawBufferPointer(rebasing: line[0..<end])
        if content.isEmpty {
            headComplete = true
            return true
        }
        if headComplete || content.starts(with: "HTTP/".utf8) { return true }
        if content[0] == UInt8(ascii: " ") || content[0] == UInt8(ascii: "\t") {
            // obs-fold (RFC 9112 §5.2): a continuation of the previous field's value.
            if !headers.isEmpty {
                headers[headers.count - 1].value += " " + trimmed(content)
            }
            return true
        }
        guard let colon = content.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: content[..<colon]), as: UTF8.self)
        let value = trimmed(UnsafeRawBufferPointer(rebasing: content[(colon + 1)...]))
        headers.append(HTTPHeader(name, value))
        return true
    }

    /// A chunk of body bytes. Returns false once the cap is reached and the rest is unwanted.
    func receiveBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        let room = maxBodyBytes - body.count
        if chunk.count <= room {
            body.append(contentsOf: chunk)
            return true
        }
        body.append(contentsOf: chunk.prefix(room))
        truncated = true
        return false
    }

    private func trimmed(_ bytes: UnsafeRawBufferPointer) -> String {
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[first...last]), as: UTF8.self)
    }
}

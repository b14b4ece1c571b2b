import ScaleCore

/// One response head read from saved `curl -sD-` (or `curl -sI`, `-L`) output.
public struct RawResponse: Sendable, Equatable {
    public var httpVersion: String
    public var status: Int
    public var headers: [HeaderField]
    /// 1-based line of the status line in the input, for error messages and SARIF regions.
    public var line: Int
}

/// Splits saved curl output into response heads: every line that starts with `HTTP/` and a
/// three-digit status begins one; its fields run to the first empty line; whatever follows
/// (a body) is skipped until the next status line. Interim 1xx heads are dropped, as caches
/// never see them. Works on bytes; lines end in CRLF or LF.
public enum RawResponses {
    public struct ParseError: Error, Sendable, Equatable {
        public var message: String
        public var line: Int
    }

    /// Lines longer than this are refused: no real header needs 64 KiB.
    public static let maxLineBytes = 65_536

    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> [RawResponse] {
        var responses: [RawResponse] = []
        var current: RawResponse?
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            var lineEnd = end
            if lineEnd > start, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = bytes[start..<lineEnd]
            start = end + 1
            if var response = current {
                if line.isEmpty {
                    if response.status >= 200 { responses.append(response) }
                    current = nil
                    continue
                }
                guard line.count <= maxLineBytes else { throw ParseError(message: "header line longer than 64 KiB", line: lineNumber) }
                if line.first == 0x20 || line.first == 0x09 {
                    // obs-fold (RFC 9112 §5.2): a continuation joins the previous value with a space.
                    guard !response.headers.isEmpty else { throw ParseError(message: "continuation line before any header", line: lineNumber) }
                    response.headers[response.headers.count - 1].value += " " + String(decoding: line, as: UTF8.self).trimmingOWS
                } else {
                    guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                          line[line.startIndex..<colon].allSatisfy(HTTPToken.isTokenByte) else {
                        throw ParseError(message: "not a header line (expected 'Name: value')", line: lineNumber)
                    }
                    let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self)
                    let value = String(decoding: line[(colon + 1)...], as: UTF8.self).trimmingOWS
                    response.headers.append(HeaderField(name, value))
                }
                current = response
            } else if let (version, status) = statusLine(line) {
                current = RawResponse(httpVersion: version, status: status, headers: [], line: lineNumber)
            }
        }
        // A head cut off without its blank line (curl -I output saved without the last CRLF) still counts.
        if let response = current, response.status >= 200 { responses.append(response) }
        return responses
    }

    /// `HTTP/1.1 200 OK`, `HTTP/2 304`.
    static func statusLine(_ line: ArraySlice<UInt8>) -> (String, Int)? {
        guard line.count >= 10, line.starts(with: Array("HTTP/".utf8)), line.count <= 1024,
              let space = line.firstIndex(of: 0x20) else { return nil }
        let digits = line[(space + 1)...].prefix(3)
        guard digits.count == 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let after = space + 4
        guard after >= line.endIndex || line[after] == 0x20 else { return nil }
        let status = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return (String(decoding: line[line.startIndex..<space], as: UTF8.self), status)
    }
}

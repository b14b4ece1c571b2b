import ScaleCore

/// Entries of a HAR 1.2 file (the W3C Web Performance WG draft): each request's method, URL
/// and headers, the response's status and headers, and when it was received
/// (startedDateTime + time).
public struct HAREntry: Sendable, Equatable {
    public var method: String
    public var url: String
    public var requestHeaders: [HeaderField]
    public var status: Int
    public var httpVersion: String
    public var headers: [HeaderField]
    /// Unix seconds of startedDateTime, when it parses.
    public var startedAt: Int64?
    /// startedDateTime + time (ms), rounded down to seconds.
    public var receivedAt: Int64?
}

public enum HAR {
    public struct FormatError: Error, Sendable, Equatable {
        public var message: String
    }

    public static func entries(_ bytes: [UInt8]) throws(FormatError) -> [HAREntry] {
        let document = try Self.document(bytes)
        guard case .array(let entries)? = document["log"]?["entries"] else {
            throw FormatError(message: "no log.entries array (is this a HAR file?)")
        }
        var out: [HAREntry] = []
        for (index, entry) in entries.enumerated() {
            guard let request = entry["request"], let response = entry["response"],
                  let url = request["url"]?.string, let status = response["status"]?.double else {
                throw FormatError(message: "entry \(index + 1) lacks request.url or response.status")
            }
            // Range-checked before any conversion: a HAR is written by tools we do not control.
            guard status >= 0, status <= 999, status == status.rounded() else {
                throw FormatError(message: "entry \(index + 1): response.status \(status) is not a status code (a whole number from 0 to 999)")
            }
            let started = entry["startedDateTime"]?.string.flatMap(TimeText.iso8601)
            let time = entry["time"]?.double ?? 0
            guard time.isFinite, time < 1e12 else {
                throw FormatError(message: "entry \(index + 1): time \(time) is not a duration in milliseconds (at most 1e12, about 31 years)")
            }
            out.append(HAREntry(method: request["method"]?.string ?? "GET", url: url,
                                requestHeaders: headers(request["headers"]), status: Int(status),
                                httpVersion: response["httpVersion"]?.string ?? "",
                                headers: headers(response["headers"]),
                                startedAt: started.map { Int64($0) },
                                receivedAt: started.map { Int64(($0 + max(0, time) / 1000).rounded(.down)) }))
        }
        return out
    }

    /// ScaleCore's JSON reader, failing in the wording HAR errors have always had
    /// ("line 1, column 9: unterminated object"); the caller already bounds the size. A
    /// repeated key is kept and read as its last value, as browsers' `JSON.parse` does.
    static func document(_ bytes: [UInt8]) throws(FormatError) -> JSONValue {
        do {
            return try JSONParser.read(bytes, options: JSONParser.Options(maxBytes: .max, duplicateKeys: .keep))
        } catch {
            switch error.kind {
            case .expectedDigit, .leadingZero, .numberOutOfRange:
                // Name the whole number and point just past it, as the old reader did.
                let isPart = { (b: UInt8) in (0x30...0x39).contains(b) || [0x2B, 0x2D, 0x2E, 0x45, 0x65].contains(b) }
                var start = min(error.offset, bytes.count), end = start
                while start > 0, isPart(bytes[start - 1]) { start -= 1 }
                while end < bytes.count, isPart(bytes[end]) { end += 1 }
                let text = String(decoding: bytes[start..<end], as: UTF8.self)
                throw FormatError(message: "not JSON: line \(error.line), column \(error.column + end - error.offset): invalid number '\(text)'")
            default:
                throw FormatError(message: "not JSON: line \(error.line), column \(error.column): \(problem(error))")
            }
        }
    }

    static func problem(_ error: JSONParseError) -> String {
        let atEnd = error.found == "end of input"
        switch error.kind {
        case .tooLarge: return error.message
        case .tooDeep(let limit): return "nested deeper than \(limit) levels"
        case .expectedValue:
            if atEnd { return "unexpected end of input" }
            return ["'t'", "'f'", "'n'"].contains(error.found) ? "invalid literal" : "unexpected character"
        case .expectedDigit, .leadingZero, .numberOutOfRange: return "invalid number"
        case .unterminatedString: return "unterminated string"
        case .controlCharacter: return "control character in string"
        case .invalidEscape: return "bad escape"
        case .invalidHexEscape, .unpairedSurrogate: return "bad \\u escape"
        case .invalidUTF8: return "string is not UTF-8"
        case .expectedMemberName: return "expected a string key"
        case .expectedColon: return "expected ':'"
        case .expectedCommaOrBrace: return atEnd ? "unterminated object" : "expected ',' or '}'"
        case .expectedCommaOrBracket: return atEnd ? "unterminated array" : "expected ',' or ']'"
        case .duplicateKey(let key): return "the key \"\(key)\" twice"
        case .trailingText: return "unexpected text after the JSON value"
        }
    }

    /// `[{"name": ..., "value": ...}]`, without HTTP/2 pseudo-headers (`:status`).
    static func headers(_ json: JSONValue?) -> [HeaderField] {
        guard case .array(let items)? = json else { return [] }
        return items.compactMap { item in
            guard let name = item["name"]?.string, let value = item["value"]?.string, !name.hasPrefix(":") else { return nil }
            return HeaderField(name, value)
        }
    }
}

extension TimeText {
    /// ISO 8601 date-times as HAR writes them: `2026-11-23T16:00:00.123Z`, `…+01:00`.
    public static func iso8601(_ text: String) -> Double? {
        let b = Array(text.trimmingOWS.utf8)
        guard b.count >= 20, let base = parse(String(decoding: b[0..<19], as: UTF8.self) + "Z") else { return nil }
        var i = 19
        var fraction = 0.0
        if b[i] == 0x2E {
            i += 1
            var scale = 0.1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        guard i < b.count else { return nil }
        var offset: Int64 = 0
        if b[i] == 0x5A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D, i + 6 == b.count, b[i + 3] == 0x3A {
            let digits = [b[i + 1], b[i + 2], b[i + 4], b[i + 5]]
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            let minutes = Int64(digits[0] - 0x30) * 600 + Int64(digits[1] - 0x30) * 60 + Int64(digits[2] - 0x30) * 10 + Int64(digits[3] - 0x30)
            offset = (b[i] == 0x2B ? 1 : -1) * minutes * 60
            i += 6
        }
        guard i == b.count else { return nil }
        return Double(base - offset) + fraction
    }
}

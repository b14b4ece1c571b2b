public import ScaleCore

/// The Prometheus text exposition format 0.0.4, read on bytes: `name{label="value",…} value
/// [timestamp_ms]` lines, `#` comments (HELP, TYPE). Values may be NaN, +Inf, -Inf or have
/// exponents; label values escape `\\`, `\"` and `\n`.
public enum PrometheusText {
    public struct Sample: Sendable, Equatable {
        public var name: String
        public var labels: [(String, String)]
        public var value: Double
        public var timestampMilliseconds: Int64?

        public init(name: String, labels: [(String, String)], value: Double, timestampMilliseconds: Int64? = nil) {
            self.name = name
            self.labels = labels
            self.value = value
            self.timestampMilliseconds = timestampMilliseconds
        }

        public static func == (a: Sample, b: Sample) -> Bool {
            a.name == b.name && a.labels.elementsEqual(b.labels, by: { $0 == $1 })
                && (a.value == b.value || (a.value.isNaN && b.value.isNaN)) && a.timestampMilliseconds == b.timestampMilliseconds
        }

        public func label(_ name: String) -> String? { labels.first { $0.0 == name }?.1 }
    }

    /// `NAME{label="value",other!="x"}`: which series to take.
    public struct Selector: Sendable, Equatable {
        public var name: String
        public var equal: [(String, String)]
        public var notEqual: [(String, String)]

        public static func == (a: Selector, b: Selector) -> Bool {
            a.name == b.name && a.equal.elementsEqual(b.equal, by: { $0 == $1 }) && a.notEqual.elementsEqual(b.notEqual, by: { $0 == $1 })
        }

        public func matches(_ s: Sample) -> Bool {
            s.name == name && equal.allSatisfy { s.label($0.0) ?? "" == $0.1 } && notEqual.allSatisfy { s.label($0.0) ?? "" != $0.1 }
        }

        public static func parse(_ text: String) throws(ScaleError) -> Selector {
            var reader = Reader(bytes: Array(text.utf8))
            let metric = reader.name()
            guard !metric.isEmpty else { throw .usage("'\(text)' has no metric name", about: .metric, fix: "write NAME or NAME{label=\"value\"}") }
            var selector = Selector(name: metric, equal: [], notEqual: [])
            if reader.peek == UInt8(ascii: "{") {
                reader.index += 1
                while true {
                    reader.skipBlanks()
                    if reader.peek == UInt8(ascii: "}") { reader.index += 1; break }
                    let label = reader.name()
                    reader.skipBlanks()
                    var negate = false
                    if reader.peek == UInt8(ascii: "!") { negate = true; reader.index += 1 }
                    guard !label.isEmpty, reader.peek == UInt8(ascii: "="), reader.index + 1 < reader.bytes.count,
                          reader.bytes[reader.index + 1] == UInt8(ascii: "\"") else {
                        throw .usage("'\(text)': expected label=\"value\" or label!=\"value\"", about: .metric)
                    }
                    reader.index += 1
                    guard let value = reader.quoted() else { throw .usage("'\(text)': unterminated label value", about: .metric) }
                    if negate { selector.notEqual.append((label, value)) } else { selector.equal.append((label, value)) }
                    reader.skipBlanks()
                    if reader.peek == UInt8(ascii: ",") { reader.index += 1 }
                }
            }
            guard reader.index == reader.bytes.count else { throw .usage("'\(text)': unexpected text after the selector", about: .metric) }
            return selector
        }
    }

    /// Lines longer than this are refused rather than buffered.
    public static let maxLineBytes = 64 << 10

    /// Every sample, or an error naming the line.
    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> [Sample] {
        var out: [Sample] = []
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            defer { start = end + 1 }
            guard end - start <= maxLineBytes else { throw .input("line longer than \(maxLineBytes) bytes", at: "\(source):\(lineNumber)") }
            var reader = Reader(bytes: Array(bytes[start..<end]))
            reader.skipBlanks()
            if reader.peek == nil || reader.peek == UInt8(ascii: "#") { continue }
            guard let sample = reader.sample() else {
                throw .input("not a Prometheus sample line", at: "\(source):\(lineNumber)",
                             fix: "check that the URL serves the text exposition format (/metrics)")
            }
            out.append(sample)
        }
        return out
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipBlanks() { while let b = peek, b == 0x20 || b == 0x09 || b == 0x0D { index += 1 } }

        /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
        mutating func name() -> String {
            let start = index
            while let b = peek, (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A
                    || (index > start && b >= 0x30 && b <= 0x39) { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        /// A double-quoted label value with its escapes undone; nil when unterminated.
        mutating func quoted() -> String? {
            guard peek == UInt8(ascii: "\"") else { return nil }
            index += 1
            var out: [UInt8] = []
            while let b = peek {
                index += 1
                if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                if b == UInt8(ascii: "\\"), let e = peek {
                    index += 1
                    switch e {
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): out.append(e)
                    default: out.append(b); out.append(e)
                    }
                } else {
                    out.append(b)
                }
            }
            return nil
        }

        mutating func token() -> String {
            let start = index
            while let b = peek, b != 0x20, b != 0x09, b != 0x0D { index += 1 }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func sample() -> Sample? {
            let metric = name()
            guard !metric.isEmpty else { return nil }
            var labels: [(String, String)] = []
            if peek == UInt8(ascii: "{") {
                index += 1
                while true {
                    skipBlanks()
                    if peek == UInt8(ascii: "}") { index += 1; break }
                    let label = name()
                    skipBlanks()
                    guard !label.isEmpty, peek == UInt8(ascii: "=") else { return nil }
                    index += 1
                    skipBlanks()
                    guard let value = quoted() else { return nil }
                    labels.append((label, value))
                    skipBlanks()
                    if peek == UInt8(ascii: ",") { index += 1 } else if peek != UInt8(ascii: "}") { return nil }
                }
            }
            skipBlanks()
            guard let value = Self.number(token()) else { return nil }
            skipBlanks()
            var timestamp: Int64?
            if peek != nil {
                guard let t = Int64(token()), InputRange.isInstant(Double(t) / 1000) else { return nil }
                timestamp = t
                skipBlanks()
                guard peek == nil else { return nil }
            }
            return Sample(name: metric, labels: labels, value: value, timestampMilliseconds: timestamp)
        }

        /// Go's ParseFloat spellings the format allows: NaN, +Inf, -Inf, Inf, decimals, exponents.
        static func number(_ text: String) -> Double? {
            switch text {
            case "NaN": return .nan
            case "+Inf", "Inf": return .infinity
            case "-Inf": return -.infinity
            default:
                guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }) else { return nil }
                return Double(text)
            }
        }
    }
}

/// Prometheus's HTTP API answer to an instant query (`/api/v1/query`): a vector of series.
public enum PrometheusQueryResult {
    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> [PrometheusText.Sample] {
        let document = try JSONParser.parse(bytes, file: source)
        guard document["status"]?.string == "success" else {
            let error = document["error"]?.string ?? "no status success"
            throw .input("the query failed: \(error)", at: source, fix: "check \(Parameter.query) in the Prometheus UI")
        }
        guard let data = document["data"], let type = data["resultType"]?.string else {
            throw .input("no data in the answer", at: source)
        }
        guard case .array(let results)? = data["result"] else { throw .input("no result in the answer", at: source) }
        switch type {
        case "vector":
            return try results.map { (item: JSONValue) throws(ScaleError) -> PrometheusText.Sample in
                var labels: [(String, String)] = []
                if case .object(let members)? = item["metric"] {
                    for (k, v) in members { labels.append((k, v.string ?? "")) }
                }
                guard case .array(let pair)? = item["value"], pair.count == 2, let text = pair[1].string,
                      let value = PrometheusText.Reader.number(text) ?? Double(text) else {
                    throw .input("a series without a [time, \"value\"] pair", at: source)
                }
                let name = labels.first { $0.0 == "__name__" }?.1 ?? ""
                var milliseconds: Int64?
                if let seconds = pair[0].double {
                    guard InputRange.isInstant(seconds) else {
                        throw .input("a series' time \(Format.shortest(seconds)) is not seconds since the epoch (years 0000-9999)", at: source)
                    }
                    milliseconds = Int64((seconds * 1000).rounded(.down))
                }
                return PrometheusText.Sample(name: name, labels: labels.filter { $0.0 != "__name__" }, value: value,
                                             timestampMilliseconds: milliseconds)
            }
        case "scalar":
            guard results.count == 2, let text = results[1].string, let value = PrometheusText.Reader.number(text) else {
                throw .input("a scalar without a value", at: source)
            }
            return [PrometheusText.Sample(name: "scalar", labels: [], value: value)]
        default:
            throw .input("the query returned a \(type); backlog needs an instant vector", at: source,
                         fix: "drop the range selector [..]: write an instant query")
        }
    }
}

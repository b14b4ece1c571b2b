public import ScaleCore

/// `compose --file topology.json`: the same structure as the expression, as JSON.
///
///     {"series": [T, …]}                      every part must be up
///     {"parallel": [T, …]}                    any one part suffices
///     {"quorum": K, "of": [T, …]}             at least K of these parts (kofn)
///     {"copies": N, "of": T}                  N identical copies, any one suffices (Nx)
///     {"quorum": K, "copies": N, "of": T}     at least K of N identical copies (KofN)
///     {"name": "db", "availability": "99.95%"}          also 0.9995 as a number
///     {"name": "db", "mtbf": "720h", "mttr": "30m"}
///     "lb=99.99% * 2of3(app=99.5%)"           any expression, wherever a part is expected
///
/// Errors name the file and the JSON path (`topology.json $.series[1].of`).
public enum TopologyJSON {
    public static func parse(_ bytes: [UInt8], file: String) throws(ScaleError) -> Topology {
        let document = try JSONParser.parse(bytes, file: file)
        let topology = try Decoder(file: file).topology(document, path: "$", depth: 0)
        do { try topology.validate() } catch { throw ScaleError(.input, error.what, at: file, fix: error.fix) }
        return topology
    }

    struct Decoder {
        let file: String

        func error(_ what: String, at path: String, fix: String = "") -> ScaleError {
            .input(what, at: "\(file) \(path)", fix: fix)
        }

        static let shapes = "an object with series, parallel, quorum/of, copies/of or name/availability, or an expression string"

        func topology(_ value: JSONValue, path: String, depth: Int) throws(ScaleError) -> Topology {
            guard depth <= Topology.maxDepth else {
                throw error("nesting deeper than \(Topology.maxDepth) levels", at: path)
            }
            switch value {
            case .string(let text):
                do { return try TopologyExpression.parse(text, place: "\(file) \(path): expression") } catch {
                    throw ScaleError(.input, error.what, at: error.location, fix: error.fix)
                }
            case .object(let members):
                let keys = Set(members.map(\.key))
                func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
                if keys.contains("series") || keys.contains("parallel") {
                    let key = keys.contains("series") ? "series" : "parallel"
                    try allow(keys, ["series", "parallel"].filter { $0 == key }, path: path)
                    let parts = try list(member(key)!, path: "\(path).\(key)", depth: depth)
                    if parts.count == 1 { return parts[0] }
                    return key == "series" ? .series(parts) : .parallel(parts)
                }
                if keys.contains("of") {
                    try allow(keys, ["of", "quorum", "copies"], path: path)
                    let of = member("of")!
                    let k = try member("quorum").map { (v) throws(ScaleError) in try count(v, path: "\(path).quorum") }
                    if let copiesValue = member("copies") {
                        let n = try count(copiesValue, path: "\(path).copies")
                        guard n >= 1, n <= Topology.maxCopies else {
                            throw error("copies must be from 1 to \(Topology.maxCopies), not \(n)", at: "\(path).copies")
                        }
                        let k = k ?? 1
                        try checkK(k, n: n, path: path)
                        return .pool(k: k, n: n, try topology(of, path: "\(path).of", depth: depth + 1))
                    }
                    guard let k else {
                        throw error("\"of\" needs \"quorum\" (at least K of these parts) or \"copies\" (N identical copies)", at: path)
                    }
                    let parts = try list(of, path: "\(path).of", depth: depth)
                    try checkK(k, n: parts.count, path: path)
                    return .quorum(k: k, parts)
                }
                return .component(try component(members, keys: keys, path: path))
            default:
                throw error("expected \(Self.shapes), found \(value.kindName)", at: path)
            }
        }

        func allow(_ keys: Set<String>, _ allowed: [String], path: String) throws(ScaleError) {
            if let extra = keys.subtracting(allowed).sorted().first {
                throw error("unexpected key \"\(extra)\" beside \(allowed.map { "\"\($0)\"" }.joined(separator: ", "))", at: path,
                            fix: "a part is \(Self.shapes)")
            }
        }

        func list(_ value: JSONValue, path: String, depth: Int) throws(ScaleError) -> [Topology] {
            guard case .array(let items) = value else { throw error("expected an array of parts, found \(value.kindName)", at: path) }
            guard !items.isEmpty else { throw error("expected at least one part, found an empty array", at: path) }
            var parts: [Topology] = []
            for (i, item) in items.enumerated() { parts.append(try topology(item, path: "\(path)[\(i)]", depth: depth + 1)) }
            return parts
        }

        func count(_ value: JSONValue, path: String) throws(ScaleError) -> Int {
            guard case .number(let number) = value, let n = Int(number.text) else {
                throw error("expected a whole number, found \(value.kindName == "a number" ? "'\(value.numberText)'" : value.kindName)", at: path)
            }
            return n
        }

        func checkK(_ k: Int, n: Int, path: String) throws(ScaleError) {
            guard k >= 1 else { throw error("quorum must be at least 1, not \(k)", at: "\(path).quorum") }
            guard k <= n else { throw error("quorum \(k) is more than the \(n) parts", at: "\(path).quorum", fix: "quorum must be at most the number of parts") }
        }

        func component(_ members: [(key: String, value: JSONValue)], keys: Set<String>, path: String) throws(ScaleError) -> Component {
            func member(_ key: String) -> JSONValue? { members.first { $0.key == key }?.value }
            try allow(keys, ["name", "availability", "mtbf", "mttr"], path: path)
            var name: String?
            if let value = member("name") {
                guard case .string(let text) = value, !text.isEmpty else {
                    throw error("\"name\" must be a non-empty string", at: "\(path).name")
                }
                name = text
            }
            if let value = member("availability") {
                guard !keys.contains("mtbf"), !keys.contains("mttr") else {
                    throw error("give either \"availability\" or \"mtbf\" and \"mttr\", not both", at: path)
                }
                let text: String
                switch value {
                case .string(let s): text = s
                case .number(let s): text = s.text
                default: throw error("\"availability\" must be a ratio such as \"99.95%\" or 0.9995", at: "\(path).availability")
                }
                do {
                    let figure = try RatioText.parse(text)
                    return Component(name: name, figure: .ratio(figure), source: text, origin: path)
                } catch {
                    throw self.error(error.what, at: "\(path).availability", fix: error.fix)
                }
            }
            guard let mtbfValue = member("mtbf"), let mttrValue = member("mttr") else {
                throw error(keys.isEmpty ? "an empty object is not a part" : "a component needs \"availability\", or both \"mtbf\" and \"mttr\"",
                            at: path, fix: "a part is \(Self.shapes)")
            }
            let mtbf = try duration(mtbfValue, key: "mtbf", path: path)
            let mttr = try duration(mttrValue, key: "mttr", path: path)
            guard mtbf > 0 else { throw error("MTBF must be more than zero", at: "\(path).mtbf") }
            let source = "mtbf=\(mtbfValue.stringText),mttr=\(mttrValue.stringText)"
            return Component(name: name, figure: .repair(mtbf: mtbf, mttr: mttr), source: source, origin: path)
        }

        func duration(_ value: JSONValue, key: String, path: String) throws(ScaleError) -> Double {
            guard case .string(let text) = value else {
                throw error("\"\(key)\" must be a duration string such as \"30m\"", at: "\(path).\(key)")
            }
            if text.hasPrefix("-") { throw error("\(key.uppercased()) cannot be negative ('\(text)')", at: "\(path).\(key)") }
            do { return try DurationUnits.parse(text) } catch {
                throw self.error(error.what, at: "\(path).\(key)", fix: error.fix)
            }
        }
    }
}

extension JSONValue {
    var numberText: String { if case .number(let t) = self { return t.text }; return "" }
    var stringText: String { if case .string(let t) = self { return t }; return "" }
}

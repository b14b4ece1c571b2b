public import ScaleCore

/// The expression language, small enough to type at 3 a.m.:
///
///     expression := term ('|' term)*          any one term suffices (parallel)
///     term       := factor ('*' factor)*      every factor must be up (series)
///     factor     := N 'x' factor              N identical copies, any one suffices
///                 | K 'of' N '(' expression ')'     at least K of N identical copies
///                 | 'kofn' '(' K (',' expression)+ ')'   at least K of these parts
///                 | '(' expression ')'
///                 | [name '='] figure
///     figure     := ratio ('99.95%', '0.9995') | 'mtbf=' duration ',mttr=' duration
///
/// `*` binds tighter than `|`, as AND does over OR. Errors name the 1-based column and what
/// was expected there.
public enum TopologyExpression {
    /// Longer expressions are refused before parsing: nothing sensible is that long.
    public static let maxLength = 65_536

    static let componentFix = "a component is a ratio (99.95%), name=ratio (db=99.95%) or mtbf=…,mttr=… (mtbf=720h,mttr=30m); join parts with * (all needed) or | (any one suffices)"

    /// Parses `text`; errors are placed at "`place` column N" (place is `expression` on the
    /// command line, or a file and JSON path for `--file`).
    public static func parse(_ text: String, place: String = "expression") throws(ScaleError) -> Topology {
        var parser = Parser(scalars: Array(text.unicodeScalars), place: place)
        guard parser.scalars.count <= maxLength else {
            throw .usage("the expression is \(parser.scalars.count) characters long", at: place,
                         fix: "keep it under \(maxLength); use \(Parameter.file) for large topologies")
        }
        let topology = try parser.parseWhole()
        try topology.validate()
        return topology
    }

    struct Parser {
        let scalars: [Unicode.Scalar]
        let place: String
        var index = 0
        var depth = 0

        init(scalars: [Unicode.Scalar], place: String) {
            self.scalars = scalars
            self.place = place
        }

        // MARK: errors

        func error(_ what: String, at position: Int, fix: String = "") -> ScaleError {
            .usage(what, at: "\(place) column \(position + 1)", fix: fix)
        }

        /// What is at `position`, for "found …" in messages.
        func found(_ position: Int) -> String {
            guard position < scalars.count else { return "the end of the expression" }
            return "'" + Self.visible(scalars[position]) + "'"
        }

        static func visible(_ scalar: Unicode.Scalar) -> String {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                return "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
            return String(scalar)
        }

        // MARK: scanning

        var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        mutating func skipSpaces() {
            while let c = current, c == " " || c == "\t" || c == "\n" || c == "\r" { index += 1 }
        }

        static func isDigit(_ c: Unicode.Scalar) -> Bool { c.value >= 0x30 && c.value <= 0x39 }
        static func isLetter(_ c: Unicode.Scalar) -> Bool {
            (c.value >= 0x41 && c.value <= 0x5A) || (c.value >= 0x61 && c.value <= 0x7A) || c == "_"
        }
        static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
            isLetter(c) || isDigit(c) || c == "-" || c == "."
        }

        func text(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(scalars[range]))
        }

        /// Digits and dots from the current position.
        mutating func scanNumber() -> Range<Int> {
            let start = index
            while let c = current, Self.isDigit(c) || c == "." { index += 1 }
            return start..<index
        }

        mutating func scanName() -> Range<Int> {
            let start = index
            while let c = current, Self.isNameCharacter(c) { index += 1 }
            return start..<index
        }

        /// Whole number for counts (copies, k); `what` names it in errors.
        func count(_ range: Range<Int>, what: String) throws(ScaleError) -> Int {
            let digits = text(range)
            guard !digits.contains("."), let value = Int(digits) else {
                if digits.contains(".") {
                    throw error("\(what) must be a whole number, not '\(digits)'", at: range.lowerBound)
                }
                throw error("\(what) '\(digits)' is too large", at: range.lowerBound, fix: "use at most \(Topology.maxCopies)")
            }
            return value
        }

        mutating func enter(at position: Int) throws(ScaleError) {
            depth += 1
            guard depth <= Topology.maxDepth else {
                throw error("nesting deeper than \(Topology.maxDepth) levels", at: position,
                            fix: "flatten the expression; a * (b * c) is the same as a * b * c")
            }
        }

        mutating func expect(_ symbol: Unicode.Scalar, context: String) throws(ScaleError) {
            skipSpaces()
            guard current == symbol else {
                throw error("expected '\(symbol)' \(context), found \(found(index))", at: index)
            }
            index += 1
        }

        // MARK: grammar

        mutating func parseWhole() throws(ScaleError) -> Topology {
            skipSpaces()
            guard current != nil else {
                throw error("empty expression", at: index, fix: "write a topology such as 'lb=99.99% * (a=99.9% | b=99.9%)'")
            }
            let topology = try parseExpression(after: nil)
            skipSpaces()
            if let c = current {
                if c == ")" {
                    throw error("unexpected ')' with no '(' to close", at: index, fix: "remove it or add the missing '('")
                }
                throw error("expected '*' or '|' between parts, found \(found(index))", at: index,
                            fix: "write * for parts that are all needed, | for parts of which any one suffices")
            }
            return topology
        }

        /// term ('|' term)*
        mutating func parseExpression(after context: String?) throws(ScaleError) -> Topology {
            var parts = [try parseTerm(after: context)]
            while true {
                skipSpaces()
                guard current == "|" else { break }
                index += 1
                parts.append(try parseTerm(after: "'|'"))
            }
            return parts.count == 1 ? parts[0] : .parallel(parts)
        }

        /// factor ('*' factor)*
        mutating func parseTerm(after context: String?) throws(ScaleError) -> Topology {
            var parts = [try parseFactor(after: context)]
            while true {
                skipSpaces()
                guard current == "*" else { break }
                index += 1
                parts.append(try parseFactor(after: "'*'"))
            }
            return parts.count == 1 ? parts[0] : .series(parts)
        }

        mutating func parseFactor(after context: String?) throws(ScaleError) -> Topology {
            skipSpaces()
            let start = index
            guard let c = current else { throw expectedComponent(after: context) }
            if c == "(" {
                try enter(at: start)
                index += 1
                let inner = try parseExpression(after: "'('")
                try expect(")", context: "to close the '(' at column \(start + 1)")
                depth -= 1
                return inner
            }
            if Self.isDigit(c) || c == "." {
                let number = scanNumber()
                if current == "x" {
                    // N x factor: N identical copies, any one suffices.
                    index += 1
                    let n = try count(number, what: "the number of copies")
                    try checkCopies(n, at: start)
                    try enter(at: start)
                    let part = try parseFactor(after: "'\(text(number))x'")
                    depth -= 1
                    return .pool(k: 1, n: n, part)
                }
                if current == "o", index + 1 < scalars.count, scalars[index + 1] == "f" {
                    return try parseKOfN(number: number, start: start)
                }
                index = start
                return .component(try parseFigure(name: nil, figureStart: start, origin: start))
            }
            if Self.isLetter(c) {
                let nameRange = scanName()
                let name = text(nameRange)
                skipSpaces()
                if current == "(" {
                    guard name.lowercased() == "kofn" else {
                        throw error("unknown function '\(name)'", at: start,
                                    fix: "use kofn(k, a, b, …) for k of different parts, or KofN(a) such as 2of3(app=99.9%) for identical copies")
                    }
                    return try parseKOfDifferent(start: start)
                }
                guard current == "=" else {
                    throw error("expected '=' after the name '\(name)', found \(found(index))", at: index,
                                fix: "write \(name)=99.9% or \(name)=mtbf=720h,mttr=30m")
                }
                if name == "mtbf" || name == "mttr" {
                    index = start
                    return .component(try parseFigure(name: nil, figureStart: start, origin: start))
                }
                index += 1
                skipSpaces()
                return .component(try parseFigure(name: name, figureStart: index, origin: start))
            }
            throw expectedComponent(after: context)
        }

        func expectedComponent(after context: String?) -> ScaleError {
            var what = "expected a component"
            if let context { what += " after \(context)" }
            if index < scalars.count {
                what += ", found \(found(index))"
            }
            return error(what, at: index, fix: TopologyExpression.componentFix)
        }

        func checkCopies(_ n: Int, at position: Int) throws(ScaleError) {
            guard n >= 1 else { throw error("a pool needs at least one copy, not \(n)", at: position) }
            guard n <= Topology.maxCopies else {
                throw error("\(n) copies is more than the \(Topology.maxCopies) this model handles", at: position)
            }
        }

        /// K of N '(' expression ')'
        mutating func parseKOfN(number: Range<Int>, start: Int) throws(ScaleError) -> Topology {
            index += 2
            let k = try count(number, what: "k")
            let nRange = scanNumber()
            guard !nRange.isEmpty else {
                throw error("expected the number of copies after '\(text(number))of', found \(found(index))", at: index,
                            fix: "write KofN(part) such as 2of3(app=99.9%)")
            }
            let n = try count(nRange, what: "the number of copies")
            try checkCopies(n, at: nRange.lowerBound)
            guard k >= 1 else {
                throw error("k must be at least 1 in \(k)of\(n)(…)", at: start, fix: "0 of \(n) would always be up; write 1of\(n) or \(n)x")
            }
            guard k <= n else {
                throw error("\(k)of\(n)(…) needs \(k) of only \(n) copies", at: start, fix: "k must be at most n")
            }
            skipSpaces()
            let open = index
            guard current == "(" else {
                throw error("expected '(' after '\(k)of\(n)', found \(found(index))", at: index, fix: "write \(k)of\(n)(part)")
            }
            try enter(at: open)
            index += 1
            let part = try parseExpression(after: "'('")
            try expect(")", context: "to close '\(k)of\(n)(' at column \(open + 1)")
            depth -= 1
            return .pool(k: k, n: n, part)
        }

        /// 'kofn' '(' K (',' expression)+ ')'
        mutating func parseKOfDifferent(start: Int) throws(ScaleError) -> Topology {
            let open = index
            try enter(at: open)
            index += 1
            skipSpaces()
            let kRange = scanNumber()
            guard !kRange.isEmpty else {
                throw error("expected k, the number of parts that must be up, after 'kofn(', found \(found(index))", at: index,
                            fix: "write kofn(k, a, b, …) such as kofn(2, a=99.9%, b=99.9%, c=99.9%)")
            }
            let k = try count(kRange, what: "k")
            guard k >= 1 else {
                throw error("k must be at least 1 in kofn(\(k), …)", at: kRange.lowerBound, fix: "0 parts needed would always be up")
            }
            var parts: [Topology] = []
            while true {
                skipSpaces()
                if current == ")" { index += 1; break }
                guard current == "," else {
                    throw error("expected ',' or ')' in kofn(…), found \(found(index))", at: index,
                                fix: "separate the parts of kofn with commas and close it with ')' (the '(' is at column \(open + 1))")
                }
                index += 1
                parts.append(try parseExpression(after: "','"))
            }
            depth -= 1
            guard !parts.isEmpty else {
                throw error("kofn(\(k)) has no parts", at: start, fix: "write kofn(k, a, b, …)")
            }
            guard k <= parts.count else {
                throw error("kofn(\(k), …) needs \(k) of only \(parts.count) parts", at: kRange.lowerBound, fix: "k must be at most the number of parts")
            }
            return .quorum(k: k, parts)
        }

        /// A ratio, or mtbf=…,mttr=… in either order.
        mutating func parseFigure(name: String?, figureStart: Int, origin: Int) throws(ScaleError) -> Component {
            guard let c = current else { throw expectedComponent(after: name.map { "'\($0)='" }) }
            if Self.isDigit(c) || c == "." {
                let number = scanNumber()
                if current == "%" { index += 1 }
                let range = number.lowerBound..<index
                let figure: UpDown
                do { figure = try RatioText.parse(text(range)) } catch {
                    throw self.error(error.what, at: range.lowerBound, fix: error.fix)
                }
                return Component(name: name, figure: .ratio(figure), source: text(range), origin: "column \(origin + 1)")
            }
            guard Self.isLetter(c) else { throw expectedComponent(after: name.map { "'\($0)='" }) }
            var mtbf: Double?, mttr: Double?
            while true {
                let keyStart = index
                let key = text(scanName())
                guard key == "mtbf" || key == "mttr" else {
                    throw error("expected mtbf= or mttr=, found '\(key)'", at: keyStart, fix: TopologyExpression.componentFix)
                }
                guard current == "=" else { throw error("expected '=' after '\(key)', found \(found(index))", at: index) }
                index += 1
                let valueStart = index
                while let v = current, !(v == " " || v == "\t" || v == "\n" || v == "\r" || v == "*" || v == "|"
                                         || v == ")" || v == "(" || v == ",") { index += 1 }
                let value = text(valueStart..<index)
                let seconds = try duration(value, key: key, at: valueStart)
                // Only the missing key continues a component (below), so none is given twice.
                if key == "mtbf" { mtbf = seconds } else { mttr = seconds }
                // `,mttr=` (the key still missing) continues this component; any other comma
                // belongs to kofn(…), whose next part may be another mtbf=…,mttr=….
                let save = index
                skipSpaces()
                if current == ",", nextIsKey(mtbf == nil ? "mtbf=" : mttr == nil ? "mttr=" : nil) {
                    index += 1
                    skipSpaces()
                    continue
                }
                index = save
                break
            }
            guard let mtbf, let mttr else {
                throw error("\(mtbf == nil ? "mtbf" : "mttr") is missing", at: figureStart,
                            fix: "give both, e.g. mtbf=720h,mttr=30m")
            }
            let source = text(figureStart..<index)
            return Component(name: name, figure: .repair(mtbf: mtbf, mttr: mttr), source: source, origin: "column \(origin + 1)")
        }

        /// After a comma: is the next word `key` (`mtbf=` or `mttr=`)?
        func nextIsKey(_ key: String?) -> Bool {
            guard let key else { return false }
            var j = index + 1
            while j < scalars.count, scalars[j] == " " || scalars[j] == "\t" { j += 1 }
            let keyScalars = Array(key.unicodeScalars)
            return j + keyScalars.count <= scalars.count && Array(scalars[j..<(j + keyScalars.count)]) == keyScalars
        }

        func duration(_ value: String, key: String, at position: Int) throws(ScaleError) -> Double {
            let upper = key.uppercased()
            if value.hasPrefix("-") {
                throw error("\(upper) cannot be negative ('\(value)')", at: position, fix: "write a duration such as 30m")
            }
            guard !value.isEmpty else {
                throw error("expected a duration after '\(key)=', found \(found(position))", at: position, fix: "write a duration such as 720h or 30m")
            }
            let seconds: Double
            do { seconds = try DurationUnits.parse(value) } catch {
                throw self.error("\(key): \(error.what)", at: position, fix: error.fix)
            }
            if key == "mtbf", !(seconds > 0) {
                throw error("MTBF must be more than zero ('\(value)')", at: position, fix: "write the mean time between failures, such as 720h")
            }
            return seconds
        }
    }
}

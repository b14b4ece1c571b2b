public import ScaleCore

/// A targets file: one target per line as `URL [NAME] [KEY=VALUE …]` (`TargetOptions`), `#`
/// starting a comment (at the start of a line or after a space, so a URL's `#fragment` is
/// kept), blank lines ignored. A line
/// that cannot be a target stops the run with its line number: probing a partial list would
/// report a pool healthier than it is.
public enum TargetList {
    /// Longest line accepted; a longer one is binary junk or a mistake, not a URL.
    public static let maxLineBytes = 8 << 10
    public static let maxTargets = 100_000

    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> [ProbeTarget] {
        var targets: [ProbeTarget] = []
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let line = bytes[start..<end]
            start = end + 1
            let location = "\(source):\(lineNumber)"
            guard line.count <= maxLineBytes else {
                throw .input("the line is longer than \(maxLineBytes / 1024) KiB", at: location,
                             fix: "write one URL, an optional name and KEY=VALUE options per line")
            }
            guard let target = try parseLine(line, at: location) else { continue }
            guard targets.count < maxTargets else {
                throw .input("more than \(maxTargets) targets", at: location, fix: "split the list and probe it in parts")
            }
            targets.append(target)
        }
        return targets
    }

    static func parseLine(_ line: ArraySlice<UInt8>, at location: String) throws(ScaleError) -> ProbeTarget? {
        var content = line
        if content.last == UInt8(ascii: "\r") { content = content.dropLast() }
        let words = try words(content, at: location)
        guard let url = words.first else { return nil }
        // A NAME is the word after the URL when it has no '='; every later word is KEY=VALUE.
        let name = words.count > 1 && !words[1].isEmpty && !words[1].contains("=") ? words[1] : nil
        var target: ProbeTarget
        do {
            target = try ProbeTarget(url: url, name: name)
        } catch {
            throw ScaleError(.input, error.what, at: location, fix: error.fix)
        }
        let optionWords = words.dropFirst(name == nil ? 1 : 2)
        for (number, word) in zip((name == nil ? 2 : 3)..., optionWords) {
            // The word itself is not shown: an unquoted 'Authorization: Bearer …' splits into words.
            guard let equals = word.firstIndex(of: "=") else {
                throw .input("word \(number) is not KEY=VALUE (only the URL and a NAME come without '=')", at: location,
                             fix: "quote a value that has blanks, e.g. header='Authorization: Bearer …'")
            }
            try target.options.set(String(word[..<equals]), String(word[word.index(after: equals)...]), kind: target.kind, at: location)
        }
        return target
    }

    /// The words of a line, split at blanks, up to a `#` that starts a word outside quotes (a
    /// comment; a URL's `#fragment` is kept). The URL, the first word, is taken as written. In
    /// the words after it `'…'` keeps every character as it is, and `"…"` too except that `\"`
    /// and `\\` stand for `"` and `\`; outside quotes a backslash is an ordinary character, so
    /// `expect-body=\d+` is the regular expression `\d+`.
    static func words(_ content: ArraySlice<UInt8>, at location: String) throws(ScaleError) -> [String] {
        let blank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        let single = UInt8(ascii: "'"), double = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        var words: [String] = []
        var i = content.startIndex
        while true {
            while i < content.endIndex, blank(content[i]) { i += 1 }
            guard i < content.endIndex, content[i] != UInt8(ascii: "#") else { break }
            let quoting = !words.isEmpty
            var word: [UInt8] = []
            var quote: UInt8?
            while i < content.endIndex {
                let byte = content[i]
                if (byte < 0x20 && byte != UInt8(ascii: "\t")) || byte == 0x7F {
                    throw .input("the line contains the control byte 0x\(String(byte, radix: 16, uppercase: true))", at: location,
                                 fix: "a targets file is text: one URL, an optional name and KEY=VALUE options per line")
                }
                if let open = quote {
                    if byte == open {
                        quote = nil
                    } else if open == double, byte == backslash, i + 1 < content.endIndex,
                              content[i + 1] == double || content[i + 1] == backslash {
                        i += 1
                        word.append(content[i])
                    } else {
                        word.append(byte)
                    }
                } else if blank(byte) {
                    break
                } else if quoting, byte == single || byte == double {
                    quote = byte
                } else {
                    word.append(byte)
                }
                i += 1
            }
            if let quote {
                throw .input("a \(quote == single ? "'" : "\"") quote is not closed", at: location,
                             fix: "close the quote on the same line")
            }
            guard let text = String(validating: word, as: UTF8.self) else {
                throw .input("the line is not valid UTF-8", at: location, fix: "save the file as UTF-8 text")
            }
            words.append(text)
        }
        return words
    }

    /// The targets with later repeats of a check removed (probing one endpoint twice at once
    /// measures nothing new and doubles its load), and the repeats that were dropped. A check is
    /// a URL with its options: one URL listed with different options is probed for each.
    public static func deduplicated(_ targets: [ProbeTarget]) -> (unique: [ProbeTarget], repeats: [ProbeTarget]) {
        struct Check: Hashable { var url: String, options: TargetOptions }
        var seen = Set<Check>()
        var unique: [ProbeTarget] = []
        var repeats: [ProbeTarget] = []
        for target in targets {
            if seen.insert(Check(url: target.url, options: target.options)).inserted { unique.append(target) } else { repeats.append(target) }
        }
        return (unique, repeats)
    }

    /// The label two different checks share, if any: their results could not be told apart
    /// (and prometheus would get one series twice).
    public static func sharedLabel(_ targets: [ProbeTarget]) -> String? {
        var seen = Set<[String]>()
        // Two names for one URL are fine; one label on two checks of a URL is not.
        for target in targets where !seen.insert([target.label, target.url]).inserted { return target.label }
        return nil
    }
}

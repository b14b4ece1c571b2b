public import ScaleCore

/// A targets file: one target per line as `URL [NAME]`, `#` starting a comment (at the start
/// of a line or after a space, so a URL's `#fragment` is kept), blank lines ignored. A line
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
                             fix: "write one URL and an optional name per line")
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
        // Comments: '#' at the start or after a blank; a '#' inside a URL is a fragment.
        var previousBlank = true
        for index in content.indices {
            let byte = content[index]
            if byte == UInt8(ascii: "#") && previousBlank {
                content = content[..<index]
                break
            }
            previousBlank = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
        }
        if let bad = content.first(where: { ($0 < 0x20 && $0 != UInt8(ascii: "\t")) || $0 == 0x7F }) {
            throw .input("the line contains the control byte 0x\(String(bad, radix: 16, uppercase: true))", at: location,
                         fix: "a targets file is text: one URL and an optional name per line")
        }
        guard let text = String(validating: content, as: UTF8.self) else {
            throw .input("the line is not valid UTF-8", at: location, fix: "save the file as UTF-8 text")
        }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if words.isEmpty { return nil }
        guard words.count <= 2 else {
            throw .input("expected 'URL [NAME]' but found \(words.count) words", at: location,
                         fix: "put one target per line, with a name without spaces after the URL")
        }
        do {
            return try ProbeTarget(url: String(words[0]), name: words.count == 2 ? String(words[1]) : nil)
        } catch {
            throw ScaleError(.input, error.what, at: location, fix: error.fix)
        }
    }

    /// The targets with later repeats of a URL removed (probing one endpoint twice at once
    /// measures nothing new and doubles its load), and the repeats that were dropped.
    public static func deduplicated(_ targets: [ProbeTarget]) -> (unique: [ProbeTarget], repeats: [ProbeTarget]) {
        var seen = Set<String>()
        var unique: [ProbeTarget] = []
        var repeats: [ProbeTarget] = []
        for target in targets {
            if seen.insert(target.url).inserted { unique.append(target) } else { repeats.append(target) }
        }
        return (unique, repeats)
    }
}

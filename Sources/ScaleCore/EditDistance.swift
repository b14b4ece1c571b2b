/// "Did you mean …?" for mistyped commands, options and values: the closest candidate by
/// Levenshtein distance, if it is close enough to be a typo rather than a different word.
public enum EditDistance {
    public static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    /// Over any elements: CacheAudit compares Cache-Control directive names byte by byte.
    @inlinable
    public static func distance<Element: Equatable>(_ a: [Element], _ b: [Element]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// The nearest candidate within a third of the word's length (at least 2 edits), or a
    /// candidate the word is a prefix of.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let best = candidates
            .map { (candidate: $0, distance: distance(word, $0)) }
            .min { $0.distance < $1.distance }
        if let best, best.distance <= limit { return best.candidate }
        if word.count >= 3 { return candidates.first { $0.hasPrefix(word) } }
        return nil
    }
}

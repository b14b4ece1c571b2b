import ScaleCore

/// The Cache-Control directive names a response may carry, the ones it should not, and what a
/// near miss probably meant: the syntax checks and `cache explain` read the same lists.
enum DirectiveNames {
    /// Directives a response may carry (RFC 9111 §5.2.2, RFC 5861, RFC 8246).
    static let response: Set<String> = [
        "max-age", "s-maxage", "no-cache", "no-store", "no-transform", "public", "private", "must-revalidate",
        "proxy-revalidate", "must-understand", "immutable", "stale-while-revalidate", "stale-if-error",
    ]
    static let noArgument: Set<String> = ["no-store", "no-transform", "public", "must-revalidate", "proxy-revalidate", "must-understand", "immutable"]
    /// Directives whose argument is delta-seconds, in the order CACHE026 lists them.
    static let delta = ["max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"]
    static let requestOnly: Set<String> = ["max-stale", "min-fresh", "only-if-cached"]
    static let ieOnly: Set<String> = ["pre-check", "post-check"]

    /// A directive name that is probably a misspelt known one: equal once `-`, `_` and anything
    /// from `:` on are dropped, or within two edits of a known name of five letters or more.
    static func likelyTypo(_ name: String) -> String? {
        func squash(_ s: String) -> String {
            let head = s.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? s
            return String(head.filter { $0 != "-" && $0 != "_" })
        }
        let squashed = squash(name)
        let candidates = response.sorted()
        if let match = candidates.first(where: { squash($0) == squashed }) { return match }
        // Bytes, not characters: a name is whatever bytes the sender put before '='.
        let best = candidates.map { ($0, EditDistance.distance(Array(name.utf8), Array($0.utf8))) }.min { $0.1 < $1.1 }
        if let (match, distance) = best, distance <= 2, name.count >= 5 { return match }
        return nil
    }
}

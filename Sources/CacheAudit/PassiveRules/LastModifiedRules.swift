/// What Last-Modified implies: the heuristic lifetime caches derive from it, and a value later
/// than Date that no heuristic can use (CACHE036-037).
enum LastModifiedRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields
        if c.browser.lifetimeSource == .heuristic {
            out.append(Finding(.heuristicLifetime, "N = \(c.browser.lifetime ?? 0) s"))
        }
        let dateOrReceipt = f.date.seconds ?? c.exchange.receivedAt
        if let modified = f.lastModified.seconds, modified > dateOrReceipt {
            out.append(Finding(.lastModifiedAfterDate, "by \(modified - dateOrReceipt)s"))
        }
        return out
    }
}

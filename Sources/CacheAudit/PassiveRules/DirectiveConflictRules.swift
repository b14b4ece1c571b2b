/// Directives that cancel each other, or that caches read otherwise than written: public with
/// private, anything beside no-store, must-understand alone, qualified private/no-cache
/// (CACHE009-012).
enum DirectiveConflictRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let cc = c.cacheControl
        if cc.has("public"), cc.has("private") { out.append(Finding(.publicAndPrivate)) }
        // Beside a no-store that must-understand overrides, the other directives are what count.
        if c.noStore {
            let inert = cc.directives.filter { $0.name != "no-store" && $0.name != "must-understand" }.map(\.text)
            if !inert.isEmpty { out.append(Finding(.inertBesideNoStore, inert.joined(separator: ", "))) }
        }
        if cc.has("must-understand"), !cc.has("no-store") { out.append(Finding(.mustUnderstandWithoutNoStore)) }
        for d in cc.directives where (d.name == "private" || d.name == "no-cache") && d.argument != nil {
            out.append(Finding(.qualifiedPrivateOrNoCache, d.text))
        }
        return out
    }
}

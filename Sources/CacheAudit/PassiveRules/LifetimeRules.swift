/// How long each cache keeps the response fresh, and what makes that lifetime useless or
/// unreadable: stale on arrival, no-cache, Expires ignored or invalid, overflow (CACHE020-026).
enum LifetimeRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields, cc = c.cacheControl, browser = c.browser
        if c.anyStorable {
            let parts = c.verdicts.map { v in "\(v.cacheClass.rawValue) " + (v.storable ? "\(v.lifetime ?? 0)s" : "not stored") }
            out.append(Finding(.freshnessSummary, parts.joined(separator: ", ") + "; age \(browser.currentAge)s"))
        }
        let staleOnArrival = browser.storable && browser.lifetime == 0
            && [LifetimeSource.maxAge, .expires, .expiresInvalid].contains(browser.lifetimeSource)
        if staleOnArrival, !f.hasValidator { out.append(Finding(.staleOnArrival)) }
        if cc.has("no-cache"), !c.noStore, !f.hasValidator { out.append(Finding(.noCacheWithoutValidator)) }
        if cc.has("no-cache"), !c.noStore { out.append(Finding(.noCacheRevalidates)) }
        if f.expires.isPresent, cc.has("max-age") || cc.has("s-maxage") {
            out.append(Finding(.expiresIgnored, cc.has("max-age") ? "max-age present" : "s-maxage present (shared caches)"))
        }
        if case .invalid(let text) = f.expires { out.append(Finding(.invalidExpires, "Expires: \(text)")) }
        var huge: [String] = []
        for name in DirectiveNames.delta {
            if case .valid(_, clamped: true)? = cc.delta(name) { huge.append("\(name)=\(cc.first(name)?.argument ?? "")") }
        }
        if let expires = f.expires.seconds, expires >= DeltaSeconds.maximum { huge.append("Expires after 2038-01-19") }
        if !huge.isEmpty { out.append(Finding(.lifetimeOverflow, huge.joined(separator: ", "))) }
        return out
    }
}

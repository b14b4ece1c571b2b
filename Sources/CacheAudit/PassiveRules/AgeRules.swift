/// What Age says: stale before it arrived, served from a cache, or unreadable (CACHE038-040).
enum AgeRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields, shared = c.shared
        let initialAge = Freshness.initialAge(c.exchange, f)
        if f.age.seconds != nil, shared.storable, let lifetime = shared.lifetime, lifetime > 0, initialAge >= lifetime {
            out.append(Finding(.staleOnReceipt, "age \(initialAge)s >= shared lifetime \(lifetime)s"))
        }
        if f.age.seconds != nil { out.append(Finding(.servedFromCache, "N = \(c.browser.currentAge) s")) }
        switch f.age {
        case .invalid(let text): out.append(Finding(.invalidAge, "Age: \(text)"))
        case .valid(_, listed: true): out.append(Finding(.invalidAge, "Age is a list; the first member is used"))
        default: break
        }
        return out
    }
}

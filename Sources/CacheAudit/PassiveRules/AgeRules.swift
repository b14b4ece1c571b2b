/// What Age says: stale before it arrived, served from a cache, or unreadable (CACHE038-040).
enum AgeRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields
        let initialAge = Freshness.initialAge(c.exchange, f)
        // Each class against its own lifetime: an Age earned under a CDN's or a shared cache's
        // longer lifetime can leave the browser stale on arrival (RFC 9213 §2.3).
        let staleClasses = c.verdicts.compactMap { v -> String? in
            guard v.storable, let lifetime = v.lifetime, lifetime > 0, initialAge >= lifetime else { return nil }
            return "\(v.cacheClass.rawValue) lifetime \(lifetime)s"
        }
        if f.age.seconds != nil, !staleClasses.isEmpty {
            out.append(Finding(.staleOnReceipt, "age \(initialAge)s >= " + staleClasses.joined(separator: ", ")))
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

/// Which caches may store the response, and what keeps the others from it (CACHE001-008).
enum StorabilityRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let x = c.exchange, f = c.fields, cc = c.cacheControl
        let method = x.method.uppercased()
        let hasAuthorization = x.requestHeaders.has("authorization")
        let heuristicStatus = Freshness.heuristicallyCacheable.contains(x.status)
        if method != "GET" && method != "HEAD" { out.append(Finding(.methodNotCacheable, "method \(method)")) }
        // A CDN obeying CDN-Cache-Control may store it anyway; CACHE080 then says so.
        if c.noStore, !c.anyStorable { out.append(Finding(.noStore)) }
        if let p = cc.first("private") { out.append(Finding(.privateResponse, p.text)) }
        if hasAuthorization {
            out.append(Finding(.authorizedRequest, c.shared.storable ? "shared caches may store it" : "shared caches will not store it"))
        }
        // §3: private lets a browser store any status, s-maxage or CDN-Cache-Control lets shared
        // caches; the finding names the classes the status keeps out when others store it.
        let refused = c.verdicts.filter { $0.reason == Freshness.statusRefusal(x.status) }
        if !refused.isEmpty {
            let storing = c.verdicts.filter(\.storable)
            var detail = "status \(x.status)"
            if !storing.isEmpty {
                let names = storing.map(\.cacheClass.rawValue).joined(separator: ", ")
                let noLifetime = storing.allSatisfy { $0.lifetimeSource == LifetimeSource.none }
                detail += "; only \(names) \(storing.count == 1 ? "stores" : "store") it" + (noLifetime ? ", with no lifetime (stale at once)" : "")
            }
            out.append(Finding(.statusNotStorable, detail))
        }
        // §4.2.2: heuristics only for heuristically cacheable statuses or public responses.
        let heuristicAllowed = heuristicStatus || cc.has("public")
        if heuristicAllowed, c.anyStorable, !f.hasExplicitFreshness, !cc.has("no-cache"), f.usableCDNCacheControl == nil {
            out.append(Finding(.noExplicitFreshness, heuristicStatus ? "" : "status \(x.status): public permits a heuristic lifetime"))
        }
        if f.hasSetCookie, c.sharedStorable { out.append(Finding(.setCookieOnSharedResponse)) }
        if cc.has("public"), !hasAuthorization, f.hasExplicitFreshness { out.append(Finding(.publicUnnecessary)) }
        return out
    }
}

/// Which caches may store the response, and what keeps the others from it (CACHE001-008).
enum StorabilityRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let x = c.exchange, f = c.fields, cc = c.cacheControl
        let method = x.method.uppercased()
        let hasAuthorization = x.requestHeaders.has("authorization")
        let heuristicStatus = Freshness.heuristicallyCacheable.contains(x.status)
        if method != "GET" && method != "HEAD" { out.append(Finding(.methodNotCacheable, "method \(method)")) }
        if c.noStore { out.append(Finding(.noStore)) }
        if let p = cc.first("private") { out.append(Finding(.privateResponse, p.text)) }
        if hasAuthorization {
            out.append(Finding(.authorizedRequest, c.shared.storable ? "shared caches may store it" : "shared caches will not store it"))
        }
        if !heuristicStatus, x.status >= 200, x.status != 304, !f.hasExplicitFreshness, !cc.has("public"), !c.noStore {
            out.append(Finding(.statusNotStorable, "status \(x.status)"))
        }
        if heuristicStatus, c.anyStorable, !f.hasExplicitFreshness, !cc.has("no-cache"), f.usableCDNCacheControl == nil {
            out.append(Finding(.noExplicitFreshness))
        }
        if f.hasSetCookie, c.sharedStorable { out.append(Finding(.setCookieOnSharedResponse)) }
        if cc.has("public"), !hasAuthorization, f.hasExplicitFreshness { out.append(Finding(.publicUnnecessary)) }
        return out
    }
}

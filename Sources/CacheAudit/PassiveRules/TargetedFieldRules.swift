/// The RFC 9213 targeted fields, CDN-Cache-Control and Cloudflare's own: present, and whether a
/// CDN can read them or falls back to Cache-Control (CACHE080-082).
enum TargetedFieldRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields
        if let cdnField = f.cdnCacheControl {
            if f.usableCDNCacheControl != nil {
                var detail = c.cdn.storable ? "N = \(c.cdn.lifetime ?? 0) s" : "CDNs will not store it"
                if c.cdn.storable, c.noStore { detail += "; Cache-Control no-store still keeps browsers and shared caches out" }
                out.append(Finding(.cdnCacheControl, detail))
            } else {
                out.append(Finding(.invalidTargetedField, "CDN-Cache-Control: " + problem(cdnField)))
            }
        }
        if let cloudflare = f.cloudflareCDNCacheControl {
            out.append(Finding(.cloudflareCDNCacheControl))
            if case .success(let d) = cloudflare, CDNDirectives.typeProblem(d) == nil {} else {
                out.append(Finding(.invalidTargetedField, "Cloudflare-CDN-Cache-Control: " + problem(cloudflare)))
            }
        }
        return out
    }

    static func problem(_ parsed: Result<StructuredDictionary, StructuredDictionary.ParseError>) -> String {
        switch parsed {
        case .failure(let error): return "not a Dictionary (\(error.message) at byte \(error.offset))"
        case .success(let d):
            if d.members.isEmpty { return "empty" }
            return CDNDirectives.typeProblem(d) ?? "unusable"
        }
    }
}

/// Directives for shared caches only: a different lifetime from browsers', or none at all
/// beside private (CACHE030-031).
enum SharedLifetimeRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let cc = c.cacheControl
        if let s = cc.first("s-maxage"), cc.first("max-age")?.argument != s.argument {
            out.append(Finding(.sharedLifetimeDiffers, "browser \(c.browser.lifetime.map { "\($0)s" } ?? "-"), shared \(c.shared.lifetime.map { "\($0)s" } ?? "-")"))
        }
        if cc.has("private"), cc.has("s-maxage") || cc.has("proxy-revalidate") {
            out.append(Finding(.sharedDirectiveOnPrivate, cc.directives.filter { $0.name == "s-maxage" || $0.name == "proxy-revalidate" }.map(\.text).joined(separator: ", ")))
        }
        return out
    }
}

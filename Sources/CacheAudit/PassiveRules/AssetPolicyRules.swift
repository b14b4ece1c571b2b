/// Lifetimes judged by what the URL or Content-Type says the response is: a fingerprinted asset,
/// an HTML page, a static asset (CACHE090-092).
enum AssetPolicyRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields, cc = c.cacheControl, browser = c.browser
        let lifetime = browser.lifetime ?? 0
        let path = c.exchange.url.map(URLPath.path) ?? ""
        let fingerprinted = URLPath.isFingerprintedAsset(path: path, contentType: f.contentType)
        if fingerprinted, browser.storable, lifetime < PassiveChecks.year || !cc.has("immutable") {
            out.append(Finding(.fingerprintedShortLifetime, "\(path): lifetime \(lifetime)s\(cc.has("immutable") ? "" : ", no immutable")"))
        }
        let isHTML = f.contentType.map { $0.asciiLowercased.hasPrefix("text/html") } ?? false
        if isHTML, !fingerprinted, browser.storable, !browser.revalidateEachUse, lifetime > PassiveChecks.day {
            out.append(Finding(.longLifetimeOnHTML, "browser lifetime \(lifetime)s"))
        }
        if URLPath.isStaticAsset(path: path, contentType: f.contentType), !c.noStore,
           !browser.storable || browser.lifetimeSource == .heuristic || browser.lifetimeSource == LifetimeSource.none || lifetime < PassiveChecks.day {
            out.append(Finding(.staticAssetShortLifetime, "browser lifetime \(lifetime)s"))
        }
        return out
    }
}

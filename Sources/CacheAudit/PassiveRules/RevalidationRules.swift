/// When caches must revalidate, may serve stale meanwhile, or may skip it: must-revalidate and
/// its kin, stale windows, immutable (CACHE032-035).
enum RevalidationRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let cc = c.cacheControl, browser = c.browser
        if cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage") {
            out.append(Finding(.noStaleServing, cc.directives.filter { ["must-revalidate", "proxy-revalidate", "s-maxage"].contains($0.name) }.map(\.name).joined(separator: ", ")))
        }
        let staleDirectives = cc.directives.filter { $0.name == "stale-while-revalidate" || $0.name == "stale-if-error" }
        if cc.has("must-revalidate"), !staleDirectives.isEmpty {
            out.append(Finding(.mustRevalidateWithStaleWindow, staleDirectives.map(\.text).joined(separator: ", ")))
        }
        if !staleDirectives.isEmpty { out.append(Finding(.staleWindow, staleDirectives.map(\.text).joined(separator: " / "))) }
        // Not stored (no-store), immutable is only inert, which CACHE010 says.
        if cc.has("immutable"), browser.storable, (browser.lifetime ?? 0) < PassiveChecks.day || browser.lifetimeSource == .heuristic {
            out.append(Finding(.immutableShortLifetime, "browser lifetime \(browser.lifetime ?? 0)s"))
        }
        return out
    }
}

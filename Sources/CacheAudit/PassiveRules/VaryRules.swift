/// Vary values that stop stored copies from matching later requests or split them into too many
/// variants (CACHE060-064).
enum VaryRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let vary = c.fields.vary
        if vary.contains("*") { out.append(Finding(.varyStar)) }
        if vary.contains("user-agent") { out.append(Finding(.varyUserAgent)) }
        if c.sharedStorable, let name = vary.first(where: { $0 == "cookie" || $0 == "authorization" }) {
            out.append(Finding(.varyCookieOrAuthorization, "Vary: \(name)"))
        }
        if vary.contains("host") { out.append(Finding(.varyHost)) }
        if vary.count > 3 || Set(vary).count != vary.count {
            out.append(Finding(.varyTooComplex, "Vary: " + vary.joined(separator: ", ")))
        }
        return out
    }
}

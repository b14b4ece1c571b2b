/// Leftovers that no current cache acts on: Pragma: no-cache, Internet Explorer's pre-check and
/// post-check, the obsolete Warning field (CACHE074-076).
enum LegacyRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        if c.fields.pragma.has("no-cache") { out.append(Finding(.pragmaNoCache)) }
        let ie = c.cacheControl.directives.filter { DirectiveNames.ieOnly.contains($0.name) }
        if !ie.isEmpty { out.append(Finding(.ieOnlyDirective, ie.map(\.text).joined(separator: ", "))) }
        if c.exchange.headers.has("warning") { out.append(Finding(.warningField)) }
        return out
    }
}

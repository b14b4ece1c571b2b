import ScaleCore

/// Directive names some caches will not recognise: miscased, given an argument they do not take,
/// misspelt, or meant for requests (CACHE070-073).
enum DirectiveSyntaxRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let directives = c.cacheControl.directives
        for d in directives where d.rawName != d.name { out.append(Finding(.directiveNotLowercase, d.rawName)) }
        for d in directives where DirectiveNames.noArgument.contains(d.name) && d.argument != nil { out.append(Finding(.argumentNotAllowed, d.text)) }
        for d in directives where !DirectiveNames.response.contains(d.name) && !DirectiveNames.requestOnly.contains(d.name) && !DirectiveNames.ieOnly.contains(d.name) {
            if let meant = DirectiveNames.likelyTypo(d.name) {
                out.append(Finding(.misspeltDirective, "\(d.text) (did you mean \(meant)?)"))
            } else if let bad = d.malformation, !d.rawName.utf8.allSatisfy(HTTPToken.isTokenByte) {
                // `no-store junk`: no cache can read a name with spaces in it, so none obeys it.
                let first = d.name.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
                let hint = DirectiveNames.response.contains(first) ? " (a missing comma?)" : ""
                out.append(Finding(.misspeltDirective, "\(bad.sent): not a directive name\(hint); caches ignore it"))
            }
        }
        for d in directives where DirectiveNames.requestOnly.contains(d.name) { out.append(Finding(.requestOnlyDirective, d.text)) }
        return out
    }
}

/// Directive arguments caches may read differently: invalid or quoted delta-seconds, and a
/// directive (or Expires) repeated with another value (CACHE027-029).
enum DirectiveValueRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let cc = c.cacheControl
        // One finding per directive, in the order sent, so 027 and 028 may interleave.
        for d in cc.directives where DirectiveNames.delta.contains(d.name) {
            if case .invalid(let why) = DeltaSeconds.parse(d.argument) {
                out.append(Finding(.invalidDeltaSeconds, "\(d.malformation?.sent ?? d.text): \(why)"))
            } else if let bad = d.malformation, let seconds = DeltaSeconds.parse(d.argument).seconds {
                // The verdicts take the lenient reading; a strict parser finds no valid value (§4.2.1).
                out.append(Finding(.invalidDeltaSeconds, "\(bad.sent): \(bad.problem); read as \(d.name)=\(seconds) here and by lenient caches, strict ones see no valid \(d.name)"))
            } else if d.quoted {
                out.append(Finding(.quotedDeltaSeconds, d.text))
            }
        }
        var seen: [String: String?] = [:]
        var repeated: [String] = []
        for d in cc.directives {
            if let earlier = seen[d.name] {
                if earlier != d.argument, !repeated.contains(d.name) { repeated.append(d.name) }
            } else {
                seen[d.name] = d.argument
            }
        }
        if c.fields.expiresConflict { repeated.append("Expires") }
        if !repeated.isEmpty { out.append(Finding(.repeatedDirective, repeated.joined(separator: ", "))) }
        return out
    }
}

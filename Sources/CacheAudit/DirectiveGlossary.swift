/// One sentence per directive for `cache explain`.
public enum DirectiveGlossary {
    public static func meaning(_ d: Directive) -> String {
        let seconds = DeltaSeconds.parse(d.argument).seconds.map { "\($0) s" } ?? "an invalid time (treated as stale)"
        switch d.name {
        case "max-age": return "fresh for \(seconds) in every cache (shared caches prefer s-maxage)"
        case "s-maxage": return "shared caches and CDNs: fresh for \(seconds), then no stale serving; browsers ignore it"
        case "no-cache": return d.argument == nil ? "may be stored, but every reuse must be revalidated with the origin" : "the listed fields must not be reused without revalidation (most caches treat it as plain no-cache)"
        case "no-store": return "no cache may store any part of the response"
        case "private": return d.argument == nil ? "only the browser may store it; shared caches and CDNs must not" : "the listed fields are for the browser only (most caches treat it as plain private)"
        case "public": return "any cache may store it, even with Authorization or a status not cacheable by default"
        case "must-revalidate": return "once stale, every cache must revalidate before reuse; no stale serving, even on errors"
        case "proxy-revalidate": return "like must-revalidate, for shared caches only"
        case "must-understand": return "store only if the cache understands the status code's caching rules, and then ignore no-store"
        case "no-transform": return "intermediaries must not change the content (recompress, transcode)"
        case "immutable": return "while fresh, browsers need not revalidate even on reload"
        case "stale-while-revalidate": return "after expiry, may be served stale for \(seconds) while revalidated in the background"
        case "stale-if-error": return "after expiry, shared caches may serve it stale for \(seconds) when the origin errors"
        case "max-stale", "min-fresh", "only-if-cached": return "a request directive; it means nothing in a response"
        case "pre-check", "post-check": return "Internet Explorer only; ignored everywhere else"
        default: return DirectiveNames.likelyTypo(d.name).map { "unknown; did you mean \($0)?" } ?? "unknown extension: caches that do not implement it ignore it"
        }
    }
}

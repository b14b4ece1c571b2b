/// Whether a stored copy can be revalidated cheaply: a validator at all, a well-formed ETag, a
/// weak one (CACHE050-052).
enum ValidatorRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let f = c.fields
        if c.anyStorable, !f.hasValidator { out.append(Finding(.noValidator)) }
        if let etag = f.etag {
            if !etag.valid { out.append(Finding(.invalidETag, "ETag: \(etag.raw)")) }
            else if etag.weak { out.append(Finding(.weakETag, etag.raw)) }
        }
        return out
    }
}

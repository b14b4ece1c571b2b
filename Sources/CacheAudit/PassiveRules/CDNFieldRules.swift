/// Fields that show which CDN handled the response and how: Fastly's Surrogate-Control, purge
/// tags, Akamai's Edge-Control, CloudFront, cache status reports (CACHE083-087).
enum CDNFieldRules {
    /// X-Varnish (one id on a miss, two on a hit) and nginx's conventional X-Cache-Status say the same.
    static let statusFields = ["cache-status", "x-cache", "cf-cache-status", "x-cache-status", "x-varnish"]

    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let headers = c.exchange.headers
        if c.fields.surrogateControl != nil { out.append(Finding(.surrogateControl)) }
        if headers.has("surrogate-key") || headers.has("cache-tag") { out.append(Finding(.purgeTags)) }
        if c.fields.edgeControl != nil { out.append(Finding(.edgeControl)) }
        // The vendor row's detection: X-Amz-Cf-Id, X-Amz-Cf-Pop or a Via naming CloudFront.
        if c.vendors.contains(.cloudfront) { out.append(Finding(.cloudFront)) }
        let reported = statusFields.filter { headers.has($0) }
        if !reported.isEmpty {
            out.append(Finding(.cacheStatusReported, reported.map { "\($0): \(headers.values($0).joined(separator: ", "))" }.joined(separator: "; ")))
        }
        return out
    }
}

/// The passive checks of the catalogue: each looks at one response and its verdicts.
enum PassiveChecks {
    static let day: Int64 = 86_400
    static let year: Int64 = 31_536_000

    static func run(_ audit: ResponseAudit) -> [Finding] {
        var out: [Finding] = []
        let x = audit.exchange, f = audit.fields, cc = f.cacheControl
        let browser = audit.verdict(.browser), shared = audit.verdict(.shared), cdn = audit.verdict(.cdn)
        let anyStorable = audit.verdicts.contains { $0.storable }
        let sharedStorable = shared.storable || cdn.storable
        let method = x.method.uppercased()
        let hasAuthorization = x.requestHeaders.has("authorization")
        let heuristicStatus = Freshness.heuristicallyCacheable.contains(x.status)

        // Storage.
        if method != "GET" && method != "HEAD" { out.append(Finding(.methodNotCacheable, "method \(method)")) }
        if cc.has("no-store") { out.append(Finding(.noStore)) }
        if let p = cc.first("private") { out.append(Finding(.privateResponse, p.text)) }
        if hasAuthorization {
            out.append(Finding(.authorizedRequest, shared.storable ? "shared caches may store it" : "shared caches will not store it"))
        }
        if !heuristicStatus, x.status >= 200, x.status != 304, !f.hasExplicitFreshness, !cc.has("public"), !cc.has("no-store") {
            out.append(Finding(.statusNotStorable, "status \(x.status)"))
        }
        if heuristicStatus, anyStorable, !f.hasExplicitFreshness, !cc.has("no-cache"), f.usableCDNCacheControl == nil {
            out.append(Finding(.noExplicitFreshness))
        }
        if f.hasSetCookie, sharedStorable { out.append(Finding(.setCookieOnSharedResponse)) }
        if cc.has("public"), !hasAuthorization, f.hasExplicitFreshness { out.append(Finding(.publicUnnecessary)) }
        if cc.has("public"), cc.has("private") { out.append(Finding(.publicAndPrivate)) }
        if cc.has("no-store") {
            let inert = cc.directives.filter { $0.name != "no-store" && $0.name != "must-understand" }.map(\.text)
            if !inert.isEmpty { out.append(Finding(.inertBesideNoStore, inert.joined(separator: ", "))) }
        }
        if cc.has("must-understand"), !cc.has("no-store") { out.append(Finding(.mustUnderstandWithoutNoStore)) }
        for d in cc.directives where (d.name == "private" || d.name == "no-cache") && d.argument != nil {
            out.append(Finding(.qualifiedPrivateOrNoCache, d.text))
        }

        // Freshness.
        if anyStorable {
            let parts = audit.verdicts.map { v in "\(v.cacheClass.rawValue) " + (v.storable ? "\(v.lifetime ?? 0)s" : "not stored") }
            out.append(Finding(.freshnessSummary, parts.joined(separator: ", ") + "; age \(browser.currentAge)s"))
        }
        let staleOnArrival = browser.storable && browser.lifetime == 0
            && [LifetimeSource.maxAge, .expires, .expiresInvalid].contains(browser.lifetimeSource)
        if staleOnArrival, !f.hasValidator { out.append(Finding(.staleOnArrival)) }
        if cc.has("no-cache"), !cc.has("no-store"), !f.hasValidator { out.append(Finding(.noCacheWithoutValidator)) }
        if cc.has("no-cache"), !cc.has("no-store") { out.append(Finding(.noCacheRevalidates)) }
        if f.expires.isPresent, cc.has("max-age") || cc.has("s-maxage") {
            out.append(Finding(.expiresIgnored, cc.has("max-age") ? "max-age present" : "s-maxage present (shared caches)"))
        }
        if case .invalid(let text) = f.expires { out.append(Finding(.invalidExpires, "Expires: \(text)")) }
        var huge: [String] = []
        for name in DirectiveNames.delta {
            if case .valid(_, clamped: true)? = cc.delta(name) { huge.append("\(name)=\(cc.first(name)?.argument ?? "")") }
        }
        if let expires = f.expires.seconds, expires >= DeltaSeconds.maximum { huge.append("Expires after 2038-01-19") }
        if !huge.isEmpty { out.append(Finding(.lifetimeOverflow, huge.joined(separator: ", "))) }
        for d in cc.directives where DirectiveNames.delta.contains(d.name) {
            if case .invalid(let why) = DeltaSeconds.parse(d.argument) { out.append(Finding(.invalidDeltaSeconds, "\(d.text): \(why)")) }
            else if d.quoted { out.append(Finding(.quotedDeltaSeconds, d.text)) }
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
        if f.expiresConflict { repeated.append("Expires") }
        if !repeated.isEmpty { out.append(Finding(.repeatedDirective, repeated.joined(separator: ", "))) }
        if let s = cc.first("s-maxage"), cc.first("max-age")?.argument != s.argument {
            out.append(Finding(.sharedLifetimeDiffers, "browser \(browser.lifetime.map { "\($0)s" } ?? "-"), shared \(shared.lifetime.map { "\($0)s" } ?? "-")"))
        }
        if cc.has("private"), cc.has("s-maxage") || cc.has("proxy-revalidate") {
            out.append(Finding(.sharedDirectiveOnPrivate, cc.directives.filter { $0.name == "s-maxage" || $0.name == "proxy-revalidate" }.map(\.text).joined(separator: ", ")))
        }
        if cc.has("must-revalidate") || cc.has("proxy-revalidate") || cc.has("s-maxage") {
            out.append(Finding(.noStaleServing, cc.directives.filter { ["must-revalidate", "proxy-revalidate", "s-maxage"].contains($0.name) }.map(\.name).joined(separator: ", ")))
        }
        let staleDirectives = cc.directives.filter { $0.name == "stale-while-revalidate" || $0.name == "stale-if-error" }
        if cc.has("must-revalidate"), !staleDirectives.isEmpty {
            out.append(Finding(.mustRevalidateWithStaleWindow, staleDirectives.map(\.text).joined(separator: ", ")))
        }
        if !staleDirectives.isEmpty { out.append(Finding(.staleWindow, staleDirectives.map(\.text).joined(separator: " / "))) }
        if cc.has("immutable"), (browser.lifetime ?? 0) < day || browser.lifetimeSource == .heuristic {
            out.append(Finding(.immutableShortLifetime, "browser lifetime \(browser.lifetime ?? 0)s"))
        }
        if browser.lifetimeSource == .heuristic {
            out.append(Finding(.heuristicLifetime, "N = \(browser.lifetime ?? 0) s"))
        }
        let dateOrReceipt = f.date.seconds ?? x.receivedAt
        if let modified = f.lastModified.seconds, modified > dateOrReceipt {
            out.append(Finding(.lastModifiedAfterDate, "by \(modified - dateOrReceipt)s"))
        }

        // Age and dates.
        let initialAge = Freshness.initialAge(x, f)
        if f.age.seconds != nil, shared.storable, let lifetime = shared.lifetime, lifetime > 0, initialAge >= lifetime {
            out.append(Finding(.staleOnReceipt, "age \(initialAge)s >= shared lifetime \(lifetime)s"))
        }
        if f.age.seconds != nil { out.append(Finding(.servedFromCache, "N = \(browser.currentAge) s")) }
        switch f.age {
        case .invalid(let text): out.append(Finding(.invalidAge, "Age: \(text)"))
        case .valid(_, listed: true): out.append(Finding(.invalidAge, "Age is a list; the first member is used"))
        default: break
        }
        if f.date == .absent { out.append(Finding(.noDate)) }
        var badDates: [String] = []
        if case .invalid(let text) = f.date { badDates.append("Date: \(text)") }
        if case .invalid(let text) = f.lastModified { badDates.append("Last-Modified: \(text)") }
        if !badDates.isEmpty { out.append(Finding(.invalidDate, badDates.joined(separator: "; "))) }
        if let date = f.date.seconds, x.receiptTimeKnown {
            let behind = x.receivedAt - date
            let age = f.age.seconds ?? 0
            if behind < -5 || behind - age > 5 {
                out.append(Finding(.clockSkew, behind < 0 ? "Date is \(-behind)s ahead of receipt" : "Date is \(behind)s behind receipt, Age \(age)s"))
            } else if age > 5, behind < age - 5 {
                out.append(Finding(.agePenalty, "Age \(age)s but Date only \(behind)s old"))
            }
        }
        var obsolete: [String] = []
        for (name, field) in [("Date", f.date), ("Expires", f.expires), ("Last-Modified", f.lastModified)] {
            if case .valid(let date) = field, date.form != .imfFixdate { obsolete.append("\(name) (\(date.form.rawValue))") }
        }
        if !obsolete.isEmpty { out.append(Finding(.obsoleteDateFormat, obsolete.joined(separator: ", "))) }

        // Validators.
        if anyStorable, !f.hasValidator { out.append(Finding(.noValidator)) }
        if let etag = f.etag {
            if !etag.valid { out.append(Finding(.invalidETag, "ETag: \(etag.raw)")) }
            else if etag.weak { out.append(Finding(.weakETag, etag.raw)) }
        }

        // Vary.
        if f.vary.contains("*") { out.append(Finding(.varyStar)) }
        if f.vary.contains("user-agent") { out.append(Finding(.varyUserAgent)) }
        if sharedStorable, let name = f.vary.first(where: { $0 == "cookie" || $0 == "authorization" }) {
            out.append(Finding(.varyCookieOrAuthorization, "Vary: \(name)"))
        }
        if f.vary.contains("host") { out.append(Finding(.varyHost)) }
        if f.vary.count > 3 || Set(f.vary).count != f.vary.count {
            out.append(Finding(.varyTooComplex, "Vary: " + f.vary.joined(separator: ", ")))
        }

        // Syntax.
        for d in cc.directives where d.rawName != d.name { out.append(Finding(.directiveNotLowercase, d.rawName)) }
        for d in cc.directives where DirectiveNames.noArgument.contains(d.name) && d.argument != nil { out.append(Finding(.argumentNotAllowed, d.text)) }
        for d in cc.directives where !DirectiveNames.response.contains(d.name) && !DirectiveNames.requestOnly.contains(d.name) && !DirectiveNames.ieOnly.contains(d.name) {
            if let meant = DirectiveNames.likelyTypo(d.name) { out.append(Finding(.misspeltDirective, "\(d.text) (did you mean \(meant)?)")) }
        }
        for d in cc.directives where DirectiveNames.requestOnly.contains(d.name) { out.append(Finding(.requestOnlyDirective, d.text)) }
        if f.pragma.has("no-cache") { out.append(Finding(.pragmaNoCache)) }
        let ie = cc.directives.filter { DirectiveNames.ieOnly.contains($0.name) }
        if !ie.isEmpty { out.append(Finding(.ieOnlyDirective, ie.map(\.text).joined(separator: ", "))) }
        if x.headers.has("warning") { out.append(Finding(.warningField)) }

        // CDNs.
        if f.cdnCacheControl != nil {
            if let targeted = f.usableCDNCacheControl {
                _ = targeted
                out.append(Finding(.cdnCacheControl, cdn.storable ? "N = \(cdn.lifetime ?? 0) s" : "CDNs will not store it"))
            } else {
                out.append(Finding(.invalidTargetedField, "CDN-Cache-Control: " + targetedProblem(f.cdnCacheControl!)))
            }
        }
        if let cloudflare = f.cloudflareCDNCacheControl {
            out.append(Finding(.cloudflareCDNCacheControl))
            if case .success(let d) = cloudflare, CDNDirectives.typeProblem(d) == nil {} else {
                out.append(Finding(.invalidTargetedField, "Cloudflare-CDN-Cache-Control: " + targetedProblem(cloudflare)))
            }
        }
        if f.surrogateControl != nil { out.append(Finding(.surrogateControl)) }
        if x.headers.has("surrogate-key") || x.headers.has("cache-tag") { out.append(Finding(.purgeTags)) }
        if f.edgeControl != nil { out.append(Finding(.edgeControl)) }
        if x.headers.has("x-amz-cf-id") || x.headers.has("x-amz-cf-pop")
            || x.headers.values("via").contains(where: { $0.asciiLowercased.contains("cloudfront") }) {
            out.append(Finding(.cloudFront))
        }
        // X-Varnish (one id on a miss, two on a hit) and nginx's conventional X-Cache-Status say the same.
        let statusFields = ["cache-status", "x-cache", "cf-cache-status", "x-cache-status", "x-varnish"].filter { x.headers.has($0) }
        if !statusFields.isEmpty {
            out.append(Finding(.cacheStatusReported, statusFields.map { "\($0): \(x.headers.values($0).joined(separator: ", "))" }.joined(separator: "; ")))
        }

        // Policy (needs the URL or the Content-Type).
        let path = x.url.map(URLPath.path) ?? ""
        let fingerprinted = URLPath.isFingerprinted(path)
        if fingerprinted, browser.storable, (browser.lifetime ?? 0) < year || !cc.has("immutable") {
            out.append(Finding(.fingerprintedShortLifetime, "\(path): lifetime \(browser.lifetime ?? 0)s\(cc.has("immutable") ? "" : ", no immutable")"))
        }
        let isHTML = f.contentType.map { $0.asciiLowercased.hasPrefix("text/html") } ?? false
        if isHTML, !fingerprinted, browser.storable, !browser.revalidateEachUse, (browser.lifetime ?? 0) > day {
            out.append(Finding(.longLifetimeOnHTML, "browser lifetime \(browser.lifetime ?? 0)s"))
        }
        if URLPath.isStaticAsset(path: path, contentType: f.contentType), !cc.has("no-store"),
           !browser.storable || browser.lifetimeSource == .heuristic || browser.lifetimeSource == LifetimeSource.none || (browser.lifetime ?? 0) < day {
            out.append(Finding(.staticAssetShortLifetime, "browser lifetime \(browser.lifetime ?? 0)s"))
        }
        return out
    }

    static func targetedProblem(_ parsed: Result<StructuredDictionary, StructuredDictionary.ParseError>) -> String {
        switch parsed {
        case .failure(let error): return "not a Dictionary (\(error.message) at byte \(error.offset))"
        case .success(let d):
            if d.members.isEmpty { return "empty" }
            return CDNDirectives.typeProblem(d) ?? "unusable"
        }
    }
}

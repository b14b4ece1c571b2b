import CacheAudit
import Glibc
import ScaleCore

/// `scalectl cache explain|audit`: what a browser, a shared proxy and a CDN do with a response.
/// The RFC 9111 model and the checks live in the CacheAudit library; this file parses options,
/// gathers responses (saved headers, HAR, or live through CacheFetch) and renders.
enum CacheCommand {
    static let spec = CommandSpec(
        "cache",
        summary: "what browsers, proxies and CDNs will do with a response (RFC 9111 audit)",
        discussion: """
        For each response, tells what a browser (private cache), a shared proxy and a CDN \
        (RFC 9213 CDN-Cache-Control) will do with it: whether it is stored and why not, its \
        freshness lifetime and where that came from, its current age, the time left, and the \
        stale policy; then the findings of the check catalogue (CACHE001...), each with its \
        severity and the section of the RFC it rests on. explain reads one Cache-Control value; \
        audit reads saved headers, HAR files or live URLs, in batch, with CI exit statuses.
        """,
        subcommands: [explain, audit]
    )

    static let formats: [OutputFormat] = [.table, .json, .ndjson, .csv, .sarif]

    static let conventions = """
    Lifetime (RFC 9111 §4.2.1), first that applies: for shared caches and CDNs s-maxage; then \
    max-age; then Expires - Date (the receipt time when Date is missing; an invalid Expires such \
    as 0 or -1 means already expired); then, for statuses RFC 9110 §15.1 calls heuristically \
    cacheable (200 203 204 206 300 301 308 404 405 410 414 501) or public responses, 10% of \
    Date - Last-Modified. A CDN with a valid CDN-Cache-Control uses it and ignores \
    Cache-Control and Expires (RFC 9213 §2.2). Delta-seconds above 2^31 count as 2147483648; \
    invalid ones count as 0 (stale). A repeated directive uses its first occurrence.

    Age (RFC 9111 §4.2.3): apparent_age = max(0, received - Date); corrected_age = Age + \
    (received - requested); initial age = max(apparent_age, corrected_age); current age = \
    initial age + (now - received). Age that is a list uses its first member. Left = lifetime - \
    current age. Stale serving: stale-while-revalidate (every cache) and stale-if-error (shared \
    caches and CDNs), unless must-revalidate, proxy-revalidate or s-maxage (shared) or no-cache \
    forbid it. Storable (§3): GET or HEAD, a final status other than 304, no no-store \
    (must-understand with a status RFC 9110 defines overrides it, §5.2.2.3; with another status \
    nothing is stored), not private (shared), Authorization in the request only with public, \
    s-maxage or must-revalidate (§3.5, shared), and explicit freshness, public, private \
    (browser; with no lifetime when the status is not heuristically cacheable) or a \
    heuristically cacheable status. Vary: * is stored but never reused (§4.1). A directive \
    that breaks the grammar (max-age = 60) is read leniently and reported.

    Vendor rows: when a response shows it came through Fastly (Surrogate-Control, X-Served-By: \
    cache-..., Fastly-* or X-Fastly-Request-ID), Cloudflare (CF-Ray, CF-Cache-Status, Server: \
    cloudflare, Cloudflare-CDN-Cache-Control), CloudFront (X-Amz-Cf-Id, X-Amz-Cf-Pop, Via \
    naming cloudfront) or Akamai (Edge-Control, Akamai-Cache-Status, Akamai-GRN, X-Akamai-*, \
    Server: Akamai...), a row per vendor models that vendor's DOCUMENTED DEFAULT configuration \
    (the detected_by column and a note say so); a service's own VCL, Cache Rules, cache policy \
    or property rules change it. Every vendor: GET and HEAD only, final statuses other than \
    304; stale-while-revalidate and stale-if-error from the directives in force unless \
    must-revalidate or proxy-revalidate. Fastly (docs.fastly.com: About cache control headers, \
    HTTP caching semantics, Controlling caching): statuses 200 203 300 301 302 404 410; \
    private, no-store (Cache-Control or Surrogate-Control) and Set-Cookie pass; no-cache is \
    ignored; TTL from Surrogate-Control max-age, then s-maxage, max-age, Expires - Date, else \
    the fallback 3600 s. Cloudflare (developers.cloudflare.com/cache: Default cache behavior, \
    CDN-Cache-Control, Cache by status code; Origin Cache Control on, as on Free, Pro and \
    Business): only the default-cached file extensions of the URL path (js, css, images, fonts, \
    media, archives, documents; never HTML) and /robots.txt, so saved headers without a URL \
    say "URL unknown"; directives from Cloudflare-CDN-Cache-Control, else CDN-Cache-Control, \
    else Cache-Control; private, no-store, no-cache, max-age=0, an Expires not in the future or \
    Set-Cookie: not cached; TTL s-maxage, max-age, Expires - Date, else by status: 2h for 200 \
    206 301, 20m for 302 303, 3m for 404 410, other statuses not cached. CloudFront \
    (CachePolicyConfig defaults: Minimum TTL 0, Default TTL 86400 s, Maximum TTL 31536000 s): \
    no-store, no-cache and private are honoured because the Minimum TTL is 0 (see CACHE086); \
    TTL s-maxage, max-age, Expires - Date capped at 31536000 s, else 86400 s; the 4xx and 5xx \
    it caches (400 403 404 405 414 500 501 502 503 504) at least 10 s (error caching minimum \
    TTL), other 4xx and 5xx not cached. Akamai (Edge-Control; Property Manager caching \
    behaviour): Edge-Control no-store or bypass-cache: not cached; Edge-Control max-age or \
    cache-maxage (seconds, or a number with s, m, h or d): the edge TTL, whatever \
    Cache-Control says; otherwise the property's caching behaviour sets a TTL no response \
    shows: stored, state "per config", no lifetime. Not modelled: request-side rules \
    (Authorization, cookies in the request, cache keys), Vary handling beyond Vary: *, and \
    any non-default setting.
    """

    // MARK: - explain

    enum ExplainOption {
        static let header = OptionSpec("header", short: "H", value: "'NAME: VALUE'", repeatable: true,
                                       help: "another response header field to take into account (repeatable)")
    }

    static let explain = CommandSpec(
        "explain",
        summary: "explain one Cache-Control value for browsers, proxies and CDNs",
        discussion: """
        Reads VALUE as the Cache-Control of a 200 answer to a GET, received now with a Date of \
        now, and prints what each directive means, what each class of cache does, and the \
        findings. -H adds other response header fields (CDN-Cache-Control, Expires, ETag, Vary, \
        Set-Cookie...) to the picture.
        """ + "\n\n" + conventions,
        arguments: [ArgumentSpec("VALUE", help: "a Cache-Control value, e.g. 'max-age=60, s-maxage=300, stale-while-revalidate=30'")],
        options: [ExplainOption.header],
        examples: [
            Example("A minute for browsers, five for shared caches, 30 s of stale-while-revalidate",
                    ["cache", "explain", "max-age=60, s-maxage=300, stale-while-revalidate=30"],
                    output: """
                    DIRECTIVE                  MEANING
                    max-age=60                 fresh for 60 s in every cache (shared caches prefer s-maxage)
                    s-maxage=300               shared caches and CDNs: fresh for 300 s, then no stale serving; browsers ignore it
                    stale-while-revalidate=30  after expiry, may be served stale for 30 s while revalidated in the background

                    CACHE    STORED  STATE  LIFETIME  SOURCE    AGE  LEFT  STALE
                    browser  yes     fresh        1m  max-age    0s    1m  swr 30s
                    shared   yes     fresh        5m  s-maxage   0s    5m  none (s-maxage)
                    cdn      yes     fresh        5m  s-maxage   0s    5m  none (s-maxage)

                    CHECK     SEVERITY  FINDING                                                                                                                            CITE
                    CACHE020  info      Summary: freshness lifetime for browser / shared cache / CDN, current age, time left (browser 60s, shared 300s, cdn 300s; age 0s)  RFC9111 §4.2.1, §4.2.3
                    CACHE030  info      s-maxage differs from max-age: shared caches and browsers use different lifetimes (browser 60s, shared 300s)                       RFC9111 §5.2.2.10
                    CACHE032  info      No stale serving after expiry (must-revalidate, proxy-revalidate or s-maxage for shared caches) (s-maxage)                         RFC9111 §4.2.4, §5.2.2.2, §5.2.2.8, §5.2.2.10
                    CACHE034  info      Stale window: stale-while-revalidate=N / stale-if-error=N (extension; browsers honour SWR only) (stale-while-revalidate=30)        RFC5861 §3, §4
                    CACHE050  warn      Storable response without ETag or Last-Modified: revalidation re-downloads the body                                                RFC9111 §4.3.1; RFC9110 §8.8

                    """),
            Example("A CDN obeys CDN-Cache-Control and ignores no-store in Cache-Control",
                    ["cache", "explain", "no-store", "-H", "CDN-Cache-Control: max-age=600", "-o", "json"]),
            Example("A typo and a quoted number", ["cache", "explain", "maxage=60, s-maxage=\"300\""]),
        ],
        formats: formats,
        handler: runExplain
    )

    static func runExplain(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        guard let value = invocation.positionals.first else {
            throw .usage("missing VALUE (a Cache-Control value)", fix: "write e.g. scalectl cache explain 'max-age=60, public'")
        }
        guard invocation.positionals.count == 1 else {
            throw .usage("explain takes one VALUE; quote it", fix: "write scalectl cache explain 'max-age=60, public'")
        }
        var headers = [HeaderField("Cache-Control", value), HeaderField("Date", HTTPDate(seconds: 0).imfFixdate)]
        headers += try responseHeaders(invocation.all(ExplainOption.header))
        let audit = CacheAudit.audit(Exchange(status: 200, headers: headers, receivedAt: 0))
        let directives = CacheControl.parse(value).directives
        // Named in angle brackets like <stdin>: a value typed on the command line is no artifact.
        let item = AuditedItem(label: "<argument>", line: nil, httpVersion: "", audit: audit)
        if invocation.format == .table {
            let glossary = Report(command: "cache explain", columns: glossaryColumns, rows: directives)
            if !directives.isEmpty {
                context.emit(glossary, format: .table)
                context.console.write("\n")
            }
            renderTableItem(item, context: context, heading: false)
        } else {
            let lines = directives.map(FlatLine.directive) + flatLines(item)
            context.emit(Report(command: "cache explain", columns: flatColumns, rows: lines,
                                notes: audit.vendorVerdicts.isEmpty ? [] : [vendorDefaultsNote]), format: invocation.format)
        }
        return .ok
    }

    static let glossaryColumns: [Column<Directive>] = [
        Column("directive", .text, \.text),
        Column("meaning", .text) { DirectiveGlossary.meaning($0) },
    ]

    /// `Name: value` fields from -H.
    static func responseHeaders(_ values: [String]) throws(ScaleError) -> [HeaderField] {
        var out: [HeaderField] = []
        for text in values {
            guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
                throw .usage("'\(text)' is not a header field", at: "--header", fix: "write it as 'Name: value'")
            }
            out.append(HeaderField(String(text[..<colon]), String(text[text.index(after: colon)...]).trimmingSpaces))
        }
        return out
    }

    // MARK: - rendering shared by explain and audit

    /// One response (or a failure to get one) with where it came from.
    struct AuditedItem {
        var label: String
        /// The status line's line number, for saved headers.
        var line: Int?
        var httpVersion: String
        var audit: ResponseAudit?
        /// Findings of the active checks.
        var extra: [Finding] = []
        /// Why there is no response (fetch failed).
        var failure: String?
        /// HTTPFailure.Kind (`refused`, `timeout`, `dns`...): the failure row's detail, SARIF's failureKind.
        var failureKind: String?

        var findings: [Finding] { (audit?.findings ?? []) + extra }
    }

    /// A row of the machine formats: its kind says which columns mean something (verdict: the
    /// cache columns; finding: the check columns; failure: message; directive: explain).
    enum FlatLine {
        case verdict(AuditedItem, CacheVerdict)
        case finding(AuditedItem, Finding)
        case failure(AuditedItem, String)
        case directive(Directive)

        var kind: String {
            switch self {
            case .verdict: return "verdict"
            case .finding: return "finding"
            case .failure: return "failure"
            case .directive: return "directive"
            }
        }

        var item: AuditedItem? {
            switch self {
            case .verdict(let item, _), .finding(let item, _), .failure(let item, _): return item
            case .directive: return nil
            }
        }

        var verdict: CacheVerdict? {
            if case .verdict(_, let verdict) = self { return verdict }
            return nil
        }

        var finding: Finding? {
            if case .finding(_, let finding) = self { return finding }
            return nil
        }

        var severity: String? {
            switch self {
            case .finding(_, let finding): return finding.severity.rawValue
            case .failure: return "error"
            case .verdict, .directive: return nil
            }
        }

        var message: String? {
            switch self {
            case .finding(_, let finding): return finding.check.message
            case .failure(_, let failure): return failure
            case .directive(let directive): return DirectiveGlossary.meaning(directive)
            case .verdict: return nil
            }
        }

        var detail: String? {
            switch self {
            case .finding(_, let finding): return finding.detail.isEmpty ? nil : finding.detail
            case .failure(let item, _): return item.failureKind
            case .directive(let directive): return directive.text
            case .verdict: return nil
            }
        }
    }

    static let flatColumns: [Column<FlatLine>] = [
        Column("kind", .text, help: "verdict, finding, failure or directive", \.kind),
        Column("url", .text, help: "The URL, or the file the response was read from.", \.item?.label),
        Column("line", .integer, help: "Line of the status line in a saved-headers file.", \.item?.line),
        Column("http_status", .integer, help: "The response's status code.", \.item?.audit?.exchange.status),
        Column("cache_class", .text, help: "browser, shared, cdn, or a detected vendor: fastly, cloudflare, cloudfront, akamai.",
               \.verdict?.cacheClass.rawValue),
        Column("stored", .bool, help: "Whether this class of cache may store the response.", \.verdict?.storable),
        Column("state", .text, help: "fresh, stale, revalidate, never reused or not stored.", \.verdict?.state),
        Column("lifetime_seconds", .duration, help: "Freshness lifetime.") { $0.verdict?.lifetime.map { Double($0) } },
        Column("lifetime_source", .text, help: "Where the lifetime came from.", \.verdict?.lifetimeSource?.rawValue),
        Column("age_seconds", .duration, help: "Current age (RFC 9111 §4.2.3).") { $0.verdict.map { Double($0.currentAge) } },
        Column("left_seconds", .duration, help: "Lifetime minus current age; negative when stale.") { $0.verdict?.left.map { Double($0) } },
        Column("stale_policy", .text, help: "What stale serving is allowed.", \.verdict?.stalePolicy),
        Column("immutable", .bool, \.verdict?.immutable),
        Column("reason", .text, help: "Why the response is or is not stored.", \.verdict?.reason),
        Column("check_id", .text, help: "The catalogue ID of a finding.", \.finding?.id.rawValue),
        Column("severity", .text, help: "info, warn or error.", \.severity),
        Column("message", .text, help: "The catalogue message.", \.message),
        Column("detail", .text, help: "The specifics of this response.", \.detail),
        Column("cite", .text, help: "The specification section the check rests on.", \.finding?.check.cite),
        Column("detected_by", .text, help: "Vendor verdicts: the response fields that showed the CDN vendor.", \.verdict?.evidence),
    ]

    static func flatLines(_ item: AuditedItem) -> [FlatLine] {
        if let failure = item.failure { return [.failure(item, failure)] }
        guard let audit = item.audit else { return [] }
        return (audit.verdicts + audit.vendorVerdicts).map { .verdict(item, $0) } + item.findings.map { .finding(item, $0) }
    }

    static let vendorDefaultsNote = "vendor rows model each vendor's documented default configuration; yours may differ"

    /// Said wherever vendor rows appear: they are a model of defaults, not of the site's setup.
    static func vendorNote(_ vendors: [CacheVerdict]) -> [String] {
        guard !vendors.isEmpty else { return [] }
        return [vendorDefaultsNote + " (detected by " + vendors.map { "\($0.cacheClass.rawValue): \($0.evidence ?? "-")" }.joined(separator: "; ") + ")"]
    }

    /// The table of a response: what each class of cache does with it.
    static let verdictColumns: [Column<CacheVerdict>] = [
        Column("cache_class", .text, title: "CACHE", \.cacheClass.rawValue),
        Column("stored", .text) { $0.storable ? "yes" : "no" },
        Column("state", .text, \.state),
        Column("lifetime_seconds", .duration, title: "LIFETIME") { $0.lifetime.map { Double($0) } },
        Column("lifetime_source", .text, title: "SOURCE", \.lifetimeSource?.rawValue),
        Column("age_seconds", .duration, title: "AGE") { Double($0.currentAge) },
        Column("left_seconds", .duration, title: "LEFT") { $0.left.map { Double($0) } },
        Column("stale_policy", .text, title: "STALE", \.stalePolicy),
    ]

    static let findingColumns: [Column<Finding>] = [
        Column("check_id", .text, title: "CHECK", \.id.rawValue),
        Column("severity", .text, \.severity.rawValue),
        Column("finding", .text) { $0.check.message + ($0.detail.isEmpty ? "" : " (\($0.detail))") },
        Column("cite", .text, \.check.cite),
    ]

    static func renderTableItem(_ item: AuditedItem, context: CommandContext, heading: Bool) {
        if heading {
            let where_ = item.label + (item.line.map { ":\($0)" } ?? "")
            let status = item.audit.map { " \($0.exchange.status)" + (item.httpVersion.isEmpty ? "" : " \(item.httpVersion)") } ?? ""
            context.console.write("== \(where_)\(status)\n")
        }
        if let failure = item.failure {
            context.console.write("failed: \(failure)\n")
            return
        }
        guard let audit = item.audit else { return }
        let verdicts = audit.verdicts + audit.vendorVerdicts
        context.emit(Report(command: "cache", columns: verdictColumns, rows: verdicts,
                            notes: verdicts.filter { !$0.storable }.map { "\($0.cacheClass.rawValue) does not store it: \($0.reason)" }
                                + vendorNote(audit.vendorVerdicts)), format: .table)
        context.console.write("\n")
        let findings = item.findings
        if findings.isEmpty {
            context.console.write("no findings\n")
            return
        }
        context.emit(Report(command: "cache", columns: findingColumns, rows: findings), format: .table)
    }
}

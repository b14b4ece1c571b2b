import CacheAudit
import Glibc
import ScaleCore
import ScaleHTTP

/// `scalectl cache audit`: saved headers, HAR files or live URLs in, verdicts and findings out,
/// with an exit status for CI (`--fail-on`).
extension CacheCommand {
    enum AuditOption {
        static let headers = OptionSpec("headers", value: "FILE", completion: .file, help: "audit saved curl -sD- output (one or many responses) instead of fetching")
        static let har = OptionSpec("har", value: "FILE", completion: .file, help: "audit every entry of a HAR file instead of fetching")
        static let urlsFile = OptionSpec("urls-file", value: "FILE", completion: .file, help: "read URLs from FILE, one a line (- for standard input)")
        static let sitemap = OptionSpec("sitemap", value: "FILE|URL", completion: .file, help: "audit the <loc> URLs of a sitemap.xml file or URL")
        static let concurrency = OptionSpec("concurrency", short: "j", value: "N", default: "16", help: "requests in flight at once")
        static let location = OptionSpec("location", short: "L", help: "follow redirects and audit every hop")
        static let header = OptionSpec("header", short: "H", value: "'NAME: VALUE'", repeatable: true, help: "send this request header (repeatable); never printed")
        static let request = OptionSpec("request", short: "X", value: "METHOD", allowed: ["GET", "HEAD"], default: "GET", help: "request method")
        static let active = OptionSpec("active", help: "also send the conditional, gzip, repeat and range requests of the active checks")
        static let timeout = OptionSpec("timeout", value: "DURATION", default: "10s", help: "time allowed for each request")
        static let insecure = OptionSpec("insecure", short: "k", help: "do not verify TLS certificates (said in the output)")
        static let now = OptionSpec("now", value: "TIME", help: "compute ages for this time: Unix seconds, an HTTP-date or 2026-01-31T12:00:00Z")
        static let receivedAt = OptionSpec("received-at", value: "TIME", help: "offline input: when the responses were received (default: each one's Date)")
        static let failOn = OptionSpec("fail-on", value: "SEVERITY", allowed: ["error", "warn", "info", "none"], default: "error",
                                       help: "lowest finding severity that makes the exit status non-zero")
    }

    static let audit = CommandSpec(
        "audit",
        summary: "audit the cache headers of URLs, saved curl -sD- output or HAR files",
        discussion: """
        Sources: URL arguments; --urls-file (one URL a line, # comments; - for standard input); \
        a lone - argument reads URLs from standard input; --sitemap reads the <loc> URLs of a \
        sitemap.xml file or URL. Offline: --headers FILE reads saved curl -sD- (or curl -sI, \
        curl -sIL) output with one or many responses, each status line starting one; --har FILE \
        reads every entry of a HAR 1.2 file. Offline responses are taken as received at \
        --received-at, else at their own Date (so the result does not depend on when you run \
        it), else now; --now sets the time the current age is computed for (default: the \
        receipt time).

        Live URLs are fetched concurrently (--concurrency) with libcurl, each with a 10 s \
        timeout (--timeout), bodies capped at 256 KiB and dropped after the checks. -L follows \
        redirects (at most 10) and audits every hop. Request headers given with -H are sent; an \
        Authorization header changes what shared caches may store (RFC 9111 §3.5) but, like \
        cookies, is never printed. TLS is verified unless --insecure. --active sends the extra \
        requests of the active checks: If-None-Match and If-Modified-Since (expect 304 with the \
        fields of the 200 repeated), Accept-Encoding: gzip (expect Vary: Accept-Encoding, a \
        distinct ETag and the same Vary), the same GET again (stable validators), and \
        Range: bytes=0-0 when Accept-Ranges: bytes is offered.

        Proxies: URLs (and a --sitemap URL) are fetched directly; proxy variables in the \
        environment (http_proxy, https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY, NO_PROXY) are \
        ignored, and a note says so when one is set, because a proxy may add, drop or rewrite \
        the very fields audited (Age, Via, Cache-Control, Set-Cookie). To audit what comes \
        through a proxy (a corporate one, or the cache being tested), give --proxy URL: every \
        request then goes through it and a note says so, with any password as ***; \
        --proxy-from-env uses the proxy the environment names, as curl does. Saved responses \
        (--headers, --har) take neither (exit 64).

        Exit status: 0 when no finding is at or above --fail-on (default error); 1 when the \
        worst such finding is a warning (or info, with --fail-on info); 2 for an error finding \
        or a URL that could not be fetched; 3 for an input file that cannot be read or parsed; \
        64 for bad options. --fail-on none reports without failing on findings.

        Output: table prints, per response, a verdict row per cache class and then the \
        findings with check ID, severity, message and citation. json, ndjson and csv carry one \
        row shape whose kind column says what it is: verdict (the cache columns), finding (the \
        check columns), failure. sarif is SARIF 2.1.0 with one result per finding, located at \
        the URL (or the file, as a URI, and the line of the status line; standard input has no \
        location), for code-review tools; a URL that \
        could not be fetched is a tool execution notification (level error, the URL with any \
        password redacted, its failure kind) in the run's invocation, whose executionSuccessful \
        is then false (SARIF 2.1.0 §3.20.14, §3.20.21).

        Policy checks, where the catalogue leaves a threshold open: CACHE035 fires for \
        immutable under a day of lifetime; CACHE043 when Date is more than 5 s from the receipt \
        time after allowing for Age (skipped, like CACHE044, when the receipt time is only \
        inferred from Date); CACHE090 for a static asset (as CACHE092 tells them) whose path has \
        a run of 8 or more hex digits mixing letters and digits (app.3f9a1c2b.js; a UUID is no \
        hash) or a dotted version (lib-1.4.2.js) and less than a year of lifetime or no \
        immutable; CACHE091 for text/html with more than a day; \
        CACHE092 for CSS, JavaScript, fonts and images (by Content-Type or extension) with \
        less than a day.
        """ + "\n\n" + conventions,
        arguments: [ArgumentSpec("URL", help: "URLs to fetch and audit; - reads them from standard input", optional: true, repeatable: true, completion: .url)],
        options: [
            AuditOption.headers, AuditOption.har, AuditOption.urlsFile, AuditOption.sitemap, AuditOption.concurrency,
            AuditOption.location, AuditOption.header, AuditOption.request, AuditOption.active, AuditOption.timeout,
            AuditOption.insecure, ProxyOption.spec, ProxyOption.fromEnvironment, AuditOption.now, AuditOption.receivedAt, AuditOption.failOn,
        ],
        examples: [
            Example("Audit saved curl -sD- output (two responses) at a fixed time",
                    ["cache", "audit", "--headers", "demo/cache-headers.txt", "--now", "Sun, 06 Nov 1994 08:50:37 GMT"], exit: .critical),
            Example("Fail CI on warnings too, as SARIF for code review",
                    ["cache", "audit", "--headers", "demo/cache-headers.txt", "--fail-on", "warn", "-o", "sarif"], exit: .critical),
            Example("Only the findings, one JSON object a line",
                    ["cache", "audit", "--headers", "demo/cache-headers.txt", "-o", "ndjson", "--fail-on", "none"]),
            Example("A response that came through Fastly: a row for what Fastly's defaults do with it",
                    ["cache", "audit", "--headers", "demo/cache-headers-fastly.txt", "--now", "Sun, 06 Nov 1994 08:50:37 GMT"],
                    output: """
                    == demo/cache-headers-fastly.txt:1 200 HTTP/2
                    CACHE    STORED  STATE  LIFETIME  SOURCE                        AGE         LEFT  STALE
                    browser  yes     fresh        5m  max-age                    2m 40s       2m 20s  cache's choice
                    shared   yes     fresh        5m  max-age                    2m 40s       2m 20s  cache's choice
                    cdn      yes     fresh        5m  max-age                    2m 40s       2m 20s  cache's choice
                    fastly   yes     fresh        1d  surrogate-control max-age  2m 40s  23h 57m 20s  swr 60s, sie 86400s
                    note: vendor rows model each vendor's documented default configuration; yours may differ (detected by fastly: surrogate-control, x-served-by)

                    CHECK     SEVERITY  FINDING                                                                                                                               CITE
                    CACHE008  info      public is unnecessary (no Authorization; explicit freshness already permits storage)                                                  RFC9111 §5.2.2.9
                    CACHE020  info      Summary: freshness lifetime for browser / shared cache / CDN, current age, time left (browser 300s, shared 300s, cdn 300s; age 160s)  RFC9111 §4.2.1, §4.2.3
                    CACHE039  info      Served from a cache (Age present); current age N s (N = 160 s)                                                                        RFC9111 §5.1, §4.2.3
                    CACHE083  info      Surrogate-Control present: Fastly uses it before s-maxage/max-age/Expires and strips it                                               Fastly docs; W3C Edge Arch
                    CACHE087  info      Intermediary cache status reported (Cache-Status, X-Cache, CF-Cache-Status) (x-cache: HIT)                                            RFC9211
                    CACHE092  info      Static asset (CSS/JS/font/image) with no or short (< 1 day) browser lifetime (browser lifetime 300s)                                  Lighthouse uses-long-cache-ttl / cache-insight

                    RESPONSES: 1
                    FAILURES:  0
                    ERRORS:    0
                    WARNINGS:  0
                    INFOS:     6
                    RESULT:    OK

                    """),
            Example("A file that is not there exits 3", ["cache", "audit", "--headers", "demo/no-such-file.txt"], exit: .unknown),
        ],
        formats: formats + [.nagios],
        handler: runAudit
    )

    static func runAudit(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let failOn: Severity? = invocation.value(AuditOption.failOn).flatMap(Severity.init(rawValue:))
        let now = try time(invocation, AuditOption.now)
        let receivedAt = try time(invocation, AuditOption.receivedAt)
        let clock = Int64(context.services.time.now())
        let offline = invocation.has(AuditOption.headers) || invocation.has(AuditOption.har)
        var items: [AuditedItem] = []
        var notes: [String] = []

        if offline {
            guard invocation.positionals.isEmpty, !invocation.has(AuditOption.urlsFile), !invocation.has(AuditOption.sitemap) else {
                throw .usage("give either saved responses (--headers, --har) or URLs, not both", at: invocation.has(AuditOption.headers) ? "--headers" : "--har")
            }
            for option in [AuditOption.location, AuditOption.active, AuditOption.insecure] where invocation.flag(option) {
                throw .usage("applies only to live URLs", at: "--\(option.long)", fix: "drop it, or audit URLs instead of saved responses")
            }
            for option in [ProxyOption.spec, ProxyOption.fromEnvironment] where invocation.has(option) {
                throw .usage("applies only to live URLs: a saved response was received however it was", at: "--\(option.long)",
                             fix: "drop it, or audit URLs instead of saved responses")
            }
            // A saved response answered the request it was made with: a header given now (an
            // Authorization that changes what a shared cache may store) cannot be honoured.
            for option in [AuditOption.header, AuditOption.request] where invocation.has(option) {
                throw .usage("applies only to live URLs: a saved response cannot be asked again with other request headers",
                             at: "--\(option.long)", fix: "drop it, or audit the URL live; --har entries keep the request headers they were sent with")
            }
            if let path = invocation.value(AuditOption.headers) {
                items += try savedHeaders(path, invocation: invocation, receivedAt: receivedAt, now: now, clock: clock, console: context.console)
            }
            if let path = invocation.value(AuditOption.har) {
                items += try harEntries(path, receivedAt: receivedAt, now: now, clock: clock, console: context.console)
            }
        } else {
            if invocation.has(AuditOption.receivedAt) {
                throw .usage("applies only to saved responses (--headers, --har)", at: "--received-at", fix: "use --now to move the clock for live URLs")
            }
            let urls = try collectURLs(invocation, context: context)
            guard !urls.isEmpty else {
                throw .usage("nothing to audit", fix: "give URLs, - to read them from standard input, --urls-file, --sitemap, --headers or --har")
            }
            var options = CacheFetch.Options()
            options.method = invocation.value(AuditOption.request) ?? "GET"
            options.headers = try requestHeaders(invocation.all(AuditOption.header))
            options.follow = invocation.flag(AuditOption.location)
            options.concurrency = try invocation.integer(AuditOption.concurrency, range: 1...1024) ?? 16
            options.timeout = try invocation.duration(AuditOption.timeout) ?? 10
            options.insecure = invocation.flag(AuditOption.insecure)
            options.active = invocation.flag(AuditOption.active)
            options.now = now
            options.proxy = try ProxyOption.parse(invocation)
            options.proxyFromEnvironment = try ProxyOption.fromEnvironment(invocation)
            if options.active, options.method != "GET" {
                throw .usage("needs GET requests", at: "--active", fix: "drop -X HEAD")
            }
            if options.insecure { notes.append("TLS verification is off (--insecure)") }
            notes += ProxyOption.notes(proxy: options.proxy, environment: context.console.environment, fromEnvironment: options.proxyFromEnvironment)
            items = CacheFetch.run(urls: urls, options: options, services: context.services)
        }
        return emit(items, notes: notes, failOn: failOn, invocation: invocation, context: context)
    }

    /// -H for requests: `Name: value`, kept as typed.
    static func requestHeaders(_ values: [String]) throws(ScaleError) -> [HTTPHeader] {
        try responseHeaders(values).map { HTTPHeader($0.name, $0.value) }
    }

    static func time(_ invocation: Invocation, _ option: OptionSpec) throws(ScaleError) -> Int64? {
        guard let text = invocation.value(option) else { return nil }
        guard let seconds = TimeText.parse(text) else {
            throw .usage("'\(text)' is not a time", at: "--\(option.long)", fix: "write Unix seconds, an HTTP-date ('Sun, 06 Nov 1994 08:49:37 GMT') or 2026-01-31T12:00:00Z")
        }
        return seconds
    }

    // MARK: - sources

    static let inputLimit = 64 << 20

    /// `clock` is the time now: when a response has no Date and no --received-at, it was received now.
    static func savedHeaders(_ path: String, invocation: Invocation, receivedAt: Int64?, now: Int64?, clock: Int64, console: any Console) throws(ScaleError) -> [AuditedItem] {
        let bytes = try InputFile.read(path, option: "--headers", limit: inputLimit, what: "headers file", console: console)
        let name = path == "-" ? "<stdin>" : path
        let responses: [RawResponse]
        do throws(RawResponses.ParseError) {
            responses = try RawResponses.parse(bytes)
        } catch {
            throw .input(error.message, at: "\(name):\(error.line)", fix: "give the output of curl -sD- or curl -sI")
        }
        guard !responses.isEmpty else {
            throw .input("no HTTP response head found (no line starts with 'HTTP/1.1 200')", at: name, fix: "save headers with curl -sD- -o /dev/null URL > FILE")
        }
        let method = invocation.value(AuditOption.request) ?? "GET"
        return responses.map { r in
            let fields = ResponseFields(r.headers)
            let received = receivedAt ?? fields.date.seconds ?? clock
            let exchange = Exchange(url: nil, method: method, status: r.status, headers: r.headers, receivedAt: received, now: now ?? received,
                                    receiptTimeKnown: receivedAt != nil)
            return AuditedItem(label: name, line: r.line, httpVersion: r.httpVersion, audit: CacheAudit.audit(exchange))
        }
    }

    static func collectURLs(_ invocation: Invocation, context: CommandContext) throws(ScaleError) -> [String] {
        var urls: [String] = []
        var readStdin = false
        for argument in invocation.positionals {
            if argument == "-" { readStdin = true } else { urls.append(argument) }
        }
        func lines(_ bytes: [UInt8]) -> [String] {
            bytes.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self).trimmingSpaces }
                .map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        if let path = invocation.value(AuditOption.urlsFile) {
            if path == "-" { readStdin = true } else {
                urls += lines(try InputFile.read(path, option: "--urls-file", limit: inputLimit, what: "URL list", console: context.console))
            }
        }
        if readStdin { urls += lines(try context.console.readStandardInput(limit: inputLimit)) }
        if let sitemap = invocation.value(AuditOption.sitemap) {
            urls += try sitemapURLs(sitemap, invocation: invocation, context: context)
        }
        return urls
    }

    // MARK: - output

    static func emit(_ items: [AuditedItem], notes: [String], failOn: Severity?, invocation: Invocation, context: CommandContext) -> ExitCode {
        var notes = notes
        // The table says it under each response; machine formats say it once.
        if invocation.format != .table, items.contains(where: { !($0.audit?.vendorVerdicts.isEmpty ?? true) }) {
            notes.append(vendorDefaultsNote)
        }
        let findings = items.flatMap(\.findings)
        let failures = items.filter { $0.failure != nil }.count
        var status = ExitCode.ok
        if failures > 0 { status = .critical }
        if let failOn, let worst = findings.map(\.severity).filter({ $0 >= failOn }).max() {
            status = status.worse(worst == .error ? .critical : .warning)
        }
        let summary = AuditSummary(items: items, failures: failures, status: status)
        if invocation.format == .table {
            for (index, item) in items.enumerated() {
                if index > 0 { context.console.write("\n") }
                renderTableItem(item, context: context, heading: true)
            }
            context.console.write("\n")
            context.emit(Report(command: "cache audit", summaryColumns: auditSummaryColumns, summary: summary, notes: notes), format: .table)
        } else {
            var report = Report(command: "cache audit", columns: flatColumns, rows: items.flatMap(flatLines),
                                summaryColumns: auditSummaryColumns, summary: summary, notes: notes)
            report.check = CheckOutcome(status: status, headline: auditHeadline(summary))
            context.emit(report, format: invocation.format)
        }
        return status
    }

    /// `2 of 5 URLs failed: https://a/ (refused); 3 errors, 1 warning`.
    static func auditHeadline(_ summary: AuditSummary) -> String {
        let failed = summary.items.compactMap { item in item.failure.map { "\(item.label) (\($0))" } }
        var parts: [String] = []
        if !failed.isEmpty { parts.append("\(failed.count) of \(summary.items.count) URLs failed: " + CheckHeadline.list(failed)) }
        parts.append("\(summary.items.count - failed.count) responses audited: \(summary.findings(.error)) errors, \(summary.findings(.warn)) warnings, \(summary.findings(.info)) infos")
        return parts.joined(separator: "; ")
    }

    /// What an audit found over all its responses, and its verdict.
    struct AuditSummary {
        var items: [AuditedItem]
        /// URLs that could not be fetched.
        var failures: Int
        var status: ExitCode

        func findings(_ severity: Severity) -> Int { items.flatMap(\.findings).filter { $0.severity == severity }.count }
    }

    static let auditSummaryColumns: [Column<AuditSummary>] = [
        Column("responses", .integer, help: "Responses audited.") { $0.items.count - $0.failures },
        Column("failures", .integer, help: "URLs that could not be fetched.", \.failures),
        Column("errors", .integer, help: "Error findings.") { $0.findings(.error) },
        Column("warnings", .integer, help: "Warning findings.") { $0.findings(.warn) },
        Column("infos", .integer, help: "Informational findings.") { $0.findings(.info) },
        Column("result", .status, help: "OK, WARNING or CRITICAL, as the exit status says.", \.status.description),
    ]
}

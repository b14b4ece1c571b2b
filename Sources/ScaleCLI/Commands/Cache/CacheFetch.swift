import CacheAudit
import Glibc
import ScaleCore
import ScaleHTTP

/// Live fetching for `cache audit`: every URL through ScaleHTTP's multi interface, redirects
/// followed hop by hop (each hop audited), then the active probes in one more batch.
enum CacheFetch {
    struct Options {
        var method = "GET"
        var headers: [HTTPHeader] = []
        var follow = false
        var maxHops = 10
        var concurrency = 16
        var timeout = 10.0
        var insecure = false
        var active = false
        var now: Int64?
        /// `--proxy`; nil goes direct, whatever the environment says, unless
        /// `proxyFromEnvironment` (`--proxy-from-env`).
        var proxy: String?
        var proxyFromEnvironment = false
    }

    /// Bodies are read only as far as the active checks need (a digest), then dropped.
    static let maxBodyBytes = 256 << 10

    static func request(_ url: String, _ options: Options, method: String? = nil, extra: [HTTPHeader] = []) -> HTTPRequest {
        var request = unrouted(url, options, method: method, extra: extra)
        request.proxyFromEnvironment = options.proxyFromEnvironment
        return request
    }

    private static func unrouted(_ url: String, _ options: Options, method: String?, extra: [HTTPHeader]) -> HTTPRequest {
        var headers = options.headers
        for header in extra {
            headers.removeAll { $0.name.lowercased() == header.name.lowercased() }
            headers.append(header)
        }
        return HTTPRequest(method: method ?? options.method, url: url, headers: headers,
                           connectTimeout: min(5, options.timeout), totalTimeout: options.timeout,
                           verifyTLS: !options.insecure, followRedirects: false,
                           maxBodyBytes: options.active ? maxBodyBytes : 64 << 10,
                           userAgent: "scalectl/\(ScaleCLI.version)", proxy: options.proxy)
    }

    /// Fetches through `services`, so tests can script the network and the clock.
    static func run(urls: [String], options: Options, services: Services) -> [CacheCommand.AuditedItem] {
        let transport = services.transport
        var chains: [[(item: CacheCommand.AuditedItem, base: Probe?, url: String)]] = Array(repeating: [], count: urls.count)
        var pending = urls.enumerated().map { (chain: $0.offset, url: $0.element, hop: 0) }
        let requestHeaders = options.headers.map { HeaderField($0.name, $0.value) }
        while !pending.isEmpty {
            let started = services.time.now()
            let results = transport.performAll(pending.map { request($0.url, options) }, concurrency: options.concurrency)
            var next: [(chain: Int, url: String, hop: Int)] = []
            for (hop, result) in zip(pending, results) {
                let label = Redaction.url(hop.url)
                switch result {
                case .failure(let failure):
                    chains[hop.chain].append((CacheCommand.AuditedItem(label: label, line: nil, httpVersion: "", audit: nil,
                                                                       failure: "\(failure.message) (\(failure.kind.rawValue))",
                                                                       failureKind: failure.kind.rawValue), nil, hop.url))
                case .success(let response):
                    let sent = started + response.timings.queueWaitSeconds
                    let received = sent + response.timings.totalSeconds
                    let headers = response.headers.map { HeaderField($0.name, $0.value) }
                    let exchange = Exchange(url: hop.url, method: options.method, requestHeaders: requestHeaders,
                                            status: response.status, headers: headers, receivedAt: Int64(received),
                                            requestTime: Int64(sent), now: options.now ?? Int64(received))
                    let item = CacheCommand.AuditedItem(label: label, line: nil, httpVersion: response.httpVersion,
                                                        audit: CacheAudit.audit(exchange))
                    let base = options.active && options.method == "GET" ? Probe(status: response.status, headers: headers, body: response.body) : nil
                    chains[hop.chain].append((item, base, hop.url))
                    if options.follow, (300...399).contains(response.status), response.status != 304,
                       let location = response.value(for: "location"), hop.hop < options.maxHops {
                        next.append((hop.chain, URLReference.resolve(location, against: hop.url), hop.hop + 1))
                    }
                }
            }
            pending = next
        }
        if options.active { probe(&chains, options: options, transport: transport) }
        return chains.flatMap { $0.map(\.item) }
    }

    /// Sends every active probe of every 200 in one batch and adds the findings to their items.
    static func probe(_ chains: inout [[(item: CacheCommand.AuditedItem, base: Probe?, url: String)]], options: Options, transport: any HTTPTransport) {
        var requests: [HTTPRequest] = []
        var owners: [(chain: Int, index: Int, kind: ActiveChecks.Kind)] = []
        for (c, chain) in chains.enumerated() {
            for (i, entry) in chain.enumerated() {
                guard let base = entry.base else { continue }
                for (kind, headers) in ActiveChecks.plan(base: base) {
                    requests.append(request(entry.url, options, method: "GET", extra: headers.map { HTTPHeader($0.name, $0.value) }))
                    owners.append((c, i, kind))
                }
            }
        }
        guard !requests.isEmpty else { return }
        let results = transport.performAll(requests, concurrency: options.concurrency)
        var byItem: [Int: [Int: [(kind: ActiveChecks.Kind, result: Result<Probe, ActiveChecks.ProbeFailure>)]]] = [:]
        for (owner, result) in zip(owners, results) {
            let probe: Result<Probe, ActiveChecks.ProbeFailure> = result
                .map { Probe(status: $0.status, headers: $0.headers.map { HeaderField($0.name, $0.value) }, body: $0.body) }
                .mapError { ActiveChecks.ProbeFailure("\($0.message) (\($0.kind.rawValue))") }
            byItem[owner.chain, default: [:]][owner.index, default: []].append((owner.kind, probe))
        }
        for (c, items) in byItem {
            for (i, probes) in items {
                guard let base = chains[c][i].base else { continue }
                chains[c][i].item.extra = ActiveChecks.evaluate(base: base, probes: probes)
            }
        }
    }
}

extension CacheCommand {
    static func harEntries(_ path: String, receivedAt: Int64?, now: Int64?, clock: Int64, console: any Console) throws(ScaleError) -> [AuditedItem] {
        let bytes = try InputFile.read(path, option: "--har", limit: inputLimit, what: "HAR file", console: console)
        let name = path == "-" ? "<stdin>" : path
        let entries: [HAREntry]
        do throws(HAR.FormatError) {
            entries = try HAR.entries(bytes)
        } catch {
            throw .input(error.message, at: name, fix: "export the HAR again from the browser's network panel")
        }
        return entries.map { e in
            let received = receivedAt ?? e.receivedAt ?? ResponseFields(e.headers).date.seconds ?? clock
            let exchange = Exchange(url: e.url, method: e.method, requestHeaders: e.requestHeaders, status: e.status,
                                    headers: e.headers, receivedAt: received, requestTime: receivedAt == nil ? e.startedAt : nil,
                                    now: now ?? received, receiptTimeKnown: receivedAt != nil || e.receivedAt != nil)
            return AuditedItem(label: Redaction.url(e.url), line: nil, httpVersion: e.httpVersion, audit: CacheAudit.audit(exchange))
        }
    }

    static func sitemapURLs(_ source: String, invocation: Invocation, context: CommandContext) throws(ScaleError) -> [String] {
        let bytes: [UInt8]
        if source.hasPrefix("http://") || source.hasPrefix("https://") {
            var request = HTTPRequest(url: source, totalTimeout: try invocation.duration(AuditOption.timeout) ?? 10,
                                      verifyTLS: !invocation.flag(AuditOption.insecure), followRedirects: true,
                                      maxBodyBytes: 50 << 20, userAgent: "scalectl/\(ScaleCLI.version)")
            request.headers = try requestHeaders(invocation.all(AuditOption.header))
            switch HTTPClient().perform(request) {
            case .failure(let failure):
                throw ScaleError(.target, "cannot fetch the sitemap: \(failure.message)", at: "--sitemap")
            case .success(let response):
                guard response.status == 200 else {
                    throw ScaleError(.target, "the sitemap answered \(response.status)", at: "--sitemap", fix: "check the URL")
                }
                bytes = response.body
            }
        } else {
            bytes = try InputFile.read(source, option: "--sitemap", limit: 50 << 20, what: "sitemap", console: context.console)
        }
        let urls = Sitemap.locations(bytes)
        if Sitemap.isIndex(bytes) {
            context.warn("\(source) is a sitemap index: auditing the sitemaps it lists, not their pages")
        }
        if urls.isEmpty { context.warn("\(source) lists no <loc> URLs") }
        return urls
    }
}

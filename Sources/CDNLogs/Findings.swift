import ScaleCore

/// "Why the misses": patterns in the counts that explain origin traffic, each naming the prefix,
/// path or extension, the evidence, and the origin bytes at stake (what fixing it could save
/// at most). Thresholds keep noise out: a pattern needs `minRequests` requests to be reported.
public struct Finding: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// One path under many query strings, mostly missing (tracking parameters in the key).
        case queryFragmentation = "query-fragmentation"
        /// Static files with long bodies that miss often (TTL or cache size too small).
        case staticMisses = "static-misses"
        /// PASS/BYPASS on GET responses that look cacheable (a cookie, a header, a bypass rule).
        case cacheablePass = "cacheable-pass"
        /// A stored copy that keeps expiring while it is in demand (TTL too short for the rate).
        case shortTTL = "short-ttl"
        /// A prefix with many requests and not one served from the cache.
        case neverHits = "never-hits"
        /// One URL stored as many copies, one per value of what its Vary names (or its cookies).
        case variantFragmentation = "vary-fragmentation"
        /// MISS/PASS responses that carried Set-Cookie (which most caches do not store).
        case setCookie = "set-cookie"
    }

    public var kind: Kind
    /// The prefix, path or extension the finding is about.
    public var target: String
    public var requests: UInt64
    /// Share of the target's requests that went to the origin for the reason found.
    public var ratio: Double
    public var originBytes: UInt64
    public var evidence: String
    public var advice: String
}

public struct FindingThresholds: Sendable, Equatable {
    public var minRequests: UInt64 = 20
    /// Distinct query strings of one path before it counts as fragmented.
    public var minDistinctQueries = 10
    /// MISS share of a fragmented path.
    public var fragmentationMissShare = 0.5
    /// MISS share of a static extension, and the average body that makes it "long".
    public var staticMissShare = 0.2
    public var longBody: UInt64 = 100 * 1024
    /// Share of a path's requests that found an expired copy.
    public var expiredShare = 0.1
    /// Distinct variants (Vary-named header values, or cookies) of one URL before it counts as fragmented.
    public var minDistinctVariants = 10

    public init() {}
}

extension LogStatistics {
    public func findings(_ limits: FindingThresholds = FindingThresholds()) -> [Finding] {
        var out: [Finding] = []
        out += queryFragmentation(limits)
        out += staticMisses(limits)
        out += cacheablePasses(limits)
        out += shortTTLs(limits)
        out += variantFragmentation(limits)
        out += setCookieMisses(limits)
        // A prefix another finding already explains (its query strings, its PASS on static
        // files) is not reported again as never hitting.
        let explained = Set(out.map(\.target))
        out += neverHits(limits).filter { !explained.contains($0.target) }
        return out.sorted { ($0.originBytes, $1.target) > ($1.originBytes, $0.target) }
    }

    private func path(_ key: ByteSlice) -> (path: ByteSlice, query: ByteSlice?) {
        guard let q = key.firstIndex(of: 0x3F) else { return (key, nil) }
        return (key.prefix(q), key.dropFirst(q + 1))
    }

    private func queryFragmentation(_ limits: FindingThresholds) -> [Finding] {
        let urls = table(.url)
        var groups: [[UInt8]: [Int]] = [:]
        for i in urls.indices {
            let (p, q) = path(urls.keySlice(at: i))
            guard q != nil else { continue }
            groups[p.bytes, default: []].append(i)
        }
        var out: [Finding] = []
        for (pathBytes, members) in groups where members.count >= limits.minDistinctQueries {
            var total = Tally()
            for i in members { total.merge(urls.values[i]) }
            let misses = total.requests(.miss)
            guard total.totalRequests >= limits.minRequests else { continue }
            let share = Double(misses) / Double(total.totalRequests)
            guard share >= limits.fragmentationMissShare else { continue }
            // Which parameters vary: distinct values per name over this path's query strings.
            var values: [String: Set<String>] = [:]
            for i in members {
                guard let query = path(urls.keySlice(at: i)).query else { continue }
                for pair in query.string.split(separator: "&") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    let name = String(parts.first ?? "")
                    if values[name, default: []].count < 10_000 { values[name, default: []].insert(parts.count > 1 ? String(parts[1]) : "") }
                }
            }
            let varying = values.map { ($0.key, $0.value.count) }.filter { $0.1 > 1 }
                .sorted { ($0.1, $1.0) > ($1.1, $0.0) }.prefix(3)
                .map { "\($0.0) (\($0.1) values)" }
            var evidence = "\(members.count) distinct query strings over \(total.totalRequests) requests, \(percent(share)) MISS"
            if !varying.isEmpty { evidence += "; parameters that vary: " + varying.joined(separator: ", ") }
            out.append(Finding(kind: .queryFragmentation, target: String(decoding: pathBytes, as: UTF8.self), requests: total.totalRequests,
                               ratio: share, originBytes: total.originBytes, evidence: evidence,
                               advice: "keep tracking and unused parameters out of the cache key (proxy_cache_key, vcl_hash, a CloudFront cache policy), or sort and allow-list them"))
        }
        return out
    }

    private func staticMisses(_ limits: FindingThresholds) -> [Finding] {
        let exts = table(.ext)
        var out: [Finding] = []
        for i in exts.indices {
            let ext = exts.keySlice(at: i).string
            guard StaticExtensions.contains(ext) else { continue }
            let t = exts.values[i]
            let cacheable = t.servedFromCache + t.requests(.miss)
            guard cacheable >= limits.minRequests, t.totalRequests > 0 else { continue }
            let share = Double(t.requests(.miss)) / Double(cacheable)
            let average = t.totalBytes / t.totalRequests
            guard share >= limits.staticMissShare, average >= limits.longBody else { continue }
            out.append(Finding(kind: .staticMisses, target: "." + ext, requests: t.totalRequests, ratio: share, originBytes: t.originBytes,
                               evidence: "\(percent(share)) of \(cacheable) cacheable requests MISS; \(SizeUnits.human(Double(average))) average body",
                               advice: "raise the TTL of these files, and check the cache's size and largest storable object (proxy_cache_path max_size, Varnish -s, slice/range caching)"))
        }
        return out
    }

    private func cacheablePasses(_ limits: FindingThresholds) -> [Finding] {
        let prefixes = table(.prefix)
        let urls = table(.url)
        var out: [Finding] = []
        for i in prefixes.indices {
            let t = prefixes.values[i]
            guard t.passCacheableRequests >= limits.minRequests else { continue }
            let prefix = prefixes.keySlice(at: i).string
            // The URL under this prefix with the most such passes, as an example.
            var example = ""
            var most: UInt64 = 0
            for j in urls.indices where urls.values[j].passCacheableRequests >= most && urls.values[j].passCacheableRequests > 0 {
                let key = urls.keySlice(at: j).string
                guard key.hasPrefix(prefix) else { continue }
                // Ties go to the smallest key, so the example does not depend on input order.
                let count = urls.values[j].passCacheableRequests
                if count > most || key < example { most = count; example = key }
            }
            let share = Double(t.passCacheableRequests) / Double(t.totalRequests)
            var evidence = "\(t.passCacheableRequests) GET responses with cacheable statuses and static extensions were PASS/BYPASS"
            if !example.isEmpty { evidence += "; e.g. \(example) (\(most))" }
            out.append(Finding(kind: .cacheablePass, target: prefix, requests: t.totalRequests, ratio: share, originBytes: t.passCacheableBytes,
                               evidence: evidence,
                               advice: "look for Set-Cookie, Cache-Control private/no-store, Vary: *, Authorization or a bypass rule (proxy_cache_bypass, return(pass)) on these responses"))
        }
        return out
    }

    private func shortTTLs(_ limits: FindingThresholds) -> [Finding] {
        let urls = table(.url)
        var groups: [[UInt8]: Tally] = [:]
        for i in urls.indices where urls.values[i].expiredRequests > 0 {
            groups[path(urls.keySlice(at: i)).path.bytes, default: Tally()].merge(urls.values[i])
        }
        let span = firstTime <= lastTime ? Double(lastTime - firstTime + 1) : 0
        // The paths that qualify, grouped by prefix (`--depth`): one row for ten files under
        // /static/ that all expire too soon, not ten rows.
        var byPrefix: [[UInt8]: [(path: [UInt8], tally: Tally, stake: UInt64)]] = [:]
        for (key, t) in groups where t.totalRequests >= limits.minRequests {
            let share = Double(t.expiredRequests) / Double(t.totalRequests)
            guard share >= limits.expiredShare else { continue }
            let misses = max(t.requests(.miss), 1)
            let stake = t.originBytes / misses * t.expiredRequests
            let prefix = key.withUnsafeBufferPointer { Array(key.prefix(Accumulator.prefixLength(ByteSlice(base: $0.baseAddress, count: $0.count), depth: depth))) }
            byPrefix[prefix, default: []].append((key, t, stake))
        }
        var out: [Finding] = []
        for (prefix, paths) in byPrefix {
            var t = Tally()
            for p in paths { t.merge(p.tally) }
            let stake = paths.reduce(0) { $0 + $1.stake }
            let share = Double(t.expiredRequests) / Double(t.totalRequests)
            let target: [UInt8]
            var evidence: String
            if paths.count == 1 {
                target = paths[0].path
                evidence = "\(t.expiredRequests) of \(t.totalRequests) requests found the stored copy expired"
            } else {
                target = prefix
                // The path with the most expiries (ties: the smallest), as an example.
                let top = paths.min { a, b in
                    a.tally.expiredRequests != b.tally.expiredRequests ? a.tally.expiredRequests > b.tally.expiredRequests : a.path.lexicographicallyPrecedes(b.path)
                }!
                evidence = "\(t.expiredRequests) of \(t.totalRequests) requests to \(paths.count) paths under it found the stored copy expired; "
                    + "most: \(String(decoding: top.path, as: UTF8.self)) (\(top.tally.expiredRequests) of \(top.tally.totalRequests))"
            }
            if span > 0 {
                let each = Double(t.totalRequests) / Double(paths.count), expiries = Double(t.expiredRequests) / Double(paths.count)
                evidence += " over \(DurationUnits.human(span)): one request every \(DurationUnits.human(span / each))"
                    + (paths.count == 1 ? "" : " per path") + ", a copy lasting at most about \(DurationUnits.human(span / expiries))"
            }
            out.append(Finding(kind: .shortTTL, target: String(decoding: target, as: UTF8.self), requests: t.totalRequests, ratio: share,
                               originBytes: stake, evidence: evidence,
                               advice: "raise its TTL (Cache-Control max-age, proxy_cache_valid) or serve stale while revalidating (stale-while-revalidate, proxy_cache_use_stale updating)"))
        }
        return out
    }

    /// Prefixes with at least `minRequests` requests, some of them MISS or PASS, and not one
    /// served from the cache; the share is of all MISS and PASS requests. The likely cause is
    /// what the log shows: PASS/BYPASS, methods that are never cached, query strings; the
    /// response headers that usually decide (Cache-Control no-store/private, Set-Cookie) are in
    /// no default log format, so the advice names them without claiming one.
    private func neverHits(_ limits: FindingThresholds) -> [Finding] {
        let prefixes = table(.prefix)
        let urls = table(.url)
        let allMisses = totals.requests(.miss) + totals.requests(.pass)
        guard allMisses > 0 else { return [] }
        let candidates = prefixes.indices.filter { i in
            let t = prefixes.values[i]
            let missesAndPasses = t.requests(.miss) + t.requests(.pass)
            return t.totalRequests >= limits.minRequests && t.servedFromCache == 0 && missesAndPasses >= limits.minRequests
        }
        guard !candidates.isEmpty else { return [] }
        // The URLs under each candidate, grouped on bytes by the URL's own prefix (the key the
        // prefix table counted it under): how many carry a query string. One pass over the URLs.
        var urlCounts: [[UInt8]: (paths: Int, withQuery: Int)] = [:]
        for i in candidates { urlCounts[prefixes.key(at: i)] = (0, 0) }
        for j in urls.indices {
            let key = urls.keySlice(at: j)
            let prefix = key.prefix(Accumulator.prefixLength(key, depth: depth)).bytes
            guard let counts = urlCounts[prefix] else { continue }
            urlCounts[prefix] = (counts.paths + 1, counts.withQuery + (key.firstIndex(of: 0x3F) != nil ? 1 : 0))
        }
        var out: [Finding] = []
        for i in candidates {
            let t = prefixes.values[i]
            let misses = t.requests(.miss), passes = t.requests(.pass)
            let prefix = prefixes.keySlice(at: i).string
            let (paths, withQuery) = urlCounts[prefixes.key(at: i)] ?? (0, 0)
            let share = Double(misses + passes) / Double(allMisses)
            var evidence = "\(t.totalRequests) requests, none from the cache (\(misses) MISS, \(passes) PASS): \(percent(share)) of all MISS and PASS"
            let cause: String
            if t.unsafeMissRequests * 2 > misses + passes {
                cause = "\(t.unsafeMissRequests) are methods no cache stores (POST, PUT, …)"
            } else if passes * 2 > misses + passes {
                cause = "the cache was told not to store them (PASS/BYPASS: a bypass rule, or no-store/private/Set-Cookie from the origin)"
            } else if paths > 0, withQuery * 2 > paths {
                // Past its limit the URL table keeps only the most requested URLs: say so.
                cause = urls.isEstimate
                    ? "\(withQuery) of the \(paths) URLs kept under it carry a query string (one copy each; the URL table kept only the most requested \(urls.limit) URLs)"
                    : "\(withQuery) of \(paths) URLs carry a query string (one copy each)"
            } else {
                cause = "every cacheable request went to the origin and none was stored"
            }
            evidence += "; " + cause
            out.append(Finding(kind: .neverHits, target: prefix, requests: t.totalRequests, ratio: share, originBytes: t.originBytes,
                               evidence: evidence,
                               advice: "check the origin's Cache-Control (no-store, private, max-age=0) and Set-Cookie on these responses, and any bypass rule; "
                                   + "the log records none of them unless the format adds them (nginx $upstream_http_cache_control and $upstream_http_set_cookie, "
                                   + "varnishncsa %{Cache-Control}o, Apache %{Cache-Control}o and %{cache-status}e)"))
        }
        return out
    }

    /// URLs whose requests asked for many copies (distinct values of the request headers their
    /// `Vary` names, or of the Cookie header where the log has no `Vary`) and that were seldom
    /// served from the cache: each copy is fetched and stored on its own.
    private func variantFragmentation(_ limits: FindingThresholds) -> [Finding] {
        var out: [Finding] = []
        for e in variants.entries where e.requests >= limits.minRequests && e.distinct >= limits.minDistinctVariants {
            let base = e.served + e.misses + e.passes
            guard base > 0 else { continue }
            let hitRatio = Double(e.served) / Double(base)
            guard 1 - hitRatio >= limits.fragmentationMissShare else { continue }
            let by = e.vary.isEmpty ? "Cookie" : "Vary: " + String(decoding: e.vary.map { $0 < 0x20 || $0 > 0x7E ? 0x3F : $0 }, as: UTF8.self)
            let count = e.overflow ? "more than \(VariantTable.maxVariants)" : "\(e.distinct)"
            var evidence = "fragmented by \(by) (\(count) variants over \(e.requests) requests, hit ratio \(percent(hitRatio)))"
            if e.unloggedVary { evidence += "; the Vary also names headers the log does not have, so there may be more" }
            let advice = e.vary.isEmpty
                ? "keep cookies out of the cache key unless the response depends on them (a CloudFront cache policy's cookie list, proxy_cache_key without $http_cookie, vcl_hash), or strip the ones it does not need"
                : "normalise what the Vary names before the cache sees it (a device class instead of User-Agent, a few languages instead of Accept-Language), or drop it from the Vary"
            out.append(Finding(kind: .variantFragmentation, target: String(decoding: e.url, as: UTF8.self), requests: e.requests,
                               ratio: 1 - hitRatio, originBytes: e.originBytes, evidence: evidence, advice: advice))
        }
        return out
    }

    /// Prefixes whose MISS and PASS responses mostly carried `Set-Cookie`: nginx's proxy_cache
    /// and Varnish's built-in VCL do not store such a response, so each request goes to the origin.
    private func setCookieMisses(_ limits: FindingThresholds) -> [Finding] {
        guard variants.logged(.setCookie) else { return [] }
        var byPrefix: [[UInt8]: (requests: UInt64, missesAndPasses: UInt64, withCookie: UInt64, origin: UInt64)] = [:]
        for e in variants.entries where e.setCookieMissOrPass > 0 {
            let prefix = e.url.withUnsafeBufferPointer { Array(e.url.prefix(Accumulator.prefixLength(ByteSlice(base: $0.baseAddress, count: $0.count), depth: depth))) }
            let old = byPrefix[prefix] ?? (0, 0, 0, 0)
            byPrefix[prefix] = (old.requests + e.requests, old.missesAndPasses + e.misses + e.passes, old.withCookie + e.setCookieMissOrPass,
                                old.origin + e.originBytes)
        }
        var out: [Finding] = []
        for (prefix, t) in byPrefix where t.withCookie >= limits.minRequests && t.withCookie * 2 >= t.missesAndPasses {
            let share = Double(t.withCookie) / Double(t.requests)
            out.append(Finding(kind: .setCookie, target: String(decoding: prefix, as: UTF8.self), requests: t.requests, ratio: share,
                               originBytes: t.origin,
                               evidence: "\(t.withCookie) of \(t.missesAndPasses) MISS/PASS responses carried Set-Cookie: likely not stored because of it",
                               advice: "send Set-Cookie only where a session starts (not on cacheable pages), or have the cache drop it for static files (proxy_hide_header and proxy_ignore_headers Set-Cookie, unset beresp.http.Set-Cookie in vcl_backend_response)"))
        }
        return out
    }

    /// What `cdn why` says about Vary and cookie fragmentation beside its findings: where the
    /// log has neither header, what to add to each format seen to see it (cookie values are
    /// secrets, and the advice says so wherever it names them).
    public var variantNotes: [String] {
        var notes: [String] = []
        if variants.logged(.vary) || variants.logged(.cookie) {
            let seen = HeaderField.allCases.filter { variants.logged($0) }.map(\.displayName)
            notes.append("vary-fragmentation: variants counted from the logged \(seen.joined(separator: ", ")) (cookie values kept only as hashes, never shown)")
            if variants.untrackedRequests > 0 {
                notes.append("vary-fragmentation: only the first \(VariantTable.maxURLs) URLs with these headers were followed; \(variants.untrackedRequests) requests to later ones were not")
            }
            return notes
        }
        for name in formatNames {
            guard let format = LogFormat(rawValue: name) else { continue }
            notes.append("vary-fragmentation: " + Self.variantAdvice(format))
        }
        return notes
    }

    static func variantAdvice(_ format: LogFormat) -> String {
        let secret = "but they put cookie values, which are secrets (sessions), in the log: keep such a log like one (scalectl keeps only hashes of them and prints counts)"
        switch format {
        case .nginx:
            return "the log has no Vary or Cookie field; to see fragmentation by Vary, add $sent_http_vary and the request headers it names "
                + "($http_user_agent, $http_accept_encoding, $http_accept_language) to the log_format and read it with --nginx-log-format; "
                + "$upstream_http_set_cookie shows responses not stored because of Set-Cookie and $http_cookie (or $cookie_NAME for the one cookie "
                + "the cache key uses) fragmentation by cookies, " + secret
        case .apache, .varnish:
            return "the log has no Vary or Cookie field; to see fragmentation by Vary, add %{Vary}o and the request headers it names "
                + "(%{User-Agent}i, %{Accept-Encoding}i, %{Accept-Language}i) to the format and read it with --apache-log-format; "
                + "%{Set-Cookie}o shows responses not stored because of Set-Cookie and %{Cookie}i fragmentation by cookies, " + secret
        case .cloudfront:
            return "CloudFront's standard log has no Vary field; turning on cookie logging in the distribution's standard logging settings "
                + "fills cs(Cookie) and shows fragmentation by cookies, " + secret
        case .cloudfrontRealtime:
            return "CloudFront's real-time log has no Vary field; adding cs-cookie to the real-time log configuration (and to --cloudfront-fields) "
                + "shows fragmentation by cookies, " + secret
        case .fastly:
            return "the log has no Vary or Cookie member; to see fragmentation by Vary, add \"vary\" (resp.http.Vary) and the request headers it "
                + "names (\"user_agent\", \"accept_encoding\", \"accept_language\") to the JSON log format; \"set_cookie\" (resp.http.Set-Cookie) "
                + "shows responses not stored because of it and \"cookie\" (req.http.Cookie) fragmentation by cookies, " + secret
        case .cloudflare:
            return "the log has no RequestHeaders or ResponseHeaders; to see fragmentation by Vary, add Logpush custom fields (a custom fields "
                + "rule for the http_requests dataset) with the response header vary and the request headers it names (user-agent, "
                + "accept-encoding, accept-language); the response header set-cookie shows responses not stored because of it and the "
                + "request header cookie (or Cookies, for the cookie names the cache key uses) fragmentation by cookies, " + secret
        case .akamai, .squid, .ats, .haproxy:
            return "this format has no Vary or Cookie field scalectl reads, so fragmentation by them is not checked"
        }
    }

    private func percent(_ r: Double) -> String {
        let v = (r * 1000).rounded() / 10
        return (v == v.rounded() ? String(Int(v)) : String(v)) + "%"
    }
}


import HealthProbe
import ScaleCore
import ScaleHTTP

/// `probe --all-addresses`: every target whose host is a name becomes one target per address
/// the name resolves to, each pinned to its address with libcurl's CURLOPT_RESOLVE — so the
/// request still carries the name (Host header, SNI, certificate check) while the connection
/// goes to that one address. A DNS round-robin pool then shows a dead member as its own DOWN
/// row instead of hiding it behind whichever address libcurl happened to pick.
enum ProbeAddresses {
    /// Replaces `setup`'s targets and requests with the pinned ones. Returns the DNS failures
    /// of names that gave no address, by request URL: each stays one target, DOWN `dns`.
    static func expand(_ setup: inout ProbeSetup, resolver: any AddressResolver, now: Double) throws(ScaleError) -> [String: HTTPFailure] {
        if setup.proxy != nil || setup.proxyFromEnvironment {
            let flag = setup.proxy != nil ? "--proxy" : "--proxy-from-env"
            throw .usage("--all-addresses cannot be combined with \(flag)", at: "--all-addresses",
                         fix: "a proxy resolves the name itself and connects to one address: leave out \(flag) or --all-addresses")
        }
        // The names to ask for, by address family: a --resolve entry for HOST:PORT is the
        // answer already, as it is for curl, and an IP address is its own single address.
        var lookups: [HTTPRequest.IPVersion: Set<String>] = [:]
        for (target, request) in zip(setup.targets, setup.requests)
        where !IPAddressText.isLiteral(target.host) && given(request.resolve, host: target.host, port: target.port) == nil {
            lookups[request.ipVersion, default: []].insert(target.host)
        }
        // Within --timeout, and within what --deadline leaves: the lookups count against it.
        let left = setup.deadlineAt.map { $0 - now } ?? .infinity
        let timeout = max(min(setup.requests.map(\.totalTimeout).max() ?? 2, left), ProbeDeadline.minimumProbe)
        var answers: [HTTPRequest.IPVersion: [String: Result<[String], ResolutionFailure>]] = [:]
        for (version, hosts) in lookups {
            answers[version] = resolver.resolve(hosts.sorted(), ipVersion: version, timeout: timeout)
        }

        var targets: [ProbeTarget] = []
        var requests: [HTTPRequest] = []
        var failures: [String: HTTPFailure] = [:]
        for (target, request) in zip(setup.targets, setup.requests) {
            if IPAddressText.isLiteral(target.host) {
                targets.append(target)
                requests.append(request)
                continue
            }
            let answer = given(request.resolve, host: target.host, port: target.port).map { Result<[String], ResolutionFailure>.success($0) }
                ?? answers[request.ipVersion]?[target.host]
                ?? .failure(ResolutionFailure(message: "could not resolve \(target.host)", elapsedSeconds: 0))
            switch answer {
            case .success(let addresses):
                for address in addresses {
                    targets.append(target.pinned(to: address))
                    requests.append(pinned(request, host: target.host, port: target.port, to: address))
                }
            case .failure(let failure):
                targets.append(target)
                requests.append(request)
                failures[request.url] = HTTPFailure(kind: .dns, message: failure.message, url: Redaction.url(request.url),
                                                    elapsedSeconds: failure.elapsedSeconds)
            }
        }
        setup.targets = targets
        setup.requests = requests
        return failures
    }

    /// `request` sent to `address` only: its own --resolve entry for HOST:PORT is replaced.
    static func pinned(_ request: HTTPRequest, host: String, port: Int, to address: String) -> HTTPRequest {
        var copy = request
        copy.resolve = request.resolve.filter { ResolveEntry($0).map { !$0.answers(host: host, port: port) } ?? true }
            + ["\(host):\(port):\(address.contains(":") ? "[\(address)]" : address)"]
        return copy
    }

    /// The addresses a `HOST:PORT:ADDR[,ADDR…]` entry gives for `host`:`port`, brackets removed.
    static func given(_ entries: [String], host: String, port: Int) -> [String]? {
        entries.reversed().lazy.compactMap(ResolveEntry.init).first { $0.answers(host: host, port: port) }?.addresses
    }

    /// The transport with the names that did not resolve answered at once with their DNS
    /// failure. In a session (a watch, a --deadline round) each target's first probe is
    /// answered so, every listing of a URL listed twice included: in a watch, later probes of
    /// such a target let libcurl resolve the name afresh, so a name that comes back is seen.
    struct UnresolvedNames: HTTPTransport {
        let base: any HTTPTransport
        let failures: [String: HTTPFailure]

        func performAll(_ requests: [HTTPRequest], concurrency: Int) -> [Result<HTTPResponse, HTTPFailure>] {
            let passed = requests.indices.filter { failures[requests[$0].url] == nil }
            var results = requests.map { request in failures[request.url].map { Result<HTTPResponse, HTTPFailure>.failure($0) } }
            for (index, result) in zip(passed, base.performAll(passed.map { requests[$0] }, concurrency: concurrency)) {
                results[index] = result
            }
            return results.map { $0! }
        }

        func makeSession(concurrency: Int) -> any HTTPSession {
            Session(base: base.makeSession(concurrency: concurrency), failures: failures)
        }

        final class Session: HTTPSession {
            let base: any HTTPSession
            let failures: [String: HTTPFailure]
            /// The targets (by tag) already answered with their failure.
            var answered: Set<Int> = []
            var ready: [HTTPSessionResult] = []

            init(base: any HTTPSession, failures: [String: HTTPFailure]) {
                self.base = base
                self.failures = failures
            }

            func add(_ request: HTTPRequest, tag: Int) {
                if let failure = failures[request.url], answered.insert(tag).inserted {
                    ready.append(HTTPSessionResult(tag: tag, result: .failure(failure)))
                } else {
                    base.add(request, tag: tag)
                }
            }

            func poll(timeout: Double) -> [HTTPSessionResult] {
                guard !ready.isEmpty else { return base.poll(timeout: timeout) }
                defer { ready = [] }
                return ready + (base.pending > 0 ? base.poll(timeout: 0) : [])
            }

            var pending: Int { ready.count + base.pending }
        }
    }
}

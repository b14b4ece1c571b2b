import ScaleCore
import ScaleHTTP

/// `--proxy URL`, the one definition every command that fetches over HTTP lists, and the one
/// rule behind it: requests go direct unless `--proxy` names a proxy. libcurl would otherwise
/// read `http_proxy`, `HTTPS_PROXY` and `ALL_PROXY` from the environment without a word, and a
/// health check would report the proxy's answer and timings as the target's — an UP for a
/// target that refuses every connection. ScaleHTTP applies the rule (HTTPRequest.proxy); this
/// file parses the option and writes the notes that say what was done.
enum ProxyOption {
    static let spec = OptionSpec(
        "proxy", short: "x", value: "URL", completion: .url,
        help: "send every request through this proxy (http://, https://, socks5h://…; a password in it is never printed); without it (or --proxy-from-env) proxy variables in the environment are ignored",
        brief: "send every request through this proxy (http://, https://, socks5h://…)")

    static let fromEnvironment = OptionSpec(
        "proxy-from-env",
        help: "use the proxy that http_proxy, https_proxy/HTTPS_PROXY or all_proxy/ALL_PROXY name (and no_proxy/NO_PROXY), as curl does")

    /// `--proxy-from-env`, refused beside `--proxy` (two answers to one question).
    static func fromEnvironment(_ invocation: Invocation) throws(ScaleError) -> Bool {
        guard invocation.flag(fromEnvironment) else { return false }
        if invocation.has(spec) {
            throw .usage("--proxy-from-env and --proxy exclude each other", at: "--proxy-from-env", fix: "give one of them")
        }
        return true
    }

    /// The `--proxy` URL, checked; nil when not given.
    static func parse(_ invocation: Invocation) throws(ScaleError) -> String? {
        guard let proxy = invocation.value(spec) else { return nil }
        if let problem = HTTPRequest.proxyProblem(proxy) {
            throw .usage(problem, at: "--proxy", fix: "write e.g. http://proxy.example:3128 or socks5h://127.0.0.1:1080")
        }
        return proxy
    }

    /// What the output says about proxies: the one used (password as `***`), or the
    /// environment variables that were set and not used (names only: a value may hold a password).
    static func notes(proxy: String?, environment: [String: String], fromEnvironment: Bool = false) -> [String] {
        let set = Redaction.environmentProxyVariables.filter { !(environment[$0] ?? "").isEmpty }
        if fromEnvironment {
            // Names only: a value may hold a password.
            guard !set.isEmpty else { return ["--proxy-from-env: no proxy variable is set in the environment: requests went direct"] }
            return ["requests went through the proxy that \(set.joined(separator: ", ")) name\(set.count == 1 ? "s" : "") (--proxy-from-env), except hosts no_proxy/NO_PROXY lists: answers, failures and timings are the proxy's as much as the target's"]
        }
        if let proxy {
            return ["requests went through the proxy \(Redaction.url(proxy)) (--proxy): answers, failures and timings are the proxy's as much as the target's"]
        }
        guard !set.isEmpty else { return [] }
        return ["\(set.joined(separator: ", ")) \(set.count == 1 ? "is" : "are") set in the environment and ignored: requests went direct; give --proxy URL to go through a proxy"]
    }
}

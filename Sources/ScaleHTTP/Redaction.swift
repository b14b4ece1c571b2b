import Glibc
import ScaleCore

/// Keeps credentials out of everything ScaleHTTP lets out: failure messages, effective URLs,
/// descriptions of requests.
public enum Redaction {
    /// The variables libcurl takes a proxy from; the upper-case HTTP_PROXY is not among them
    /// (a CGI program could be sent one in a request header).
    public static let environmentProxyVariables = ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"]

    /// `url` with the password of its userinfo replaced by `***`:
    /// `https://user:pw@host/` → `https://user:***@host/`. Everything else is kept, so the
    /// result still says which host and path failed.
    public static func url(_ url: String) -> String {
        guard let range = passwordRange(in: url) else { return url }
        var redacted = url
        redacted.replaceSubrange(range, with: "***")
        return redacted
    }

    /// The password inside `url`'s userinfo, as written (possibly percent-encoded).
    static func password(in url: String) -> Substring? {
        passwordRange(in: url).map { url[$0] }
    }

    private static func passwordRange(in url: String) -> Range<String.Index>? {
        let afterScheme = url.firstRange(of: "://")?.upperBound ?? url.startIndex
        let rest = url[afterScheme...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = url[afterScheme..<authorityEnd]
        // The last "@" ends the userinfo: a stray "@" in a password then stays redacted too.
        guard let at = authority.lastIndex(of: "@"),
              let colon = authority[..<at].firstIndex(of: ":") else { return nil }
        let start = url.index(after: colon)
        return start < at ? start..<at : nil
    }

    /// `text` with every secret of `request` (URL password, credential header values) replaced
    /// by `***`. Secrets shorter than four characters are left alone: replacing them would
    /// garble ordinary words, and libcurl's messages do not quote them anyway.
    /// With `proxyFromEnvironment`, libcurl reads the proxy from these variables itself, so their
    /// passwords are secrets of the request too; `environment` is the process's unless given.
    public static func scrub(_ text: String, secretsOf request: HTTPRequest, environment: [String: String]? = nil) -> String {
        var secrets: [String] = []
        var proxies = request.proxy.map { [$0] } ?? []
        if request.proxy == nil, request.proxyFromEnvironment {
            for name in environmentProxyVariables {
                if let value = environment.map({ $0[name] }) ?? getenv(name).map({ String(cString: $0) }) { proxies.append(value) }
            }
        }
        for url in [request.url] + proxies {
            if let password = password(in: url) {
                secrets.append(String(password))
                secrets.append(PercentEncoding.decode(password))
            }
        }
        for header in request.headers where header.isSecret {
            secrets.append(header.value)
            // "Bearer <token>": the token alone is the secret part.
            if let space = header.value.lastIndex(of: " ") {
                secrets.append(String(header.value[header.value.index(after: space)...]))
            }
        }
        var result = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where secret.count >= 4 {
            result = result.replacing(secret, with: "***")
        }
        return result
    }
}

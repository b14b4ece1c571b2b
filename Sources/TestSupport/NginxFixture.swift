import Glibc
import Synchronization

/// A real Debian nginx serving static files on 127.0.0.1, in a directory of its own, for tests
/// that must meet real server behaviour (ETag, conditional GET, keep-alive, TLS, HTTP/2).
///
/// Follows docs/test-fixtures.md: a free port below 32768 (the ephemeral range collides),
/// every path nginx writes under the fixture's directory, readiness polled against a deadline,
/// and `stop()` ending exactly the PID it started. nginx's own defaults apply to the files:
/// `ETag` and `Last-Modified` on every static response; the fixture adds
/// `Cache-Control: public, max-age=60` so cache headers are there to read.
public final class NginxFixture: Sendable {
    public static let executable = "/usr/sbin/nginx"
    public static let opensslExecutable = "/usr/bin/openssl"
    public static let cacheControl = "public, max-age=60"
    /// Days of validity of the self-signed certificate of a TLS fixture.
    public static let certificateDays = 30

    public let port: UInt16
    /// The fixture's own directory; served files live under `documentRoot`.
    public let directory: String
    public var documentRoot: String { "\(directory)/html" }
    /// The PEM certificate nginx presents (TLS fixtures only): a trust anchor for `caFile`.
    public let certificatePath: String?
    /// `http://127.0.0.1:<port>` or `https://…` for a TLS fixture.
    public var baseURL: String { "\(certificatePath == nil ? "http" : "https")://127.0.0.1:\(port)" }
    /// The access log; a caching proxy writes it in `cacheLogFormat`.
    public var accessLogPath: String { "\(directory)/access.log" }

    /// The `log_format` of a caching proxy: combined, then `$request_time` and `$upstream_cache_status`.
    public static let cacheLogFormat = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time $upstream_cache_status"

    private let process: ChildProcess
    private let temporary: TemporaryDirectory
    private let stopped = Mutex(false)

    /// Starts nginx serving `files` (paths relative to the document root). With `tls`, it
    /// serves HTTPS and HTTP/2 with a fresh self-signed certificate for `127.0.0.1`
    /// (CN `scalectl-test`, valid `certificateDays` days), which needs the openssl command.
    /// `certificate` (with `tls`) is presented instead of the fresh self-signed one.
    /// With `http2Cleartext` (and no TLS) it speaks only HTTP/2 with prior knowledge (h2c).
    ///
    /// `serverConfig`, when given, replaces the default `location / { add_header Cache-Control … }`
    /// inside the server block (for `expires`, `add_header`, `gzip` per location); `httpConfig`
    /// is added to the http block (e.g. `gzip on;`). `locations` adds `location KEY { VALUE }`
    /// blocks for answers nginx computes rather than serves from a file:
    /// `["= /down": "return 503;"]`, `["= /old": "return 301 /new;"]`.
    public convenience init(files: [String: [UInt8]], tls: Bool = false, certificate: TestCertificateAuthority.Issued? = nil,
                            http2Cleartext: Bool = false, serverConfig: String? = nil, httpConfig: String = "",
                            locations: [String: String] = [:]) throws {
        try self.init(files: files, tls: tls, certificate: certificate, http2Cleartext: http2Cleartext, serverConfig: serverConfig,
                      httpConfig: httpConfig, locations: locations, upstream: nil)
    }

    /// A caching reverse proxy (`proxy_cache`) in front of an origin on 127.0.0.1:`originPort`,
    /// logging in `cacheLogFormat` and answering with `X-Cache: $upstream_cache_status`, so a
    /// test can compare nginx's own verdict per response with what the log analysis says.
    /// Freshness comes from the origin's Cache-Control; `?nocache=1` bypasses the cache.
    public convenience init(cachingProxyTo originPort: UInt16) throws {
        try self.init(files: [:], tls: false, certificate: nil, http2Cleartext: false, serverConfig: nil, httpConfig: "",
                      locations: [:], upstream: originPort)
    }

    private init(files: [String: [UInt8]], tls: Bool, certificate given: TestCertificateAuthority.Issued?,
                 http2Cleartext: Bool, serverConfig: String?,
                 httpConfig: String, locations: [String: String], upstream: UInt16?) throws {
        try ServerRequirement.check(Self.executable, package: "nginx-light")
        let temporary = try TemporaryDirectory(prefix: "scalectl-nginx")
        var started: (ChildProcess, UInt16)?
        do {
            for (name, bytes) in files { try temporary.write("html/\(name)", bytes) }
            try temporary.write("html/.keep", [])
            var certificate: String?
            if tls {
                if let given {
                    try temporary.write("cert.pem", Array((readTextFile(given.certificatePath) ?? "").utf8))
                    try temporary.write("key.pem", Array((readTextFile(given.keyPath) ?? "").utf8))
                    certificate = "\(temporary.path)/cert.pem"
                } else {
                    try ServerRequirement.check(Self.opensslExecutable, package: "openssl")
                    certificate = try Self.makeCertificate(in: temporary.path)
                }
            }
            // Another process may take the port between our check and nginx's bind: try again.
            var lastError = ""
            for _ in 0..<5 {
                let port = try LoopbackSocket.freePort()
                try temporary.write("nginx.conf", Array(Self.config(directory: temporary.path, port: port, tls: tls, h2c: http2Cleartext,
                                                                        server: serverConfig, http: httpConfig,
                                                                        locations: locations, upstream: upstream).utf8))
                switch try Self.launch(in: temporary.path, port: port) {
                case .ready(let process):
                    started = (process, port)
                case .portTaken(let log):
                    lastError = log
                    continue
                }
                break
            }
            guard let (process, port) = started else {
                throw FixtureError("nginx could not bind a free port: \(lastError)")
            }
            self.process = process
            self.port = port
            self.certificatePath = certificate
            self.directory = temporary.path
            self.temporary = temporary
        } catch {
            started?.0.terminate(grace: 2)
            temporary.remove()
            throw error
        }
    }

    deinit { stop() }

    /// Stops nginx (SIGTERM, SIGKILL after 5 s) and removes the directory. Idempotent.
    public func stop() {
        guard stopped.claimFirst() else { return }
        process.terminate(grace: 5)
        temporary.remove()
    }

    /// nginx's error log so far, for failure messages.
    public var errorLog: String { (readTextFile("\(directory)/error.log") ?? "") }

    enum Launch {
        case ready(ChildProcess)
        case portTaken(String)
    }

    static func launch(in directory: String, port: UInt16) throws -> Launch {
        let process = try ChildProcess(executable, [
            "-p", directory, "-c", "\(directory)/nginx.conf", "-e", "\(directory)/error.log",
            "-g", "daemon off; pid \(directory)/nginx.pid; error_log \(directory)/error.log;",
        ], outputPath: "\(directory)/stdout.log")
        if process.waitUntil(within: 5, { LoopbackSocket.accepts(port: port) }) { return .ready(process) }
        if let code = process.poll() {
            let log = (readTextFile("\(directory)/error.log") ?? "") + (readTextFile("\(directory)/stdout.log") ?? "")
            if log.contains("Address already in use") { return .portTaken(log) }
            throw FixtureError("nginx exited with status \(code) during start: \(log)")
        }
        process.terminate(grace: 2)
        throw FixtureError("nginx did not accept connections on 127.0.0.1:\(port) within 5 s: \((readTextFile("\(directory)/error.log") ?? ""))")
    }

    private static func makeCertificate(in directory: String) throws -> String {
        let certificate = "\(directory)/cert.pem"
        try ChildProcess.run(opensslExecutable, [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(directory)/key.pem", "-out", certificate, "-days", String(certificateDays),
            "-subj", "/CN=scalectl-test", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
        ], outputPath: "\(directory)/openssl.log", timeout: 20)
        chmod(certificate, 0o644)
        return certificate
    }

    /// nginx's serial number of the connection each request came on, in order: how many
    /// connections a client really opened (`$connection`, one line per request). nginx logs a
    /// request after sending its answer, so a client can be done before the line is written:
    /// this waits (up to two seconds) until `expected` lines are there.
    public func connectionNumbers(expected: Int) -> [Int] {
        let deadline = monotonicSeconds() + 2
        while true {
            let numbers = (readTextFile("\(directory)/connections.log") ?? "").split(separator: "\n").compactMap { Int($0) }
            if numbers.count >= expected || monotonicSeconds() > deadline { return numbers }
            usleep(5_000)
        }
    }

    private static func config(directory: String, port: UInt16, tls: Bool, h2c: Bool, server: String?, http: String,
                               locations: [String: String], upstream: UInt16?) -> String {
        let extra = locations.sorted { $0.key < $1.key }
            .map { "location \($0.key) { \($0.value) }" }.joined(separator: "\n        ")
        let listen = tls
            ? """
              listen 127.0.0.1:\(port) ssl http2;
                      ssl_certificate \(directory)/cert.pem;
                      ssl_certificate_key \(directory)/key.pem;
              """
            : "listen 127.0.0.1:\(port)\(h2c ? " http2" : "");"
        if let upstream {
            return """
            worker_processes 1;
            events { worker_connections 256; }
            http {
                log_format cache '\(cacheLogFormat)';
                access_log \(directory)/access.log cache;
                client_body_temp_path \(directory)/client_body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                proxy_cache_path \(directory)/cache levels=1:2 keys_zone=scalectl:1m max_size=64m inactive=10m use_temp_path=off;
                server {
                    \(listen)
                    location / {
                        proxy_pass http://127.0.0.1:\(upstream);
                        proxy_cache scalectl;
                        proxy_cache_bypass $arg_nocache;
                        proxy_no_cache $arg_nocache;
                        add_header X-Cache $upstream_cache_status always;
                    }
                }
            }

            """
        }
        return """
        worker_processes 1;
        events { worker_connections 256; }
        http {
            log_format connections '$connection';
            access_log \(directory)/access.log;
            access_log \(directory)/connections.log connections;
            client_body_temp_path \(directory)/client_body;
            proxy_temp_path \(directory)/proxy;
            fastcgi_temp_path \(directory)/fastcgi;
            uwsgi_temp_path \(directory)/uwsgi;
            scgi_temp_path \(directory)/scgi;
            types { text/html html; text/plain txt; text/css css; application/javascript js; application/json json; }
            default_type application/octet-stream;
            \(http)
            server {
                \(listen)
                root \(directory)/html;
                \(server ?? "location / { add_header Cache-Control \"\(cacheControl)\"; }")
                \(extra)
            }
        }

        """
    }
}

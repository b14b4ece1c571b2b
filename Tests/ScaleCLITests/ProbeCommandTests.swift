import Glibc
import HealthProbe
import ScaleCLI
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// Golden tests of one round against a scripted network: exact stdout, stderr and exit status.
/// Every figure below is worked from the canned libcurl marks by hand (phases are differences
/// of neighbouring marks; the certificate expires 30 days after the fake clock's now).
@Suite("scalectl probe: one round, golden output")
struct ProbeCommandTests {
    static let targetsFile = """
    # the pool
    https://api-1.example.com/health api-1
    https://api-2.example.com/health api-2
    tcp://db.example.com:5432 db

    """
    /// 1,700,000,000 + 30 × 86,400 = 1,702,592,000 = Thu Dec 14 22:13:20 UTC 2023 (GNU date).
    static let expiry = "Dec 14 22:13:20 2023 GMT"

    static func pool() -> ScriptedTransport {
        ScriptedTransport([
            "https://api-1.example.com/health": [Canned.ok(200, body: "ok", ip: "10.0.0.1",
                                                           marks: Canned.marks(dns: 1_000, connect: 3_000, tls: 10_000, firstByte: 25_000, total: 30_000),
                                                           expiry: expiry, version: "HTTP/2")],
            "https://api-2.example.com/health": [Canned.ok(503, body: "down", ip: "10.0.0.2",
                                                           marks: Canned.marks(dns: 1_000, connect: 3_000, tls: 9_000, firstByte: 12_000, total: 12_500),
                                                           expiry: expiry)],
            "tcp://db.example.com:5432": [Canned.failure(.refused, "Failed to connect to db.example.com port 5432 after 0 ms: Couldn't connect to server",
                                                         url: "tcp://db.example.com:5432", elapsed: 0.0008, marks: CurlTimeMarks(nameLookup: 500))],
        ])
    }

    @Test("the table: verdicts with reasons, phases in ms, bytes, address, certificate days; summary with percentiles")
    func table() {
        let result = runProbe(["-"], transport: Self.pool(), standardInput: Self.targetsFile)
        #expect(result.out == """
        TARGET  VERDICT  STATUS    REASON      CODE    DNS  CONNECT    TLS  FIRST BYTE   TOTAL  BYTES  REMOTE IP  TLS DAYS
        api-1   UP       OK        -            200  1.0ms    2.0ms  7.0ms      15.0ms  30.0ms    2 B  10.0.0.1       30.0
        api-2   DOWN     CRITICAL  status 503   503  1.0ms    2.0ms  6.0ms       3.0ms  12.5ms    4 B  10.0.0.2       30.0
        db      DOWN     CRITICAL  refused        -  0.5ms        -      -           -   0.8ms      -  -                 -

        TARGETS:      3
        UP:           1
        DOWN:         2
        STATUS:       CRITICAL
        POOL FAILURE: yes
        P50:          12.5ms
        P90:          30.0ms
        P99:          30.0ms
        MAX:          30.0ms
        note: pool failure: 2 of 3 targets (67%) failed in the same round, more than --pool-fail-threshold 50%: suspect a shared dependency (DNS, the network, a database) or the health check itself before the targets

        """)
        #expect(result.err == "")
        #expect(result.status == .critical)
    }

    /// python3's json module reads the document; the values are the hand-worked ones.
    @Test("on a narrow terminal URL targets on one host are cut in the middle: the host and each path's end stay")
    func narrowTerminalKeepsBothEndsOfURLs() {
        let urls = (1...3).map { "http://checkout.internal.example/api/v2/internal/health/members/\($0)" }
        let transport = ScriptedTransport(Dictionary(uniqueKeysWithValues: urls.map { ($0, [Canned.ok(marks: Canned.marks(total: 2_000))]) }))
        // 150 columns: the other columns and gaps take 99, the 65-column URLs get 51: the
        // 32-column origin, `…` and the last 18 characters.
        let result = runProbe(["--color", "never"] + urls, transport: transport, terminal: true, width: 150)
        let rows = result.out.split(separator: "\n").dropFirst().prefix(3)
        #expect(rows.count == 3)
        for (i, row) in rows.enumerated() {
            #expect(row.hasPrefix("http://checkout.internal.example…l/health/members/\(i + 1)  "), "\(row)")
            #expect(row.count <= 150, "\(row)")
        }
    }

    @Test("json carries every field, nulls where a phase does not apply, and the summary")
    func json() throws {
        let result = runProbe(["-", "-o", "json"], transport: Self.pool(), standardInput: Self.targetsFile)
        let check = Subprocess.run(["python3", "-c", """
            import json, sys
            doc = json.load(sys.stdin)
            r = doc["results"]
            print(doc["schema_version"], doc["command"], len(r))
            print(r[0]["target"], r[0]["url"], r[0]["verdict"], r[0]["status"], r[0]["status_code"], r[0]["dns_seconds"],
                  r[0]["tls_seconds"], r[0]["first_byte_seconds"], r[0]["transfer_seconds"], r[0]["total_seconds"],
                  r[0]["tls_days_left"], r[0]["cert_expiry_epoch_seconds"], r[0]["http_version"], r[0]["success"])
            print(r[2]["verdict"], r[2]["reason"], r[2]["status_code"], r[2]["tls_seconds"], r[2]["connect_seconds"], r[2]["error"])
            print(sorted(doc["summary"].items()))
            """], input: result.out)
        try #require(check.status == 0, "\(check.errors)")
        #expect(check.output == """
            1 probe 3
            api-1 https://api-1.example.com/health UP OK 200 0.001 0.007 0.015 0.005 0.03 30 1702592000 HTTP/2 True
            DOWN refused None None None Failed to connect to db.example.com port 5432 after 0 ms: Couldn't connect to server
            [('down', 2), ('max_seconds', 0.03), ('p50_seconds', 0.0125), ('p90_seconds', 0.03), ('p99_seconds', 0.03), ('pool_failure', True), ('status', 'CRITICAL'), ('targets', 3), ('up', 1)]

            """)
        #expect(result.status == .critical)
    }

    @Test("prometheus: blackbox_exporter's names with a target label, accepted by promtool")
    func prometheus() {
        let result = runProbe(["-", "-o", "prometheus"], transport: Self.pool(), standardInput: Self.targetsFile)
        let lines = result.out.split(separator: "\n").map(String.init)
        for expected in [
            #"probe_success{target="api-1",url="https://api-1.example.com/health"} 1"#,
            #"probe_success{target="db",url="tcp://db.example.com:5432"} 0"#,
            #"probe_http_status_code{target="api-2",url="https://api-2.example.com/health"} 503"#,
            #"probe_duration_seconds{target="api-1",url="https://api-1.example.com/health"} 0.03"#,
            #"probe_http_duration_seconds{target="api-1",url="https://api-1.example.com/health",phase="resolve"} 0.001"#,
            #"probe_http_duration_seconds{target="api-1",url="https://api-1.example.com/health",phase="processing"} 0.015"#,
            #"probe_http_duration_seconds{target="api-2",url="https://api-2.example.com/health",phase="transfer"} 0.0005"#,
            #"probe_ssl_earliest_cert_expiry{target="api-1",url="https://api-1.example.com/health"} 1702592000"#,
            "# TYPE probe_http_duration_seconds gauge", "scalectl_probe_targets 3", "scalectl_probe_pool_failure 1",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(lines.filter { $0.hasPrefix("# HELP probe_http_duration_seconds ") }.count == 1, "one family for all phases")
        #expect(!result.out.contains("reason") && !result.out.contains("10.0.0.1"), "no labels that change every run")
        if ServerRequirement.isInstalled("/usr/bin/promtool") || ServerRequirement.isCI {
            let lint = Subprocess.run(["promtool", "check", "metrics"], input: result.out)
            #expect(lint.status == 0, "promtool: \(lint.output)\(lint.errors)")
        }
    }

    @Test("csv: the header is the field names, one row per target")
    func csv() {
        let result = runProbe(["-", "-o", "csv"], transport: Self.pool(), standardInput: Self.targetsFile)
        let lines = result.out.split(separator: "\r\n").map(String.init)
        #expect(lines.first == "target,url,verdict,status,reason,status_code,dns_seconds,connect_seconds,tls_seconds,first_byte_seconds,transfer_seconds,total_seconds,bytes,remote_ip,ip_protocol,http_ssl,tls_days_left,cert_expiry_epoch_seconds,redirects,http_version,success,error")
        #expect(lines.count == 4)
        #expect(lines[3] == #"db,tcp://db.example.com:5432,DOWN,CRITICAL,refused,,0.0005,,,,,0.0008,,,,,,,,,false,Failed to connect to db.example.com port 5432 after 0 ms: Couldn't connect to server"#)
    }

    static let up = ScriptedTransport([
        "http://a.example/": [Canned.ok(marks: Canned.marks(total: 600_000))],
        "http://b.example/": [Canned.ok(marks: Canned.marks(total: 100_000))],
        "https://c.example/": [Canned.ok(marks: Canned.marks(tls: 5_000, total: 50_000), expiry: "Nov 24 22:13:20 2023 GMT")],
        "http://down.example/": [Canned.failure(.refused, "refused", url: "http://down.example/")],
    ])

    @Test("exit statuses follow the thresholds", arguments: [
        (["http://b.example/"], ExitCode.ok),
        (["http://a.example/", "http://b.example/"], .ok),
        (["http://a.example/", "--warning", "500ms"], .warning),
        (["http://a.example/", "--warning", "500ms", "--critical", "550ms"], .critical),
        (["https://c.example/"], .ok),
        (["https://c.example/", "--tls-min-days", "14"], .warning),
        (["https://c.example/", "--tls-min-days", "14,11"], .critical),
        (["http://b.example/", "http://down.example/"], .critical),
        (["http://b.example/", "http://a.example/", "http://down.example/", "--min-up", "2"], .warning),
        (["http://b.example/", "http://a.example/", "http://down.example/", "--min-up", "66%"], .warning),
        (["http://b.example/", "http://a.example/", "http://down.example/", "--min-up", "3"], .critical),
        (["http://b.example/", "http://a.example/", "http://down.example/", "--min-up", "100%"], .critical),
    ])
    func exitStatus(arguments: [String], status: ExitCode) {
        let result = runProbe(arguments, transport: Self.up)
        #expect(result.status == status, "\(result.out)\(result.err)")
        #expect(result.err == "")
    }

    @Test("the reasons for warnings: slow and certificate days (10 days: Nov 14 22:13:20 2023, the fake now, to Nov 24)")
    func warningReasons() {
        let slow = runProbe(["http://a.example/", "--warning", "500ms", "-o", "csv"], transport: Self.up)
        #expect(slow.out.contains(",UP,WARNING,slow: 600ms > 500ms,200,"))
        let cert = runProbe(["https://c.example/", "--tls-min-days", "14", "-o", "csv"], transport: Self.up)
        #expect(cert.out.contains(",UP,WARNING,certificate expires in 10.0 days,200,"))
    }

    @Test("bad options and arguments exit 64 before anything is probed, naming the flag and the fix", arguments: [
        ([String](), "scalectl: error: no targets; give URLs, --targets-file FILE, or - to read them from standard input\n"),
        (["http://a.example/", "--expect-status", "2xx-3xx"], "scalectl: error: --expect-status: '2xx-3xx' is not a status range; write statuses and ranges separated by commas, e.g. 200-299,301 or 2xx,304\n"),
        (["http://a.example/", "--expect-json", ".status = 1"], "scalectl: error: --expect-json: '.status = 1' has no comparison; write PATH OP VALUE, e.g. '.status == \"UP\"' or '.checks.db.latency_ms < 250' (OP: == != < <= > >=)\n"),
        (["http://a.example/", "--resolve", "a.example:80"], "scalectl: error: --resolve: 'a.example:80' is not HOST:PORT:ADDR; write e.g. api.example.com:443:10.0.0.7\n"),
        (["http://a.example/", "--count", "3"], "scalectl: error: --count: --count applies only to --watch; add --watch, or leave --count out\n"),
        (["example.com/health"], "scalectl: error: TARGET: 'example.com/health' has no scheme; write it as a URL starting with http://, https://, tcp:// or tls://, e.g. http://example.com/health\n"),
        (["http://a.example/", "--tls-min-days", "7,14"], "scalectl: error: --tls-min-days: '7,14' is not W or W,C days with C at most W; write e.g. 14 or 30,7\n"),
        (["http://a.example/", "--watch", "--jitter", "100%"], "scalectl: error: --jitter: a jitter of 100% could probe twice at once; write at most 50%\n"),
        (["http://a.example/", "--timeout", "0s"], "scalectl: error: --timeout: '0s' is not between 1ms and 1h; every probe needs a time limit; write e.g. 2s\n"),
        (["http://a.example/", "--http-version", "3"], "scalectl: error: --http-version: '3' is not a valid VERSION; use one of: default, http1.1, http2, http2-prior-knowledge\n"),
        (["http://a.example/", "--concurrency", "0"], "scalectl: error: --concurrency: '0' is not a whole number from 1 to 10000\n"),
        (["http://a.example/", "-X", "GE T"], "scalectl: error: --method: 'GE T' is not an HTTP method; write e.g. GET, HEAD or POST\n"),
        (["http://a.example/", "-H", "X(Bad): 1"], "scalectl: error: --header: the 1st value is not 'Name: value'; write -H 'Name: value', or -H @FILE to read headers from a file\n"),
        (["http://a.example/", "--min-up", "many"], "scalectl: error: --min-up: 'many' is not a number of targets or a percentage; write e.g. 3 or 75%\n"),
        (["http://a.example/", "--warning", "2s", "--critical", "1500ms"], "scalectl: error: --warning: --warning 2s is above --critical 1500ms; a probe becomes WARNING before it becomes CRITICAL: give --warning a shorter duration\n"),
        (["http://a.example/", "--critical", "3s"], "scalectl: error: --critical: --critical 3s is above --timeout 2s; a probe slower than --timeout fails and is never judged slow: raise --timeout or lower --critical\n"),
        (["http://a.example/", "--warning", "5s", "--timeout", "4s"], "scalectl: error: --warning: --warning 5s is above --timeout 4s; a probe slower than --timeout fails and is never judged slow: raise --timeout or lower --warning\n"),
    ])
    func usageErrors(arguments: [String], message: String) {
        let transport = ScriptedTransport([:])
        let result = runProbe(arguments, transport: transport)
        #expect(result.err == message)
        #expect(result.out == "")
        #expect(result.status == .usage)
        #expect(transport.requests.isEmpty, "nothing was probed")
    }

    @Test("a bad regular expression names its option")
    func badRegex() {
        let result = runProbe(["http://a.example/", "--fail-if-body", "(unclosed"], transport: ScriptedTransport([:]))
        #expect(result.err.hasPrefix("scalectl: error: --fail-if-body: '(unclosed' is not a regular expression: "))
        #expect(result.status == .usage)
    }

    @Test("a bad targets file exits 3 naming the file and line; a missing one names the path")
    func badTargetsFile() throws {
        let bad = runProbe(["--targets-file", "-"], transport: ScriptedTransport([:]), standardInput: "http://a/\nhttp://b/ two words\n")
        #expect(bad.err == "scalectl: error: -:2: word 3 is not KEY=VALUE (only the URL and a NAME come without '='); quote a value that has blanks, e.g. header='Authorization: Bearer …'\n")
        #expect(bad.status == .unknown)
        let missing = runProbe(["--targets-file", "/nonexistent/prod.txt"], transport: ScriptedTransport([:]))
        #expect(missing.err == "scalectl: error: --targets-file: cannot open /nonexistent/prod.txt: No such file or directory; check the path\n")
        #expect(missing.status == .unknown)
        let empty = runProbe(["--targets-file", "/dev/null"], transport: ScriptedTransport([:]))
        #expect(empty.err == "scalectl: error: /dev/null: has no targets; write one 'URL [NAME] [KEY=VALUE …]' per line\n")
        #expect(empty.status == .unknown)
    }

    @Test("a URL listed twice is probed once, with a warning")
    func duplicates() {
        let transport = ScriptedTransport(["http://b.example/": [Canned.ok()]])
        let result = runProbe(["http://b.example/", "-"], transport: transport, standardInput: "http://b.example/ again\n")
        #expect(result.err == "scalectl: warning: again is listed more than once; probing it once\n")
        #expect(transport.requests.map(\.url) == ["http://b.example/"])
        #expect(result.status == .ok)
    }

    @Test("the requests carry every option; every probe opens a fresh connection; tcp:// only connects")
    func requests() {
        let transport = ScriptedTransport([:])
        _ = runProbe(["https://a.example/x", "tcp://db.example:5432", "-X", "HEAD", "-H", "X-Probe: 1", "-H", "Accept: application/json",
                      "--timeout", "1500ms", "--connect-timeout", "250ms", "--max-body", "1KiB", "--cacert", "/dev/null", "-L",
                      "--http-version", "http1.1", "--resolve", "a.example:443:127.0.0.1"], transport: transport)
        let requests = transport.requests
        #expect(requests.count == 2)
        let http = requests[0]
        #expect(http.method == "HEAD")
        #expect(http.headers == [HTTPHeader("X-Probe", "1"), HTTPHeader("Accept", "application/json")])
        #expect(http.totalTimeout == 1.5 && http.connectTimeout == 0.25)
        #expect(http.maxBodyBytes == 1024)
        #expect(http.caFile == "/dev/null" && http.verifyTLS)
        #expect(http.followRedirects && http.maxRedirects == 5)
        #expect(http.httpVersion == .http1_1)
        #expect(http.resolve == ["a.example:443:127.0.0.1"])
        #expect(http.freshConnection && !http.connectOnly)
        #expect(http.userAgent == "scalectl/\(ScaleCLI.version)")
        #expect(requests[1].connectOnly && requests[1].url == "tcp://db.example:5432")
    }

    /// Passwords in URLs and Authorization headers must not reach any output, in any format,
    /// nor the errors; the request itself still carries them.
    @Test("credentials never appear in output or errors", arguments: [OutputFormat.table, .json, .ndjson, .csv, .prometheus])
    func redaction(format: OutputFormat) {
        let url = "https://alice:hunter22secret@api.example/health"
        let transport = ScriptedTransport([url: [Canned.failure(.tls, "SSL certificate problem", url: "https://alice:***@api.example/health")]])
        let result = runProbe([url, "-H", "Authorization: Bearer tok3n-s3cret", "-o", format.rawValue], transport: transport)
        for secret in ["hunter22secret", "tok3n-s3cret"] {
            #expect(!result.out.contains(secret) && !result.err.contains(secret), "\(format): \(result.out)")
        }
        #expect(result.out.contains("alice:***@api.example") || format == .csv && result.out.contains("alice:***"))
        #expect(transport.requests.first?.url == url)
        #expect(transport.requests.first?.headers == [HTTPHeader("Authorization", "Bearer tok3n-s3cret")])
        let badHeader = runProbe([url, "-H", "Authorization Bearer tok3n-s3cret"], transport: transport)
        #expect(badHeader.err == "scalectl: error: --header: the 1st value is not 'Name: value'; write -H 'Name: value', or -H @FILE to read headers from a file\n")
        let badURL = runProbe(["ftp://alice:hunter22secret@files/"], transport: transport)
        #expect(badURL.err.contains("ftp://alice:***@files/") && !badURL.err.contains("hunter22secret"))
    }

    /// HealthProbe parses URLs itself (it does not link libcurl); its display form must hide
    /// exactly what ScaleHTTP's redaction hides, or a failure message and a row would disagree.
    @Test("target display URLs and ScaleHTTP's redaction agree", arguments: [
        "https://alice:s3cret@api.example/health", "http://bob:p%40ss@host:8080/", "http://carol:pa@ss@host/",
        "http://dave@host/", "http://host/path?user=a:b@c", "tcp://u:pw@db:5432", "https://[::1]:8443/x#frag",
    ])
    func redactionAgrees(url: String) throws {
        #expect(try ProbeTarget(url: url).displayURL == Redaction.url(url))
    }

    @Test("-H @FILE: a line that is not a header stops the run naming the file and line, not the text")
    func badHeaderFile() throws {
        let path = "/tmp/scalectl-probe-badheaders-\(UInt32.random(in: 0...UInt32.max))"
        let file = try #require(fopen(path, "w"))
        fputs("X-Ok: 1\nBearer sup3rsecret\n", file)
        fclose(file)
        defer { unlink(path) }
        let result = runProbe(["http://b.example/", "-H", "@\(path)"], transport: ScriptedTransport([:]))
        #expect(result.err == "scalectl: error: \(path):2: line is not 'Name: value'; write one header per line as Name: value\n")
        #expect(result.status == .unknown)
    }

    @Test("-H @FILE reads headers from a file, so credentials stay out of argv")
    func headerFile() throws {
        let transport = ScriptedTransport(["http://b.example/": [Canned.ok()]])
        let path = "/tmp/scalectl-probe-headers-\(UInt32.random(in: 0...UInt32.max))"
        let file = try #require(fopen(path, "w"))
        fputs("# creds\nAuthorization: Bearer abc\r\n\nX-Env: prod\n", file)
        fclose(file)
        defer { unlink(path) }
        let result = runProbe(["http://b.example/", "-H", "@\(path)"], transport: transport)
        #expect(result.status == .ok, "\(result.err)")
        #expect(transport.requests.first?.headers == [HTTPHeader("Authorization", "Bearer abc"), HTTPHeader("X-Env", "prod")])
    }

    @Test("notes reach stderr in csv and prometheus, which have no place for them; stdout stays machine-readable",
          arguments: [OutputFormat.csv, .prometheus], [[], ["--watch", "--count", "2", "--interval", "100ms"]])
    func notesOnStandardError(format: OutputFormat, watch: [String]) {
        let result = runProbe(["http://b.example/", "-k", "-o", format.rawValue] + watch,
                              transport: ScriptedTransport(["http://b.example/": [Canned.ok(), Canned.ok()]]))
        #expect(result.err == "scalectl: note: TLS verification is off (--insecure)\n")
        #expect(!result.out.contains("insecure"))
        #expect(result.status == .ok)
    }

    @Test("the limits of --warning, --critical and --timeout may meet")
    func thresholdsMayMeet() {
        let result = runProbe(["http://b.example/", "--warning", "2s", "--critical", "2s", "--timeout", "2s"],
                              transport: ScriptedTransport(["http://b.example/": [Canned.ok()]]))
        #expect(result.status == .ok)
    }

    @Test("--insecure is said in the output")
    func insecureNote() {
        let result = runProbe(["http://b.example/", "-k"], transport: ScriptedTransport(["http://b.example/": [Canned.ok()]]))
        #expect(result.out.hasSuffix("note: TLS verification is off (--insecure)\n"))
        #expect(result.status == .ok)
    }
}

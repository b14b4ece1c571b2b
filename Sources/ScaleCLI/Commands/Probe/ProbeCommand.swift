import HealthProbe
import ScaleCore

/// `scalectl probe`: health checks for many endpoints at once, with load-balancer semantics.
/// This file holds the table entry and turns options into a `ProbeSetup`; the round and the
/// watch live in ProbeRound.swift and ProbeWatch.swift.
enum ProbeCommand {
    enum ProbeOption {
        static let targetsFile = OptionSpec("targets-file", short: "f", value: "FILE", completion: .file,
                                            help: "read targets from FILE, one 'URL [NAME] [KEY=VALUE ...]' per line (- for standard input)")
        static let method = OptionSpec("method", short: "X", value: "METHOD", default: "GET", help: "request method (HEAD asks for no body)")
        static let header = OptionSpec("header", short: "H", value: "HEADER", repeatable: true, completion: .file,
                                       help: "send 'Name: value' with every request; @FILE reads one header per line from FILE")
        static let timeout = OptionSpec("timeout", value: "DURATION", default: "2s", help: "give up on a probe after this long in all")
        static let connectTimeout = OptionSpec("connect-timeout", value: "DURATION", help: "give up on DNS, TCP and TLS after this long (default: the --timeout)")
        static let deadline = OptionSpec("deadline", value: "DURATION",
                                         help: "finish the whole run within this long; targets left without a verdict are UNKNOWN")
        static let expectStatus = OptionSpec("expect-status", value: "LIST", default: "200-399", help: "statuses that count as up, e.g. 200-299,301 or 2xx")
        static let expectBody = OptionSpec("expect-body", value: "REGEX", help: "the body must match this regular expression")
        static let failIfBody = OptionSpec("fail-if-body", value: "REGEX", help: "the target is down when the body matches this regular expression")
        static let expectJSON = OptionSpec("expect-json", value: "EXPR", help: "the JSON body must satisfy PATH OP VALUE, e.g. '.status == \"UP\"'")
        static let maxBody = OptionSpec("max-body", value: "SIZE", default: "64KiB", help: "read at most this much of a body; the rest is not fetched")
        static let insecure = OptionSpec("insecure", short: "k", help: "do not verify TLS certificates (said in the output)")
        static let cert = OptionSpec("cert", value: "FILE", completion: .file, help: "present this PEM client certificate to servers that ask for one (mutual TLS)")
        static let key = OptionSpec("key", value: "FILE", completion: .file, help: "the PEM private key of --cert, when it is not in the same file (unencrypted)")
        static let ipv4 = OptionSpec("ipv4", short: "4", help: "connect over IPv4 only")
        static let ipv6 = OptionSpec("ipv6", short: "6", help: "connect over IPv6 only")
        static let cacert = OptionSpec("cacert", value: "FILE", completion: .file, help: "trust the CA certificates in this PEM file instead of the system's")
        static let allAddresses = OptionSpec("all-addresses", help: "probe every address each target's host name resolves to, one row per address")
        static let resolve = OptionSpec("resolve", value: "HOST:PORT:ADDR", repeatable: true,
                                        help: "connect to ADDR for HOST:PORT without asking DNS, as curl --resolve")
        static let httpVersion = OptionSpec("http-version", value: "VERSION", allowed: ["default", "http1.1", "http2", "http2-prior-knowledge"],
                                            default: "default", help: "HTTP version to ask for")
        static let follow = OptionSpec("follow", short: "L", help: "follow redirects (up to 5) and judge the final answer")
        static let tlsMinDays = OptionSpec("tls-min-days", value: "W[,C]",
                                           help: "WARNING when a certificate expires within W days, CRITICAL within C")
        static let concurrency = OptionSpec("concurrency", short: "c", value: "N", default: "64", help: "probes in flight at once")
        static let warning = OptionSpec("warning", value: "DURATION", help: "WARNING when a probe takes longer than this")
        static let critical = OptionSpec("critical", value: "DURATION", help: "CRITICAL when a probe takes longer than this")
        static let minUp = OptionSpec("min-up", value: "N|P%", help: "down targets are WARNING, not CRITICAL, while at least N (or P% of the) targets are up")
        static let poolFailThreshold = OptionSpec("pool-fail-threshold", value: "RATIO", default: "50%",
                                                  help: "report a pool failure when more than this share of targets fail in the same round")
        static let watch = OptionSpec("watch", short: "w", help: "probe again and again, with rise/fall states and transitions")
        static let interval = OptionSpec("interval", value: "DURATION", default: "2s", help: "time between two probes of a target in --watch")
        static let count = OptionSpec("count", value: "N", help: "stop --watch after N probes of every target")
        static let duration = OptionSpec("duration", value: "DURATION", help: "stop --watch after this long")
        static let rise = OptionSpec("rise", value: "N", default: "2", help: "consecutive successes that make a target UP in --watch")
        static let fall = OptionSpec("fall", value: "N", default: "3", help: "consecutive failures that make a target DOWN in --watch")
        static let jitter = OptionSpec("jitter", value: "RATIO", default: "10%", help: "vary each --watch interval by up to this share, at random")
    }

    static let spec = CommandSpec(
        "probe",
        summary: "health-check many HTTP(S) and TCP endpoints at once, with phase timings and verdicts",
        discussion: """
        Probes every target concurrently (libcurl's multi interface, --concurrency at once) and \
        prints per target a verdict, UP or DOWN with the reason, the HTTP status, the time of each \
        phase in milliseconds, the bytes received, the remote address and the days left on the TLS \
        certificate; then up and down counts and latency percentiles. Every probe opens a new \
        connection, as a load balancer's health check does, and is bounded by --timeout and --max-body.

        Targets: URLs as arguments, a file with --targets-file, or standard input with - (or \
        --targets-file -). http:// and https:// targets get a request; tcp://host:port targets \
        only a TCP connect; tls://host:port targets a TCP connect and a TLS handshake, \
        verified and with the certificate's expiry as for https://, on any port. A targets file has one target per line as \
        URL [NAME] [KEY=VALUE ...]; # starts a comment at the start of a word (outside quotes); \
        blank lines are skipped; a line that cannot be a target stops the run with its line number \
        (exit 3). A URL listed twice with the same options is probed once.

        Per-target options: after the URL and the optional NAME (a word without =), KEY=VALUE \
        words set checks and headers for that target alone. The keys are the flags without their \
        dashes: expect-status, expect-body, fail-if-body, expect-json (each at most once) and \
        header (repeatable), and each value is read exactly as the flag reads it, e.g. \
        https://api/health api expect-status=200 expect-json='.status == "UP"' \
        header='Authorization: Bearer ...'. A value with blanks is quoted as in a shell: '...' \
        keeps everything as written, "..." too except \\" and \\\\; outside quotes a backslash is \
        an ordinary character (expect-body=\\d+). A target's option replaces the flag for it; a \
        target's header replaces a -H header of the same name and adds to the others. An \
        unknown key, a repeated key, a value the flag would refuse, or an HTTP check on a tcp:// \
        or tls:// target stops the run naming the file, line and key (exit 3); a header's value \
        is never shown. One URL listed with different options is probed once per listing (they \
        are different checks) and each listing needs a NAME of its own.

        Every address: with --all-addresses each target whose host is a name is probed once per \
        address the name resolves to (getaddrinfo, as libcurl resolves: /etc/hosts, then DNS; \
        repeats removed; only IPv4 with -4, only IPv6 with -6), so a dead member of a DNS \
        round-robin pool shows as its own row. The row's target is the name or URL followed by \
        the address in parentheses, and remote_ip is that address even when the probe failed. \
        Each request still names the host (Host header, TLS SNI, certificate checked against \
        the name) and only its connection is pinned to the address, as curl --resolve does; a \
        --resolve entry for the target's HOST:PORT gives its addresses instead of DNS. A name \
        that resolves to nothing, or not within --timeout, is one row, DOWN dns; an IP address \
        is one row as without the option. --min-up P% is a share of the rows. Names are \
        resolved once, when the run starts (in a watch, a name that did not resolve is left to \
        each later probe); the dns phase is then the lookup of the pinned address (near 0). \
        A proxy resolves names itself, so --all-addresses refuses --proxy and --proxy-from-env.

        Verdicts: a target is DOWN when it gives no answer (reasons dns, refused (the port is \
        closed), unreachable (no route to the host or its network), tls (with the cause when the \
        certificate was refused: tls: certificate expired N days ago, tls: hostname mismatch, \
        tls: self-signed, tls: unknown CA), protocol error, connect \
        timeout, tls timeout (TCP connected, the TLS handshake did not finish), first-byte \
        timeout, transfer timeout), answers with \
        a status outside --expect-status (status 503; default 200-399, as HAProxy's httpchk and \
        Kubernetes' httpGet accept), a body that --expect-body does not match (body mismatch) or \
        --fail-if-body matches, or JSON for which --expect-json is false. Redirects are answers; \
        --follow follows them (up to 5) and judges the final one. An UP target is still WARNING \
        or CRITICAL when slower than --warning or --critical (total time), or when its \
        certificate expires within --tls-min-days W[,C] days (W: WARNING, C: CRITICAL); an \
        expired certificate is always CRITICAL. --warning may not be above --critical, nor \
        either above --timeout. A JSON body cut at --max-body is not checked (the reason says so).

        Timings: dns, connect (TCP handshake), tls (handshake), first byte (from the connection \
        being ready to the first response byte: sending the request plus the server's think \
        time), transfer (the rest of the body), total. With --follow each phase is summed over \
        all hops. A phase that did not happen or did not finish is null in json, empty in csv \
        and - in the table, never 0: a refused connect has no connect time, a tls timeout has \
        its TCP connect time and no tls time, plain http and tcp:// have no tls time. Latency \
        percentiles use the nearest-rank method over the probes that got an answer: every \
        figure is a latency that was measured. tls_days_left is (earliest notAfter of the \
        presented chain - now) / 86400, null without a certificate. libcurl reads the chain of \
        a finished handshake only; when verification refused the chain inside the handshake \
        (expired, not yet valid, self-signed, unknown CA), the days come from a second, \
        unverified handshake to the same address (connect-only, nothing sent, within --timeout \
        and --deadline); the verdict, the cause and the timings stay those of the probe. A watch makes \
        it once per target while the same cause repeats. remote_ip is the address connected \
        to, also for a failed probe that reached one (a tls timeout).

        --deadline DURATION bounds the whole run, counted from the start, as a Nagios service \
        check's timeout bounds its plugin: a probe starts only while time is left, its --timeout \
        and --connect-timeout cut to what is left, so the process ends within the deadline plus \
        the time to print. Every target is still reported: one whose probe never started \
        (deadline: not probed) or timed out only because its time was cut (deadline: cut after \
        Nms) has nothing measured, so its verdict and status are UNKNOWN, not DOWN, and a note \
        names them. The run is then UNKNOWN (3), unless a measured WARNING or CRITICAL outranks \
        it. In a watch, --deadline ends the watch as --duration does and also cuts the probes in \
        flight; a probe cut short counts as nothing (neither success nor failure).

        Proxies: targets are probed directly. Proxy variables in the environment (http_proxy, \
        https_proxy, HTTPS_PROXY, all_proxy, ALL_PROXY, NO_PROXY), which libcurl would \
        otherwise use without a word, are ignored, and a note says so when one is set: through \
        a proxy, the verdict and the timings are the proxy's, and a target that refuses every \
        connection could look UP. --proxy URL sends every probe through that proxy and the \
        output says so (a note, also in json; on stderr for csv and prometheus); a password in \
        the URL is shown as ***.

        --expect-json takes PATH OP VALUE in jq's syntax and meaning: a path of keys and indexes \
        (.status, .checks.db.status, ."key-with-dash", .items[0]), an operator (==, !=, <, <=, >, \
        >=) and a JSON literal ("UP", 250, true, null). A missing key is null; < and > order \
        values of different types as jq does. Body patterns are Swift regular expressions \
        (PCRE-like; (?i) for case-insensitive) searched in the first --max-body bytes.

        Exit status: 0 when every target is up and within thresholds; 1 for any WARNING (slow, \
        certificate expiring, or targets down while at least --min-up are up); 2 for any \
        CRITICAL (a target down, --critical latency); 3 for unreadable input; 64 for bad options \
        (a --proxy that is not a proxy URL among them). In a watch, the worst seen during it. \
        When more than --pool-fail-threshold of the targets (and at least two) fail in the same \
        round, the output says so: a shared dependency (DNS, the network, a database) or a broken \
        health check is then likelier than many independent faults, and load balancers fail open \
        in that case (Envoy's panic threshold) rather than removing every backend.

        Watch mode (--watch) probes each target every --interval, forever or for --count probes \
        or --duration, and keeps a load balancer's state per target: --rise consecutive successes \
        make it UP, --fall consecutive failures make it DOWN, and a target starts UNKNOWN. State \
        changes are printed as they happen with UTC timestamps. The first probes are spread at \
        random over one interval and each later gap varies by --jitter, so many targets are never \
        probed in lock-step. On a terminal the table format is a live table redrawn in place, with a \
        latency sparkline per target; in a pipe it prints one line per state change, and a pool \
        failure once when it starts and once when it ends; -o ndjson streams events (probe, transition, \
        round, pool_failure) with the same field names as the results, written out as each probe \
        finishes, also into a pipe. The final report has per target the downtime (downtime_seconds: \
        each run of failed probes from the first failure to the next probe that passed, so \
        accurate to one --interval), the state changes and the time in each state (up_seconds, \
        down_seconds, unknown_seconds).

        The exit status of a watch is the worst status seen during it, not only at its end: a \
        target that was DOWN at any moment makes it CRITICAL (or WARNING under --min-up) even if \
        it is UP again when the watch ends; an UP target whose probe failed (fewer than --fall \
        times), was slow or had an expiring certificate makes it WARNING; a target still UNKNOWN \
        at the end makes it at least UNKNOWN (3). The summary's status is that exit status and \
        final_status the states at the end alone; a note names the targets when they differ. \
        Ctrl-C (SIGINT) and SIGTERM (systemd, timeout, Kubernetes) end the watch alike: the final \
        report is printed and the exit status is the worst seen until then; a second signal \
        ends the process at once (130 for Ctrl-C, killed by SIGTERM).

        The prometheus format uses blackbox_exporter's metric names where they exist \
        (probe_success, probe_http_status_code, probe_duration_seconds, \
        probe_http_duration_seconds{phase="resolve|connect|tls|processing|transfer"}, \
        probe_ssl_earliest_cert_expiry, probe_http_redirects, probe_ip_protocol, probe_http_ssl) \
        with target and url labels, for node_exporter's textfile collector; a figure not \
        measured is absent where blackbox_exporter reports 0. \
        Passwords in URLs are shown as *** in every output, and request headers are never printed; \
        -H @FILE reads headers from a file so credentials stay out of the process list.
        """,
        arguments: [ArgumentSpec("TARGET", help: "http://, https://, tcp://host:port or tls://host:port URL; - reads targets from standard input",
                                 optional: true, repeatable: true, completion: .url)],
        options: [
            ProbeOption.targetsFile, ProbeOption.method, ProbeOption.header, ProbeOption.timeout, ProbeOption.connectTimeout, ProbeOption.deadline,
            ProbeOption.expectStatus, ProbeOption.expectBody, ProbeOption.failIfBody, ProbeOption.expectJSON, ProbeOption.maxBody,
            ProbeOption.insecure, ProbeOption.cacert, ProbeOption.cert, ProbeOption.key, ProbeOption.ipv4, ProbeOption.ipv6, ProxyOption.spec, ProxyOption.fromEnvironment, ProbeOption.allAddresses, ProbeOption.resolve, ProbeOption.httpVersion,
            ProbeOption.follow, ProbeOption.tlsMinDays, ProbeOption.concurrency, ProbeOption.warning, ProbeOption.critical,
            ProbeOption.minUp, ProbeOption.poolFailThreshold, ProbeOption.watch, ProbeOption.interval, ProbeOption.count,
            ProbeOption.duration, ProbeOption.rise, ProbeOption.fall, ProbeOption.jitter,
        ],
        examples: [
            Example("A port nobody listens on is DOWN (refused): exit 2", ["probe", "tcp://127.0.0.1:1"], exit: .critical),
            Example("Targets from a file, as JSON for a CI gate (exit 2: the demo targets are closed ports)",
                    ["probe", "--targets-file", "demo/probe-targets.txt", "--warning", "500ms", "-o", "json"], exit: .critical),
            Example("Every address of a name, one row each (here localhost's own addresses; exit 2: nothing listens on port 1)",
                    ["probe", "--all-addresses", "tcp://localhost:1"], exit: .critical),
            Example("A malformed status list is a usage error: nothing is probed", ["probe", "--expect-status", "2xx-3xx", "http://localhost/"],
                    output: "", exit: .usage),
            Example("Watch two closed ports for three rounds; DOWN after two failures",
                    ["probe", "--watch", "--interval", "100ms", "--count", "3", "--fall", "2", "-o", "ndjson",
                     "tcp://127.0.0.1:1", "tcp://127.0.0.1:2"], exit: .critical),
        ],
        formats: [.table, .json, .ndjson, .csv, .prometheus, .nagios],
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let started = context.services.time.monotonic()
        var setup = try ProbeSetup(invocation, console: context.console)
        setup.startedAt = started
        for repeated in setup.repeats {
            context.warn("\(repeated.label) is listed more than once; probing it once")
        }
        var context = context
        if invocation.flag(ProbeOption.allAddresses) {
            let unresolved = try ProbeAddresses.expand(&setup, resolver: context.services.resolver, now: context.services.time.monotonic())
            // A share of the targets means a share of the rows there now are.
            if let text = invocation.value(ProbeOption.minUp) { setup.policy.minUp = try ProbeSetup.minUp(text, targets: setup.targets.count) }
            context.services.transport = ProbeAddresses.UnresolvedNames(base: context.services.transport, failures: unresolved)
        }
        if setup.watch != nil {
            return ProbeWatch(setup: setup, context: context, format: invocation.format).run()
        }
        return ProbeRound.run(setup, context: context, format: invocation.format)
    }
}

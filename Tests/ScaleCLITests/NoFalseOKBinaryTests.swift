import Glibc
import ScaleCLI
import Testing
import TestSupport

/// Degraded conditions that used to end in a green OK (or silently dropped a check), run
/// through the built binary: each must now be UNKNOWN, WARNING or refused (64), with a note.
@Suite struct NoFalseOKBinaryTests {
    static let enabled = BinaryTests.binary != nil || ServerRequirement.isCI

    func scalectl(_ arguments: [String], in dir: TemporaryDirectory, input: String = "") throws -> ProcessResult {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        return Subprocess.run(["bash", "-c", "cd '\(dir.path)' && exec \"$@\"", "scalectl", bin] + arguments, input: input)
    }

    static func line(_ i: Int) -> String {
        "192.0.2.1 - - [23/Nov/2026:08:00:\(i % 60 < 10 ? "0" : "")\(i % 60) +0000] \"GET /a HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\" HIT\n"
    }

    /// cdn: a log that is 90% malformed is WARNING; one with no readable line is UNKNOWN.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func malformedLogsAreNotOK() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        let good = (0..<10).map(Self.line).joined()
        let junk = String(repeating: "this is not a log line\n", count: 90)
        try dir.write("mostly-junk.log", Array((good + junk).utf8))
        let mostly = try scalectl(["cdn", "hits", "mostly-junk.log", "--log-format", "nginx"], in: dir)
        #expect(mostly.status == 1, "\(mostly.output)\(mostly.errors)")
        #expect(mostly.output.contains("90.0% of the lines were malformed, more than --max-malformed 10.0%"), "\(mostly.output)")
        // The limit is a flag: 95% lets the same log pass.
        let allowed = try scalectl(["cdn", "hits", "mostly-junk.log", "--log-format", "nginx", "--max-malformed", "95%"], in: dir)
        #expect(allowed.status == 0, "\(allowed.output)\(allowed.errors)")

        try dir.write("all-junk.log", Array((String(repeating: "192.0.2.1 - - [23/Nov/2026:08:00:00 +0000] \"GET /a\n", count: 20)).utf8))
        let all = try scalectl(["cdn", "hits", "all-junk.log", "--log-format", "nginx"], in: dir)
        #expect(all.status == 3, "\(all.output)\(all.errors)")
        #expect(all.output.contains("every line (20) was malformed"), "\(all.output)")
        let why = try scalectl(["cdn", "why", "all-junk.log", "--log-format", "nginx"], in: dir)
        #expect(why.status == 3, "\(why.output)\(why.errors)")
    }

    /// probe: a second --expect-json replaced the first, so a failing check read UP.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aRepeatedCheckFlagIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        let result = try scalectl(["probe", "http://127.0.0.1:9/", "--expect-json", ".status == \"UP\"", "--expect-json", ".db == \"ok\""], in: dir)
        #expect(result.status == 64, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("--expect-json: is given twice"), "\(result.errors)")
        #expect(result.output.isEmpty)
    }

    /// cache: a request header cannot be applied to a saved response; it was silently ignored.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func requestHeadersWithSavedResponsesAreRefused() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        try dir.write("r.txt", Array("HTTP/1.1 200 OK\r\nCache-Control: max-age=60\r\n\r\n".utf8))
        let result = try scalectl(["cache", "audit", "--headers", "r.txt", "-H", "Authorization: Bearer x"], in: dir)
        #expect(result.status == 64, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("--header: applies only to live URLs"), "\(result.errors)")
        #expect(!result.errors.contains("Bearer"), "a secret never reaches an error")
    }

    /// rebalance: --batch past the last batch wrote an empty reassignment file and exited 0.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aBatchPastTheLastIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        let demo = RepositoryRoot.file("demo/kafka-current.json")
        let batches = try scalectl(["rebalance", "plan", demo, "--add", "5", "-o", "json"], in: dir)
        #expect(batches.status == 0, "\(batches.errors)")
        let count = try #require(batches.output.split(separator: "\"batches\": ").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) })
        let past = try scalectl(["rebalance", "plan", demo, "--add", "5", "-o", "kafka-json", "--batch", "\(count + 1)"], in: dir)
        #expect(past.status == 64, "\(past.output)\(past.errors)")
        #expect(past.errors.contains("there is no batch \(count + 1): the plan has \(count)"), "\(past.errors)")
        #expect(past.output.isEmpty)
    }

    /// rebalance: without --brokers the targets are the brokers holding replicas; say so.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func implicitTargetBrokersAreNamed() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        try dir.write("a.csv", Array("t-0,1,2\nt-1,2,3\nt-2,3,1\n".utf8))
        let result = try scalectl(["rebalance", "plan", "a.csv"], in: dir)
        #expect(result.output.contains("target brokers: the 3 that hold replicas (1,2,3); name new, empty brokers with --brokers or --add"), "\(result.output)\(result.errors)")
        let named = try scalectl(["rebalance", "plan", "a.csv", "--brokers", "1-4"], in: dir)
        #expect(!named.output.contains("target brokers:"), "\(named.output)")
    }

    /// backlog: a selector that matches nothing read "QUEUES 0 … OK", exit 0.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aSelectorThatMatchesNothingIsUnknown() throws {
        let body = "# TYPE rabbitmq_queue_messages gauge\nrabbitmq_queue_messages{queue=\"orders\"} 500\n"
        let server = try LoopbackHTTPServer(routes: ["/metrics": .text(body)])
        defer { server.stop() }
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        let result = try scalectl(["backlog", "metrics+http://127.0.0.1:\(server.port)/metrics", "--metric", #"rabbitmq_queue_messages{queue="ordrs"}"#,
                                   "--critical", "depth=100"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.output.contains("no queue matched"), "\(result.output)")
        let matched = try scalectl(["backlog", "metrics+http://127.0.0.1:\(server.port)/metrics", "--metric", #"rabbitmq_queue_messages{queue="orders"}"#,
                                    "--critical", "depth=100"], in: dir)
        #expect(matched.status == 2, "\(matched.output)\(matched.errors)")
    }

    /// cdn: a pipe or FIFO given as a path lost its first 32 bytes (read to sniff, then the path
    /// was opened again); `<(cat x.gz)` failed as damaged gzip; `cdn merge -` was refused.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func streamsGivenAsPathsLoseNothing() throws {
        let bin = try #require(BinaryTests.binary)
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        try dir.write("x.log", Array((0..<10_000).map(Self.line).joined().utf8))
        let script = """
            set -e -o pipefail
            cd '\(dir.path)'
            gzip -k x.log
            summary() { grep -o '"total_requests": [0-9]*, \\|"malformed_lines": [0-9]*' | tr -d '\\n'; echo; }
            cat x.log | '\(bin)' cdn hits /dev/stdin -o json | summary
            '\(bin)' cdn hits <(cat x.log.gz) -o json | summary
            mkfifo fifo; (cat x.log > fifo &); '\(bin)' cdn hits fifo -o json | summary
            '\(bin)' cdn hits --partial - x.log | '\(bin)' cdn merge - -o json | summary
            """
        let result = Subprocess.run(["bash", "-c", script])
        #expect(result.status == 0, "\(result.errors)")
        let expected = #""total_requests": 10000, "malformed_lines": 0"#
        #expect(result.output == String(repeating: expected + "\n", count: 4), "\(result.output)\(result.errors)")
    }

    /// cdn: a forced format whose first lines held no known cache-status value read every line
    /// as NONE, offload 100%, OK; NONE and UNKNOWN bytes counted as offloaded.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aPlacedCacheFieldIsReadAndUnknownBytesAreNotOffload() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        func line(_ i: Int, _ status: String) -> String {
            "192.0.2.1 - - [23/Nov/2026:08:0\(i / 60):\(i % 60 < 10 ? "0" : "")\(i % 60) +0000] \"GET /b\(i) HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\" \"\(status)\"\n"
        }
        // 40 values no table knows (mod_cache's decline reasons are PASS now: an invented one),
        // then 20 hits and 20 misses: 100 bytes each.
        let log = (0..<40).map { line($0, "cache refreshed: a word no mod_cache writes") }.joined()
            + (40..<80).map { line($0, $0 % 2 == 0 ? "cache hit" : "cache miss") }.joined()
        try dir.write("apache.log", Array(log.utf8))
        let result = try scalectl(["cdn", "hits", "apache.log", "--log-format", "apache", "-o", "json"], in: dir)
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        // Hit ratio 20 / 40; origin bytes are the 20 misses' 2,000 of the 4,000 bytes of known
        // class; the 4,000 UNKNOWN bytes are shown beside it, not counted as offloaded.
        for expected in [#""overall_hit_ratio": 0.5"#, #""origin_offload_ratio": 0.5"#, #""unclassified_bytes": 4000"#, #""total_origin_bytes": 2000"#] {
            #expect(result.output.contains(expected), "\(expected)\n\(result.output)")
        }

        // No cache-status field at all: nothing to measure a ratio on.
        let plainLines = (0..<10).map { "192.0.2.1 - - [23/Nov/2026:08:00:0\($0) +0000] \"GET /p HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\"\n" }
        try dir.write("plain.log", Array(plainLines.joined().utf8))
        let plain = try scalectl(["cdn", "hits", "plain.log", "--log-format", "nginx", "-o", "json"], in: dir)
        #expect(plain.status == 3, "\(plain.output)\(plain.errors)")
        #expect(plain.output.contains(#""origin_offload_ratio": null"#), "\(plain.output)")
        #expect(plain.output.contains(#""status": "UNKNOWN""#), "\(plain.output)")
        #expect(plain.output.contains("no request had a known cache status (10 NONE, 0 UNKNOWN)"), "\(plain.output)")
    }

    /// kafka-lag: Burrow's evaluator clears a window whose lag reached zero before it looks for a
    /// rewind; offsets 100, 200, 150, 300, 400 with lags 0, 0, 60, 20, 20 were REWIND/CRITICAL.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func kafkaLagFollowsBurrowsRuleOrder() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        let rows = [(100, 100), (200, 200), (150, 210), (300, 320), (400, 420)]
        var table = ""
        for (i, row) in rows.enumerated() {
            table += "2026-11-23T08:0\(i):00Z\n\nGROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\n"
            table += "billing orders 0 \(row.0) \(row.1) \(row.1 - row.0)\n"
        }
        try dir.write("lag.txt", Array(table.utf8))
        let result = try scalectl(["backlog", "kafka-lag", "lag.txt", "-o", "csv"], in: dir)
        #expect(result.status == 0, "\(result.output)\(result.errors)")
        #expect(result.output.contains("\r\nbilling,orders,0,OK,OK,400,420,20,"), "\(result.output)")
    }

    /// backlog watch into a pipe: each round is written when it ends (ndjson held 64 KiB back),
    /// every row carries its time, and SIGTERM ends the watch cleanly — the round in progress
    /// written whole, the worst round's status — instead of killing it (143) with output lost.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func backlogWatchStreamsRoundsAndEndsCleanlyOnSIGTERM() throws {
        let bin = try #require(BinaryTests.binary)
        let server = try LoopbackHTTPServer(routes: ["/metrics": .text("jobs_waiting{queue=\"orders\"} 5\n")])
        defer { server.stop() }
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        let script = """
            cd '\(dir.path)'
            mkfifo out
            '\(bin)' backlog watch 'metrics+http://127.0.0.1:\(server.port)/metrics' --metric jobs_waiting -o ndjson --interval 1s --window 5s > out 2> err &
            pid=$!
            exec 3< out
            IFS= read -r -t 10 first <&3 || echo "no line within 10 s"
            echo "first: $first"
            kill -TERM $pid
            cat <&3 > rest
            wait $pid
            echo "status: $?"
            echo "last: $(tail -n 1 rest)"
            """
        let result = Subprocess.run(["bash", "-c", script])
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.output)\(result.errors)")
        #expect(lines.first?.hasPrefix(#"first: {"type": "result", "time": ""#) == true, "\(result.output)")
        #expect(lines.first?.contains(#""queue": "orders""#) == true && lines.first?.contains(#""depth": 5,"#) == true)
        #expect(lines.dropFirst().first == "status: 0", "\(result.output)")
        #expect(lines.last?.hasPrefix(#"last: {"type": "summary""#) == true && lines.last?.hasSuffix("}") == true, "\(result.output)")
    }

    /// cdn merge of the same partial twice silently double-counted. Partials record the inputs
    /// they cover (size and a CRC-32 of the first 64 KiB), so any input counted twice — a
    /// partial given twice, a log and its own partial, a log and its gzip — is refused.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func anInputIsNeverCountedTwice() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-nofalseok")
        defer { dir.remove() }
        try dir.write("a.log", Array((0..<100).map(Self.line).joined().utf8))
        try dir.write("b.log", Array((100..<150).map(Self.line).joined().utf8))
        #expect(try scalectl(["cdn", "hits", "a.log", "--partial", "a.scp"], in: dir).status == 0)
        #expect(try scalectl(["cdn", "hits", "b.log", "--partial", "b.scp"], in: dir).status == 0)
        // 100 lines of 90 bytes: 9,000 bytes.
        let both = try scalectl(["cdn", "merge", "a.scp", "b.scp", "-o", "json"], in: dir)
        #expect(both.status == 0 && both.output.contains(#""total_requests": 150,"#), "\(both.output)\(both.errors)")

        let twice = try scalectl(["cdn", "merge", "a.scp", "b.scp", "a.scp"], in: dir)
        #expect(twice.status == 64, "\(twice.output)\(twice.errors)")
        #expect(twice.errors.contains("a.scp: counts 'a.log', which is the same 9000 bytes as 'a.log' in a.scp"), "\(twice.errors)")
        #expect(twice.output.isEmpty)

        let logAndPartial = try scalectl(["cdn", "hits", "a.log", "b.scp", "a.scp"], in: dir)
        #expect(logAndPartial.status == 64 && logAndPartial.errors.contains("the same 9000 bytes as 'a.log'"), "\(logAndPartial.errors)")

        _ = Subprocess.run(["gzip", "-k", dir.path + "/a.log"])
        let compressed = try scalectl(["cdn", "hits", "a.log", "a.log.gz"], in: dir)
        #expect(compressed.status == 64 && compressed.errors.contains("a.log.gz: is the same 9000 bytes as 'a.log'"), "\(compressed.errors)")
    }
}

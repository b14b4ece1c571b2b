import ScaleCLI
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// Watch mode on a clock moved by hand and a scripted network. The seed 1234567 fixes the
/// schedule: SplitMix64's reference outputs for it give the first probes at 0.35008, 0.17364
/// and 0.53221 of an interval after the start (output >> 11, times 2^-53); with --jitter 0%
/// every later probe follows one interval after the previous one started.
@Suite("scalectl probe --watch on a deterministic clock")
struct ProbeWatchTests {
    static let url = "http://api.example/"
    static let ok = Canned.ok(marks: Canned.marks(total: 25_000))
    static let refused = Canned.failure(.refused, "Couldn't connect to server", url: url)
    /// S S F F F S S: with rise 2 and fall 3, UNKNOWN→UP at the 2nd, UP→DOWN at the 5th,
    /// DOWN→UP at the 7th probe.
    static func flapping() -> ScriptedTransport {
        ScriptedTransport([url: [ok, ok, refused, refused, refused, ok, ok]])
    }
    static let watch = ["--watch", "--interval", "1s", "--jitter", "0%", "--rise", "2", "--fall", "3"]

    @Test("in a pipe the table format logs each state change with its UTC time, then the final table; the DOWN spell is CRITICAL although UP at the end")
    func transitionLog() {
        let result = runProbe(Self.watch + ["--count", "7", Self.url], transport: Self.flapping())
        // The fake clock starts at 1,700,000,000 = 2023-11-14T22:13:20Z; probe k ends at +0.350 + (k - 1) s.
        #expect(result.out == """
            2023-11-14T22:13:21.350Z  http://api.example/  UNKNOWN -> UP  (2 successes)
            2023-11-14T22:13:24.350Z  http://api.example/  UP -> DOWN  (3 failures: refused)
            2023-11-14T22:13:26.350Z  http://api.example/  DOWN -> UP  (2 successes)

            TARGET               STATE  VERDICT  STATUS    REASON  CODE   TOTAL  TLS DAYS  PROBES  FAILURES  CHANGES  DOWNTIME
            http://api.example/  UP     UP       CRITICAL  -        200  25.0ms         -       7         3        3        3s

            TARGETS:             1
            UP:                  1
            DOWN:                0
            UNKNOWN:             0
            STATUS:              CRITICAL
            FINAL STATUS:        OK
            ROUNDS:              7
            POOL FAILURE ROUNDS: 0
            P50:                 25.0ms
            P90:                 25.0ms
            P99:                 25.0ms
            MAX:                 25.0ms
            ELAPSED:             6s
            note: the status is the worst seen during the watch: CRITICAL (http://api.example/); judged on the states at the end alone it would be OK

            """)
        // Three failed probes a second apart, then one that passed: 3 s of downtime.
        #expect(result.status == .critical)
        #expect(result.err == "")
    }

    @Test("a watch too short to decide: no log, the table first, every target UNKNOWN (exit 3)")
    func undecided() {
        let result = runProbe(Self.watch + ["--count", "1", Self.url], transport: Self.flapping())
        #expect(result.out.hasPrefix("TARGET               STATE    VERDICT"))
        #expect(result.out.contains("http://api.example/  UNKNOWN  UP "))
        #expect(result.status == .unknown)
    }

    @Test("ndjson streams probe, transition and round events with the report's field names")
    func events() throws {
        let result = runProbe(Self.watch + ["--count", "7", "-o", "ndjson", Self.url], transport: Self.flapping())
        #expect(result.console.flushes >= 7, "each probe's events are flushed to the pipe as they happen")
        let check = Subprocess.run(["python3", "-c", """
            import json, sys
            for line in sys.stdin:
                e = json.loads(line)
                if e["type"] == "transition":
                    print(e["time"], e["from"], e["to"], e["consecutive"], e["reason"])
                elif e["type"] == "probe":
                    print("probe", e["time"], e["verdict"], e["status_code"], e["total_seconds"])
                elif e["type"] == "round":
                    print("round", e["round"], e["up"], e["down"], e["pool_failure"])
                else:
                    print(e["type"], e.get("state"), e.get("probes"), e.get("transitions"), e.get("last_change"), e.get("rounds"))
            """], input: result.out)
        try #require(check.status == 0, "\(check.errors)")
        #expect(check.output == """
            probe 2023-11-14T22:13:20.350Z UP 200 0.025
            round 1 1 0 False
            probe 2023-11-14T22:13:21.350Z UP 200 0.025
            2023-11-14T22:13:21.350Z UNKNOWN UP 2 None
            round 2 1 0 False
            probe 2023-11-14T22:13:22.350Z DOWN None 0.0002
            round 3 0 1 False
            probe 2023-11-14T22:13:23.350Z DOWN None 0.0002
            round 4 0 1 False
            probe 2023-11-14T22:13:24.350Z DOWN None 0.0002
            2023-11-14T22:13:24.350Z UP DOWN 3 refused
            round 5 0 1 False
            probe 2023-11-14T22:13:25.350Z UP 200 0.025
            round 6 1 0 False
            probe 2023-11-14T22:13:26.350Z UP 200 0.025
            2023-11-14T22:13:26.350Z DOWN UP 2 None
            round 7 1 0 False
            result UP 7 3 2023-11-14T22:13:26.350Z None
            summary None None None None 7

            """)
    }

    @Test("Ctrl-C ends the watch with the final report and the worst status seen until then")
    func interrupt() {
        let time = FakeTime()
        let start = time.monotonic()
        // Stands in for Ctrl-C three seconds in: after the 3rd probe (a failure), before the 4th.
        let result = runProbe(Self.watch + [Self.url], transport: Self.flapping(), time: time,
                              interruptWhen: { time.monotonic() >= start + 3 })
        #expect(result.console.interruptsDeferred, "the watch asked for Ctrl-C to be deferred")
        #expect(result.out.contains("http://api.example/  UP     DOWN     WARNING  refused"))
        #expect(result.out.hasSuffix("note: interrupted (Ctrl-C, SIGINT) after 3s; the status is the worst seen until then\n"))
        // UP, but its last probe failed (1 of fall 3): WARNING.
        #expect(result.status == .warning)
    }

    @Test("--duration stops starting probes at the deadline")
    func duration() {
        let transport = Self.flapping()
        let result = runProbe(Self.watch + ["--duration", "2500ms", "-o", "csv", Self.url], transport: transport)
        #expect(transport.requests.count == 3, "probes at 0.35, 1.35 and 2.35 s")
        #expect(result.out.contains(",UP,DOWN,"), "UP after two successes; the third probe failed")
    }

    @Test("a round in which more than half the targets fail is a pool failure event")
    func poolFailure() throws {
        let transport = ScriptedTransport([
            "http://a.example/": [Self.ok],
            "http://b.example/": [Self.ok, Canned.failure(.timeout, "Operation timed out", url: "http://b.example/")],
            "http://c.example/": [Self.ok, Canned.failure(.timeout, "Operation timed out", url: "http://c.example/")],
        ])
        let result = runProbe(Self.watch + ["--count", "2", "-o", "ndjson", "http://a.example/", "http://b.example/", "http://c.example/"],
                              transport: transport)
        let pool = try #require(result.out.split(separator: "\n").first { $0.contains(#""type": "pool_failure""#) })
        // Round 2 ends with c's second probe: 0.53221 + 1 s after the start.
        #expect(pool == #"{"type": "pool_failure", "time": "2023-11-14T22:13:21.532Z", "round": 2, "targets": 3, "down": 2, "down_ratio": 0.6666666666666666, "pool_fail_threshold_ratio": 0.5}"#)
        #expect(result.out.contains(#"{"type": "round", "time": "2023-11-14T22:13:20.532Z", "round": 1, "targets": 3, "up": 3, "down": 0, "pool_failure": false}"#))
        // b and c had one success and one failure: neither rise nor fall reached, so UNKNOWN (3).
        #expect(result.status == .unknown)
        #expect(result.out.contains(#""type": "summary""#) && result.out.contains(#""pool_failure_rounds": 1"#))
    }

    @Test("a pool failure is said once when it starts and once when it ends, not every round it lasts")
    func poolFailureEpisode() {
        let timeout = { (url: String) in Canned.failure(.timeout, "Operation timed out", url: url) }
        let transport = ScriptedTransport([
            "http://a.example/": [Self.ok, Self.ok, Self.ok, Self.ok],
            "http://b.example/": [Self.ok, timeout("http://b.example/"), timeout("http://b.example/"), Self.ok],
            "http://c.example/": [Self.ok, timeout("http://c.example/"), timeout("http://c.example/"), Self.ok],
        ])
        let result = runProbe(Self.watch + ["--count", "4", "http://a.example/", "http://b.example/", "http://c.example/"], transport: transport)
        let pool = result.out.split(separator: "\n").filter { $0.contains("pool failure") && !$0.hasPrefix("note:") }
        // Rounds end with c's probe: 0.53221 s after the start, then a second apart.
        #expect(pool == [
            "2023-11-14T22:13:21.532Z  pool failure from round 2: 2 of 3 targets (67%) failed, more than 50%: suspect a shared dependency or the health check",
            "2023-11-14T22:13:23.532Z  pool failure over in round 4 after 2 rounds: 0 of 3 targets failed",
        ])
        #expect(result.out.contains("POOL FAILURE ROUNDS: 2"))
    }

    @Test("on a terminal each target has a latency sparkline: its last probes scaled to its slowest, × for a failure")
    func liveSparkline() {
        let result = runProbe(Self.watch + ["--count", "3", "--color", "never", Self.url], transport: Self.flapping(), terminal: true, width: 140)
        #expect(result.out.contains("LATENCY"))
        #expect(result.out.contains("██×"), "two 25 ms probes, then a refused one")
    }

    @Test("on a terminal the table is redrawn in place: cursor up over the last block, clear, rewrite")
    func liveTable() throws {
        let result = runProbe(Self.watch + ["--count", "3", "--color", "never", Self.url], transport: Self.flapping(), terminal: true, width: 100)
        let out = result.out
        #expect(out.hasPrefix(LiveRedraw.hideCursor + "\r\u{1B}[2Kwatching 1 targets every 1s · round 0 · 0 up · 0 down · 1 unknown · 0s\n"))
        // Every redraw goes back over the three lines of the block: header, titles, one row.
        let frames = out.split(separator: "\r\u{1B}[3A", omittingEmptySubsequences: false).map(String.init)
        #expect(frames.count >= 4, "\(frames.count - 1) redraws")
        for frame in frames.dropFirst().dropLast() {
            #expect(frame.hasSuffix("\u{1B}[J"), "each frame clears what an older block left below")
            let lines = frame.split(separator: "\u{1B}[2K", omittingEmptySubsequences: false).dropFirst()
            #expect(lines.allSatisfy { $0.hasSuffix("\n") || $0.hasSuffix("\n\u{1B}[J") })
        }
        // The state change scrolls above the table, once.
        #expect(out.split(separator: "\u{1B}[2K2023-11-14T22:13:21.350Z  http://api.example/  UNKNOWN -> UP  (2 successes)\n", omittingEmptySubsequences: false).count == 2)
        // At the end the live block is cleared, the cursor shown, and the final table printed.
        let tail = try #require(frames.last)
        #expect(tail.hasPrefix("\u{1B}[J" + LiveRedraw.showCursor + "TARGET "))
        #expect(result.status == .warning, "UP, last probe failed")
    }
}

@Suite("Redrawing a block in place")
struct LiveRedrawTests {
    @Test("the first frame starts at the cursor; later ones go back over the block; a shorter block clears the rest")
    func frames() {
        var redraw = LiveRedraw(width: nil)
        #expect(redraw.frame(block: ["a", "b"]) == "\r\u{1B}[2Ka\n\u{1B}[2Kb\n\u{1B}[J")
        #expect(redraw.frame(log: ["event"], block: ["c"]) == "\r\u{1B}[2A\u{1B}[2Kevent\n\u{1B}[2Kc\n\u{1B}[J")
        #expect(redraw.clear() == "\r\u{1B}[1A\u{1B}[J")
        #expect(redraw.frame(block: ["d"]) == "\r\u{1B}[2Kd\n\u{1B}[J")
    }

    @Test("lines are cut to the width minus one, counting wide characters twice and colour codes not at all")
    func fitting() {
        let redraw = LiveRedraw(width: 6)
        #expect(redraw.fit("abcdefgh") == "abcde")
        #expect(redraw.fit("東京東京") == "東京")
        #expect(redraw.fit("\u{1B}[32mUP\u{1B}[0m abcdef") == "\u{1B}[32mUP\u{1B}[0m ab\u{1B}[0m")
        #expect(redraw.fit("short") == "short")
    }
}

import Testing
import QueueBacklog
import ScaleCore
@testable import QueueSources
@testable import ScaleCLI
import TestSupport

/// A clock that only moves when slept on.
final class FakeClock: BacklogClock {
    var time: Double
    var slept: [Double] = []
    init(_ time: Double) { self.time = time }
    func now() -> Double { time }
    func sleep(_ seconds: Double) { slept.append(seconds); time += seconds }
}

/// A queue whose polls return scripted depths and counters, one per round.
final class ScriptedSource: BacklogSource {
    let label = "scripted://orders"
    let hasCounters = true
    var script: [(depth: Double, arrived: Double, deleted: Double)?]
    init(_ script: [(depth: Double, arrived: Double, deleted: Double)?]) { self.script = script }
    func poll(now: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)] {
        guard let step = script.removeFirst() else { throw ScaleError(.target, "cannot connect: Connection refused", at: "127.0.0.1:5672") }
        return [("orders", BacklogSample(time: now, depth: step.depth, arrivedTotal: step.arrived, deletedTotal: step.deleted, consumers: 3))]
    }
}

@Suite struct BacklogWatchTests {
    func watch(_ arguments: [String], source: ScriptedSource, clock: FakeClock, terminal: Bool = false) -> (out: String, err: String, status: ExitCode) {
        let console = CapturingConsole(isTerminal: terminal, width: terminal ? 200 : nil)
        let context = CommandContext(console: console, renderOptions: RenderOptions(color: false, width: terminal ? 200 : nil), errorColor: false, services: .live)
        do {
            let invocation = try ArgumentParser(root: CommandTable.root).parse(["backlog", "watch"] + arguments)
            let status = try BacklogWatch.run(invocation, context, clock: clock, sources: [.init(source: source, role: "queue")])
            return (console.output, console.errors, status)
        } catch {
            return (console.output, "scalectl: error: \(error)\n", error.exitCode)
        }
    }

    /// Polls at 1000, 1005, 1010, 1015 s. Depth 100 → 70 while 50 arrive and 60 are deleted each
    /// 5 s. In round 4 the 10 s window holds the polls at 1005–1015: λ = (150 − 50)/10 = 10/s,
    /// μ = (180 − 60)/10 = 12/s, drain 70/(12 − 10) = 35 s, so empty at 1015 + 35 = 1050 s. With 3
    /// consumers one deletes 12/3 = 4/s, and ceil(10/4) = ceil(2.5) = 3 keep up.
    @Test func ndjsonEventsEveryRoundOverTheSlidingWindow() {
        let clock = FakeClock(1000)
        let source = ScriptedSource([(100, 0, 0), (90, 50, 60), (80, 100, 120), (70, 150, 180)])
        let result = watch(["-o", "ndjson", "--interval", "5s", "--window", "10s", "--count", "4"], source: source, clock: clock)
        let lines = result.out.split(separator: "\n")
        #expect(lines.count == 8)
        #expect(lines[0] == #"{"type": "result", "time": "1970-01-01T00:16:40Z", "queue": "orders", "role": "queue", "status": "OK", "check": "OK", "depth": 100, "arrival_per_second": null, "deletion_per_second": null, "growth_per_second": null, "rate_source": "none", "drain_seconds": null, "drains_at": null, "oldest_age_seconds": null, "oldest_age_estimated": null, "oldest_unacked_age_seconds": null, "wait_seconds": null, "consumers": 3, "per_consumer_per_second": null, "consumers_needed": null, "window_seconds": 0, "samples": 1}"#)
        #expect(lines[6] == #"{"type": "result", "time": "1970-01-01T00:16:55Z", "queue": "orders", "role": "queue", "status": "DRAINING", "check": "OK", "depth": 70, "arrival_per_second": 10, "deletion_per_second": 12, "growth_per_second": -2, "rate_source": "counters", "drain_seconds": 35, "drains_at": "1970-01-01T00:17:30Z", "oldest_age_seconds": 7, "oldest_age_estimated": true, "oldest_unacked_age_seconds": null, "wait_seconds": 5.833333333333333, "consumers": 3, "per_consumer_per_second": 4, "consumers_needed": 3, "window_seconds": 10, "samples": 3}"#)
        #expect(lines[7] == #"{"type": "summary", "schema_version": 1, "command": "backlog watch", "notes": ["oldest age estimated by Little's law (depth / arrival rate): the broker gave none"], "queues": 1, "total_depth": 70, "check": "OK"}"#)
        #expect(clock.slept == [5, 5, 5])
        #expect(result.status == .ok)
    }

    /// A failed poll is reported and the watch goes on; the round it failed in is UNKNOWN.
    @Test func aFailingSourceIsReportedAndRetried() {
        let clock = FakeClock(0)
        let source = ScriptedSource([(5, 0, 0), nil, (5, 10, 10)])
        let result = watch(["-o", "csv", "--interval", "1s", "--window", "1m", "--count", "3", "--warning", "drain=1m"], source: source, clock: clock)
        // CSV has no place for the rounds' notes: stderr has them beside the one error.
        let errors = result.err.split(separator: "\n").filter { !$0.hasPrefix("scalectl: note: ") }
        #expect(errors == ["scalectl: error: scripted://orders: 127.0.0.1:5672: cannot connect: Connection refused"], "\(result.err)")
        // Each row starts with its round's time: 0, 1 and 2 s after the epoch.
        let rows = result.out.split(separator: "\r\n").filter { $0.contains(",orders,") }
        #expect(rows.count == 3)
        #expect(rows.map { $0.prefix(21) } == ["1970-01-01T00:00:00Z,", "1970-01-01T00:00:01Z,", "1970-01-01T00:00:02Z,"])
        // Round 3: λ = μ = 10/2 = 5/s: holding steady, never draining, so drain=1m is exceeded.
        #expect(rows[2].dropFirst(21).hasPrefix("orders,queue,OK,WARNING,5,5,5,0,counters,+Inf,,"))
        #expect(result.status == .warning)
    }

    /// A watch guards a deploy: a queue over its limit in round 1 that recovered by round 2 still
    /// fails it (the worst round's status, as probe --watch), with a note naming both.
    @Test func theExitStatusIsTheWorstRoundsWithANoteWhenTheLastWasBetter() {
        let clock = FakeClock(0)
        let source = ScriptedSource([(100, 0, 0), (10, 0, 90)])
        let result = watch(["-o", "csv", "--interval", "1s", "--count", "2", "--critical", "depth=50"], source: source, clock: clock)
        let rows = result.out.split(separator: "\r\n").filter { $0.contains(",orders,") }
        #expect(rows.count == 2 && rows[0].dropFirst(21).hasPrefix("orders,queue,OK,CRITICAL,100,"), "\(rows)")
        #expect(rows.count == 2 && rows[1].dropFirst(21).hasPrefix("orders,queue,DRAINING,OK,10,"), "\(rows)")
        #expect(result.status == .critical)
        #expect(result.err.hasSuffix("scalectl: note: the status is the worst seen during the watch: CRITICAL in round 1; the last round (2) was OK\n"), "\(result.err)")
    }

    /// -o nagios is one verdict for the whole watch: a single status line, at the end, naming
    /// the worst round's state, which is also the exit status.
    @Test func nagiosIsOneVerdictWithTheWorstRoundsState() {
        let clock = FakeClock(0)
        let source = ScriptedSource([(100, 0, 0), (10, 0, 90)])
        let result = watch(["-o", "nagios", "--interval", "1s", "--count", "2", "--critical", "depth=50"], source: source, clock: clock)
        let verdicts = result.out.split(separator: "\n").filter { $0.hasPrefix("SCALECTL ") }
        #expect(verdicts.count == 1, "\(result.out)")
        #expect(verdicts.first?.hasPrefix("SCALECTL BACKLOG WATCH CRITICAL - round 1: 1 of 1 queues not OK: orders CRITICAL; round 2, the last: 1 queues OK | ") == true, "\(result.out)")
        #expect(result.status == .critical)
    }

    @Test func aTerminalRedrawsTheTableInPlace() {
        let clock = FakeClock(0)
        let source = ScriptedSource([(5, 0, 0), (4, 1, 2)])
        let result = watch(["--interval", "2s", "--count", "2"], source: source, clock: clock, terminal: true)
        #expect(result.out.split(separator: "\u{1B}[H\u{1B}[2J", omittingEmptySubsequences: false).count == 3)
        #expect(result.out.contains("every 2s, window 5m, round 2\n"))
    }

    @Test func windowShorterThanTheIntervalIsAUsageError() {
        let result = watch(["--interval", "10s", "--window", "5s"], source: ScriptedSource([]), clock: FakeClock(0))
        #expect(result.err == "scalectl: error: --window: must be at least the interval; a window holds several polls, e.g. --interval 5s --window 5m\n")
        #expect(result.status == .usage)
    }
}

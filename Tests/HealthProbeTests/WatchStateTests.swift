import HealthProbe
import ScaleCore
import Testing

@Suite("Rise/fall state and watch rounds on a deterministic clock")
struct WatchStateTests {
    static let up = ProbeVerdict(up: true, status: .ok)
    static func down(_ reason: String = "refused") -> ProbeVerdict { ProbeVerdict(up: false, status: .critical, reason: reason) }

    /// Hand-worked sequences: S success, F failure; rise 2, fall 3.
    @Test("rise 2 / fall 3: states after each result", arguments: [
        ("SS", "UNKNOWN UP"),
        ("SFSS", "UNKNOWN UNKNOWN UNKNOWN UP"),
        ("FFF", "UNKNOWN UNKNOWN DOWN"),
        ("SSFFSFFF", "UNKNOWN UP UP UP UP UP UP DOWN"),
        ("FFFSFSS", "UNKNOWN UNKNOWN DOWN DOWN DOWN DOWN UP"),
    ])
    func sequences(results: String, states: String) {
        var health = RiseFall(rise: 2, fall: 3)
        var seen: [String] = []
        for r in results {
            _ = health.record(success: r == "S")
            seen.append(health.state.rawValue)
        }
        #expect(seen.joined(separator: " ") == states)
    }

    @Test("a change reports where it came from and the run that caused it")
    func changes() {
        var health = RiseFall(rise: 1, fall: 2)
        #expect(health.record(success: true) == StateChange(from: .unknown, to: .up, consecutive: 1))
        #expect(health.record(success: true) == nil, "already up")
        #expect(health.record(success: false) == nil)
        #expect(health.record(success: false) == StateChange(from: .up, to: .down, consecutive: 2))
        #expect(health.record(success: false) == nil, "already down")
    }

    @Test("the tracker stamps changes with the time given and completes rounds in order")
    func tracker() {
        var tracker = WatchTracker(targets: 2, rise: 2, fall: 2, policy: PoolPolicy(), start: 99.5)
        // t=0: a up; t=0.5: b down; t=2: a up → a UNKNOWN→UP; round 1 done at 0.5, round 2 at 2.5.
        #expect(tracker.record(target: 0, verdict: Self.up, at: 100.0) == [])
        #expect(tracker.record(target: 1, verdict: Self.down(), at: 100.5)
                == [.roundComplete(.init(round: 1, targets: 2, down: 1, poolFailure: false, at: 100.5))])
        #expect(tracker.record(target: 0, verdict: Self.up, at: 102.0)
                == [.stateChange(target: 0, change: StateChange(from: .unknown, to: .up, consecutive: 2), at: 102.0, reason: nil)])
        #expect(tracker.record(target: 0, verdict: Self.down("status 503"), at: 104.0) == [], "round 3 waits for b's round 2")
        #expect(tracker.record(target: 1, verdict: Self.down("first-byte timeout"), at: 102.5) == [
            .stateChange(target: 1, change: StateChange(from: .unknown, to: .down, consecutive: 2), at: 102.5, reason: "first-byte timeout"),
            .roundComplete(.init(round: 2, targets: 2, down: 1, poolFailure: false, at: 102.5)),
        ])
        #expect(tracker.record(target: 1, verdict: Self.down(), at: 104.5)
                == [.roundComplete(.init(round: 3, targets: 2, down: 2, poolFailure: true, at: 104.5))])
        #expect(tracker.roundsCompleted == 3)
        #expect(tracker.poolFailureRounds == 1)
        #expect(tracker.records.map(\.probes) == [3, 3])
        #expect(tracker.records.map(\.failures) == [1, 3])
        #expect(tracker.records.map(\.transitions) == [1, 1])
        #expect(tracker.records.map(\.lastChange) == [102.0, 102.5])
        // a is UP but its last probe failed (1 of fall 2): WARNING; b is DOWN: CRITICAL.
        #expect(tracker.finalStatuses() == [.warning, .critical])
    }

    @Test("final statuses: UNKNOWN stays UNKNOWN; DOWN weighs as --min-up says; UP carries the last warning")
    func finalStatuses() {
        var tracker = WatchTracker(targets: 3, rise: 1, fall: 1, policy: PoolPolicy(minUp: 1), start: 0)
        _ = tracker.record(target: 0, verdict: ProbeVerdict(up: true, status: .warning, reason: "slow"), at: 0)
        _ = tracker.record(target: 1, verdict: Self.down(), at: 0)
        #expect(tracker.finalStatuses() == [.warning, .warning, .unknown])
    }

    /// --min-up 2 of 3: with one UP, one DOWN and one not yet decided (too few results, or a
    /// --deadline cut it), the undecided one could still make the pool whole: the DOWN is
    /// UNKNOWN, as in one round, and CRITICAL once the third is DOWN too.
    @Test("a DOWN is UNKNOWN while undecided targets could still make up --min-up")
    func undecidedTargetsCouldMakeUpMinUp() {
        var tracker = WatchTracker(targets: 3, rise: 1, fall: 2, policy: PoolPolicy(minUp: 2), start: 0)
        _ = tracker.record(target: 0, verdict: Self.up, at: 0)
        _ = tracker.record(target: 1, verdict: Self.down(), at: 0)
        _ = tracker.record(target: 1, verdict: Self.down(), at: 1)
        _ = tracker.record(target: 2, verdict: Self.down(), at: 1)
        #expect(tracker.finalStatuses() == [.ok, .unknown, .unknown])
        #expect(tracker.watchStatuses() == [.ok, .unknown, .unknown])
        _ = tracker.record(target: 2, verdict: Self.down(), at: 2)
        #expect(tracker.finalStatuses() == [.ok, .critical, .critical])
    }

    /// Probes every second of 18: a passes throughout; b fails from t=6 to t=11 (six probes)
    /// and passes again from t=12. Rise 2, fall 3.
    @Test("an outage in the middle stays in the watch: worst status, downtime and time in each state")
    func outageInTheMiddle() {
        var tracker = WatchTracker(targets: 2, rise: 2, fall: 3, policy: PoolPolicy(), start: 1_000)
        for second in 1...18 {
            let t = 1_000 + Double(second)
            _ = tracker.record(target: 0, verdict: Self.up, at: t)
            _ = tracker.record(target: 1, verdict: (6...11).contains(second) ? Self.down("refused") : Self.up, at: t)
        }
        let end = 1_018.5
        // Both UP at the end, so the final statuses alone say OK ...
        #expect(tracker.finalStatuses() == [.ok, .ok])
        // ... but b was DOWN from t=8 (3rd failure) to t=13 (2nd success): CRITICAL.
        #expect(tracker.watchStatuses() == [.ok, .critical])
        let b = tracker.records[1]
        // UNKNOWN 1000–1002, UP 1002–1008, DOWN 1008–1013, UP 1013–1018.5.
        #expect(b.seconds(in: .unknown, at: end) == 2)
        #expect(b.seconds(in: .down, at: end) == 5)
        #expect(b.seconds(in: .up, at: end) == 11.5)
        // Failing from the first failed probe (t=6) to the first that passed (t=12).
        #expect(b.downtimeSeconds(at: end) == 6)
        #expect(tracker.records[0].downtimeSeconds(at: end) == 0)
        #expect(b.transitions == 3)
    }

    @Test("downtime runs to the end while the failures go on; a target never probed has none measured")
    func downtimeUntilTheEnd() {
        var tracker = WatchTracker(targets: 2, rise: 1, fall: 1, policy: PoolPolicy(), start: 0)
        _ = tracker.record(target: 0, verdict: Self.up, at: 1)
        _ = tracker.record(target: 0, verdict: Self.down(), at: 2)
        #expect(tracker.records[0].downtimeSeconds(at: 10) == 8)
        #expect(tracker.records[1].downtimeSeconds(at: 10) == nil)
        #expect(tracker.records[1].seconds(in: .unknown, at: 10) == 10)
    }

    @Test("a failed probe while UP is WARNING for the watch, as at its end; UNKNOWN before deciding counts for nothing")
    func blipWhileUp() {
        var tracker = WatchTracker(targets: 1, rise: 1, fall: 3, policy: PoolPolicy(), start: 0)
        _ = tracker.record(target: 0, verdict: Self.up, at: 1)
        _ = tracker.record(target: 0, verdict: Self.down(), at: 2)
        _ = tracker.record(target: 0, verdict: Self.up, at: 3)
        #expect(tracker.finalStatuses() == [.ok])
        #expect(tracker.watchStatuses() == [.warning])
    }
}

@Suite("Jittered schedule")
struct ScheduleTests {
    /// The reference output of Vigna's splitmix64.c for the seed 1234567.
    @Test("SplitMix64 reproduces the reference sequence")
    func splitMix() {
        var generator = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in generator.next() } == [
            6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
            4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
        ])
    }

    @Test("first probes spread over one interval, no two together; later gaps within ±jitter")
    func spread() {
        var schedule = JitterSchedule(interval: 2, jitter: 0.1, seed: 42)
        let first = schedule.firstProbes(count: 1000, start: 50)
        #expect(first.allSatisfy { $0 >= 50 && $0 < 52 })
        #expect(Set(first).count == 1000)
        // Evenly spread: each quarter of the interval holds about a quarter (binomial sd ≈ 14).
        for quarter in 0..<4 {
            let low = 50 + Double(quarter) * 0.5
            let count = first.filter { $0 >= low && $0 < low + 0.5 }.count
            #expect(abs(count - 250) < 70, "quarter \(quarter): \(count)")
        }
        let gaps = (0..<1000).map { _ in schedule.next(after: 10) - 10 }
        #expect(gaps.allSatisfy { $0 >= 1.8 && $0 <= 2.2 })
        #expect(gaps.min()! < 1.82 && gaps.max()! > 2.18, "the whole ±10% is used")
        let mean = gaps.reduce(0, +) / Double(gaps.count)
        #expect(abs(mean - 2) < 0.01)
    }

    @Test("the same seed gives the same schedule")
    func reproducible() {
        var a = JitterSchedule(interval: 1, jitter: 0.2, seed: 7)
        var b = JitterSchedule(interval: 1, jitter: 0.2, seed: 7)
        #expect(a.firstProbes(count: 5, start: 0) == b.firstProbes(count: 5, start: 0))
        #expect(a.next(after: 3) == b.next(after: 3))
    }
}

@Suite("UTC timestamps")
struct UTCTimestampTests {
    /// References from GNU date: `date -u -d @S +%FT%T.%3NZ`.
    @Test(arguments: [
        (1_700_000_000.123, "2023-11-14T22:13:20.123Z"), (951_782_400, "2000-02-29T00:00:00.000Z"),
        (0, "1970-01-01T00:00:00.000Z"), (-1, "1969-12-31T23:59:59.000Z"), (253_402_300_799.999, "9999-12-31T23:59:59.999Z"),
    ])
    func matchesGNUDate(seconds: Double, text: String) {
        #expect(UTCTimestamp.string(epochSeconds: seconds) == text)
    }
}

import Testing
import QueueBacklog

/// Burrow's evaluation rules, one constructed window each
/// (github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules).
@Suite struct OffsetEvaluatorTests {
    func window(_ rows: [(Int64, Int64)], times: [Double]? = nil, commits: [Double]? = nil) -> [OffsetSample] {
        rows.enumerated().map { i, r in
            OffsetSample(time: times?[i] ?? Double(i) * 60, committed: r.0, logEnd: r.1, commitTime: commits?[i])
        }
    }

    /// Committed 100 → 160 in 60 s (1/s), log end 200 → 230 (0.5/s); lag 70 drains at 0.5/s: 140 s.
    @Test func ratesAndDrainTime() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 200), (160, 230)])))
        #expect(a.consumeRate == 1 && a.produceRate == 0.5)
        #expect(a.lag == 70 && a.drainSeconds == 140)
        #expect(a.status == .ok) // lag decreased: 100 → 70
    }

    @Test func okWhenLagHitZeroInTheWindow() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 105), (110, 110), (112, 120)])))
        #expect(a.status == .ok)
    }

    @Test func warnWhenLagNeverDecreased() throws {
        // Lag 50, 60, 70 while the consumer moves 100 → 110 → 120.
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 150), (110, 170), (120, 190)])))
        #expect(a.status == .warn)
        #expect(a.drainSeconds == nil)
    }

    @Test func stallWhenTheCommittedOffsetDidNotMove() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 150), (100, 160), (100, 170)])))
        #expect(a.status == .stall)
    }

    @Test func rewindWhenAnOffsetWentBack() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 150), (90, 160), (95, 170)])))
        #expect(a.status == .rewind)
    }

    /// Commits at 0, 10, 20 s span 20 s; at now = 100 the last commit is 80 s old: STOP.
    /// At now = 35 it is 15 s old, within the window's 20 s: the other rules apply (WARN).
    @Test func stopWhenNoCommitForLongerThanTheWindow() throws {
        let rows = window([(100, 150), (110, 170), (120, 190)], times: [0, 10, 20], commits: [0, 10, 20])
        #expect(OffsetEvaluator.evaluate(rows, now: 100)?.status == .stop)
        #expect(OffsetEvaluator.evaluate(rows, now: 35)?.status == .warn)
    }

    @Test func okWithoutLagWhateverElseHappened() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 150), (90, 90)])))
        #expect(a.status == .ok && a.lag == 0 && a.drainSeconds == 0)
    }

    @Test func okWhenLagDecreasedSomewhere() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 150), (130, 170), (140, 195)])))
        // Lags 50, 40, 55: it decreased once, so not WARN.
        #expect(a.status == .ok)
    }

    @Test func nothingCommittedHasNoLag() throws {
        let a = try #require(OffsetEvaluator.evaluate([OffsetSample(time: 0, committed: nil, logEnd: 10)]))
        #expect(a.lag == nil && a.status == .ok)
    }

    /// Burrow checks lag-ever-zero before anything else: offsets 100, 200, 150, 300, 400 with
    /// lags 0, 0, 60, 20, 20 went back once, but lag was zero in the window, so Burrow's
    /// evaluator says OK (REWIND here was a false CRITICAL).
    @Test func lagThatReachedZeroClearsARewind() throws {
        let a = try #require(OffsetEvaluator.evaluate(window([(100, 100), (200, 200), (150, 210), (300, 320), (400, 420)])))
        #expect(a.lag == 20)
        #expect(a.status == .ok)
    }

    /// Then worst first: a window both rewound and stopped is REWIND (Burrow tests REWIND
    /// before STOP), one both stopped and stalled is STOP.
    @Test func rewindComesBeforeStopAndStopBeforeStall() throws {
        let rewoundAndStopped = window([(100, 150), (90, 160), (95, 170)], times: [0, 10, 20], commits: [0, 10, 20])
        #expect(OffsetEvaluator.evaluate(rewoundAndStopped, now: 100)?.status == .rewind)
        let stoppedAndStalled = window([(100, 150), (100, 160), (100, 170)], times: [0, 10, 20], commits: [0, 10, 20])
        #expect(OffsetEvaluator.evaluate(stoppedAndStalled, now: 100)?.status == .stop)
        #expect(OffsetEvaluator.evaluate(stoppedAndStalled, now: 25)?.status == .stall)
    }
}

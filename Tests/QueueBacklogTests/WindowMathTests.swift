import Testing
import QueueBacklog

/// The pieces checked against hand-worked sums.
@Suite struct WindowMathTests {
    @Test func slopeOfAStraightLineIsItsGradient() {
        #expect(WindowMath.slope([(0, 10), (10, 30), (20, 50)]) == 2)
    }

    /// t̄ = 1, ȳ = 2: Σ(t−t̄)(y−ȳ) = (−1)(−1) + 0 + (1)(0) = 1, Σ(t−t̄)² = 2, slope 0.5 —
    /// also at epoch-sized times, which is why the times are centred first.
    @Test(arguments: [0.0, 1_714_550_400.0])
    func slopeOfScatteredPointsIsTheLeastSquaresFit(offset: Double) {
        #expect(WindowMath.slope([(offset + 0, 1), (offset + 1, 3), (offset + 2, 2)]) == 0.5)
    }

    @Test func slopeNeedsTwoDistinctTimes() {
        #expect(WindowMath.slope([(5, 1)]) == nil)
        #expect(WindowMath.slope([(5, 1), (5, 9)]) == nil)
    }

    /// 10 → 15 (+5), 15 → 3 is a reset (+3), 3 → 8 (+5): 13.
    @Test func counterIncreaseCountsAResetAsARestartFromZero() {
        #expect(WindowMath.increase([10, 15, 3, 8]) == 13)
        #expect(WindowMath.increase([7]) == 0)
    }

    @Test func windowKeepsTheSamplesWithinSecondsOfTheLatest() {
        let samples = stride(from: 600.0, through: 0, by: -60).map { BacklogSample(time: $0, depth: $0) }
        let kept = WindowMath.window(samples, seconds: 120)
        #expect(kept.map(\.time) == [480, 540, 600])
        #expect(WindowMath.window(samples, seconds: nil).count == 11)
    }
}

@Suite struct TimestampTests {
    /// References from GNU date: `date -u -d @1714550400 +%FT%TZ` and `date -u -d '…' +%s`.
    @Test(arguments: [
        ("2024-05-01T08:00:00Z", 1_714_550_400.0),
        ("2024-05-01 08:00:00z", 1_714_550_400.0),
        ("2024-02-29T23:59:59+05:30", 1_709_231_399.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("2024-05-01T08:00:00.25Z", 1_714_550_400.25),
        ("1714550400", 1_714_550_400.0),
        ("1714550400.5", 1_714_550_400.5),
    ])
    func parses(text: String, seconds: Double) {
        #expect(Timestamp.parse(text) == seconds)
    }

    @Test(arguments: ["", "2023-02-29T00:00:00Z", "2024-05-01T08:00:00", "2024-13-01T00:00:00Z", "yesterday",
                      "2024-05-01T08:00:00Zjunk", "2024-05-01T08:00:00.Z", "-5", "1e9"])
    func refuses(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatsUTC() {
        #expect(Timestamp.format(1_714_550_400) == "2024-05-01T08:00:00Z")
        #expect(Timestamp.format(951_782_400) == "2000-02-29T00:00:00Z")
        #expect(Timestamp.format(-1) == "1969-12-31T23:59:59Z")
    }
}

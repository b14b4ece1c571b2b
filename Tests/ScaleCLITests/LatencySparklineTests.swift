import Testing
@testable import ScaleCLI

@Suite struct LatencySparklineTests {
    /// Scaled to the slowest (40 ms) over eight levels: 10 ms → round(0.25 × 7) = 2 (▃),
    /// 20 ms → round(3.5) = 4 (▅), 40 ms → 7 (█); a failure is ×.
    @Test func barsScaleToTheSlowestAndFailuresShow() {
        var line = LatencySparkline()
        for seconds in [0.01, 0.02, nil, 0.04] { line.append(seconds) }
        #expect(line.text == "▃▅×█")
    }

    @Test func keepsTheLastSixteen() {
        var line = LatencySparkline()
        for i in 0..<20 { line.append(i < 4 ? nil : 0.5) }
        #expect(line.text == String(repeating: "█", count: 16))
    }
}

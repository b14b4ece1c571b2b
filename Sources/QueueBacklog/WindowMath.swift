/// The small numeric pieces the analysis is made of, each checked on its own in the tests.
public enum WindowMath {
    /// Least-squares slope of y over t: Σ(t−t̄)(y−ȳ) / Σ(t−t̄)². Nil with fewer than two
    /// distinct times. Times are centred first, so epoch-sized t keeps its precision.
    public static func slope(_ points: [(t: Double, y: Double)]) -> Double? {
        guard points.count >= 2 else { return nil }
        let n = Double(points.count)
        let meanT = points.reduce(0) { $0 + $1.t } / n
        let meanY = points.reduce(0) { $0 + $1.y } / n
        var sxy = 0.0, sxx = 0.0
        for p in points {
            let dt = p.t - meanT
            sxy += dt * (p.y - meanY)
            sxx += dt * dt
        }
        guard sxx > 0 else { return nil }
        return sxy / sxx
    }

    /// How much a cumulative counter rose over the series. A value lower than the one before
    /// is a reset (a broker restart): the counter restarted from 0, so the new value is all
    /// increase — Prometheus's rule for `increase()`.
    public static func increase(_ values: [Double]) -> Double {
        var total = 0.0
        for i in values.indices.dropFirst() {
            let step = values[i] - values[i - 1]
            total += step >= 0 ? step : values[i]
        }
        return total
    }

    /// The samples within `seconds` of the last one (all of them when `seconds` is nil), in
    /// time order.
    public static func window(_ samples: [BacklogSample], seconds: Double?) -> [BacklogSample] {
        let sorted = samples.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        guard let seconds, let last = sorted.last else { return sorted }
        let start = last.time - seconds
        return sorted.filter { $0.time >= start }
    }
}

public import ScaleCore

/// The multiwindow, multi-burn-rate alerts of the SRE Workbook (chapter 5, "Alerting on SLOs",
/// table 5-8): alert when the error budget is being spent fast enough that a given share of it
/// would be gone within the long window, and the short window (1/12 of the long one) confirms
/// it is still happening.
public struct BurnRateAlert: Sendable, Equatable {
    public enum Severity: String, Sendable { case page, ticket }

    public var severity: Severity
    public var longWindow: Double
    public var shortWindow: Double
    /// Percent of the whole SLO window's budget spent when the alert fires (2, 5, 10).
    public var budgetPercent: Double
    /// How many times faster than "exactly on budget" errors arrive.
    public var burnRate: Double
    /// The error ratio that burns at `burnRate`: burnRate × (1 − SLO).
    public var errorRateThreshold: Double
    /// How long the whole budget lasts at this burn rate: window / burnRate.
    public var timeToExhaust: Double

    /// Fires when the error ratio over both windows is above the threshold (`>`, as in the
    /// Workbook's rules). With one measured rate, both windows see the same ratio.
    public func fires(errorRate: Double) -> Bool { errorRate > errorRateThreshold }
}

public struct BurnRatePolicy: Sendable, Equatable {
    public var slo: UpDown
    /// The SLO window in seconds (30 days in the Workbook).
    public var window: Double
    public var alerts: [BurnRateAlert]

    /// (severity, long window, percent of budget) from the Workbook; burn rates follow from the
    /// window: rate = budget share × SLO window / long window, so a 30-day window gives the
    /// published 14.4, 6 and 1.
    public static let workbook: [(BurnRateAlert.Severity, Double, Double)] = [
        (.page, 3600, 2), (.page, 6 * 3600, 5), (.ticket, 3 * 86_400, 10),
    ]

    public init(slo: UpDown, window: Double) throws(ScaleError) {
        guard slo.down > 0 else {
            throw .usage("an SLO of 100% has no error budget to burn", about: .slo, fix: "write the target below 100%, such as 99.9%")
        }
        guard slo.up > 0 else { throw .usage("an SLO of 0% cannot be missed", about: .slo, fix: "write a target such as 99.9%") }
        let longest = Self.workbook.map(\.1).max() ?? 0
        guard window >= longest else {
            throw .usage("the SLO window must be at least \(DurationUnits.human(longest)), the longest alert window", about: .window,
                         fix: "use the SLO's own window, such as 28d or 30d")
        }
        self.slo = slo
        self.window = window
        alerts = Self.workbook.map { severity, long, percent in
            // Exact integers until the one division, so 30 days gives exactly 14.4, 6 and 1.
            let rate = (percent * window) / (100 * long)
            return BurnRateAlert(severity: severity, longWindow: long, shortWindow: long / 12, budgetPercent: percent,
                                 burnRate: rate, errorRateThreshold: rate * slo.down, timeToExhaust: window / rate)
        }
    }

    /// The error budget in seconds of full outage over the window.
    public var budgetSeconds: Double { slo.down * window }

    /// How fast an error ratio spends the budget.
    public func burnRate(errorRate: Double) -> Double { errorRate / slo.down }

    /// Seconds until the budget is gone at this error ratio (infinite at zero errors).
    public func timeToExhaust(errorRate: Double) -> Double {
        errorRate > 0 ? window * slo.down / errorRate : .infinity
    }

    /// OK, WARNING (a ticket alert would fire) or CRITICAL (a page alert would fire).
    public func status(errorRate: Double) -> ExitCode {
        let firing = alerts.filter { $0.fires(errorRate: errorRate) }
        if firing.contains(where: { $0.severity == .page }) { return .critical }
        if firing.contains(where: { $0.severity == .ticket }) { return .warning }
        return .ok
    }
}

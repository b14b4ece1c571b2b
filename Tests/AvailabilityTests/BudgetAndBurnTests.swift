import Testing
import ScaleCore
import Availability

/// uptime.is's published figures and the SRE Workbook's burn-rate table.
@Suite struct BudgetAndBurnTests {
    /// uptime.is for 99%: "Daily: 14m 24s, Weekly: 1h 40m 48s, Monthly: 7h 18m 17s,
    /// Quarterly: 21h 54m 52s, Yearly: 3d 15h 39m 30s"; for 99.9%: 1m 26s, 10m 5s, 43m 50s,
    /// 2h 11m 29s, 8h 45m 57s (from 10m 4.8s and 43m 49.7s, rounded as uptime.is rounds); for
    /// 99.99% 8.6s, 1m 0.5s, 4m 23s, 13m 8.9s, 52m 35.7s, rounded to the second.
    @Test(arguments: [
        ("99%", ["14m 24s", "1h 40m 48s", "7h 18m 17s", "21h 54m 52s", "3d 15h 39m 30s"]),
        ("99.9%", ["1m 26s", "10m 5s", "43m 50s", "2h 11m 29s", "8h 45m 57s"]),
        ("99.99%", ["9s", "1m", "4m 23s", "13m 9s", "52m 36s"]),
    ])
    func uptimeIsFigures(slo: String, published: [String]) throws {
        let budget = DowntimeBudget(target: try RatioText.parse(slo))
        #expect(budget.windows.map(\.name) == ["day", "week", "month", "quarter", "year"])
        #expect(budget.windows.map { DurationUnits.human(budget.allowedDowntime(in: $0)) } == published)
    }

    @Test func calendarConventions() {
        #expect(CalendarWindow.day.seconds == 86_400)
        #expect(CalendarWindow.week.seconds == 604_800)
        #expect(CalendarWindow.year.seconds == 31_556_952)   // 365.2425 × 86400
        #expect(CalendarWindow.month.seconds == 2_629_746)   // year / 12
        #expect(CalendarWindow.quarter.seconds == 7_889_238) // year / 4
    }

    @Test(arguments: [
        ("year", 31_556_952.0), ("1y", 31_556_952), ("2q", 15_778_476), ("3mo", 7_889_238), ("month", 2_629_746),
        ("30d", 2_592_000), ("4w", 2_419_200), ("720h", 2_592_000), ("0.5y", 15_778_476),
    ])
    func windowsParse(text: String, seconds: Double) throws {
        #expect(try CalendarWindow.parse(text).seconds == seconds)
    }

    @Test(arguments: ["", "0y", "0s", "fortnight", "30", "-1d", "y"])
    func badWindowsAreRefused(text: String) {
        #expect(throws: ScaleError.self) { try CalendarWindow.parse(text) }
    }

    @Test func anExtraWindowIsSortedIn() throws {
        let budget = DowntimeBudget(target: try RatioText.parse("99.9%"), extra: try CalendarWindow.parse("30d"))
        #expect(budget.windows.map(\.name) == ["day", "week", "30d", "month", "quarter", "year"])
        // 0.1% of 30 days = 2592 s = 43m 12s.
        #expect(budget.allowedDowntime(in: budget.windows[2]) == 2592)
        #expect(DowntimeBudget(target: try RatioText.parse("99.9%"), extra: .month).windows.count == 5)
    }

    @Test func reverseModeGivesTheAvailabilityAchieved() throws {
        // 1% of a year (315569.52 s) of downtime leaves 99%; 4h in a year leaves 1 − 14400/31556952.
        let one = try DowntimeBudget.achieved(downtime: 315_569.52, window: .year)
        #expect(abs(one.down - 0.01) < 1e-17)
        let four = try DowntimeBudget.achieved(downtime: 14_400, window: .year)
        #expect(four.down == 14_400.0 / 31_556_952)
        #expect(throws: ScaleError.self) { try DowntimeBudget.achieved(downtime: 86_401, window: .day) }
    }

    /// SRE Workbook, chapter 5, table 5-8 (30-day SLO window): page at 14.4× over 1h with a 5m
    /// short window (2% of the budget), page at 6× over 6h/30m (5%), ticket at 1× over 3d/6h
    /// (10%); for a 99.9% SLO the error-rate thresholds are 1.44%, 0.6% and 0.1%.
    @Test func workbookTable() throws {
        let policy = try BurnRatePolicy(slo: RatioText.parse("99.9%"), window: 30 * 86_400)
        #expect(policy.alerts.map(\.severity) == [.page, .page, .ticket])
        #expect(policy.alerts.map(\.longWindow) == [3600, 21_600, 259_200])
        #expect(policy.alerts.map(\.shortWindow) == [300, 1800, 21_600])
        #expect(policy.alerts.map(\.budgetPercent) == [2, 5, 10])
        #expect(policy.alerts.map(\.burnRate) == [14.4, 6, 1])
        let thresholds = policy.alerts.map(\.errorRateThreshold)
        for (got, want) in zip(thresholds, [0.0144, 0.006, 0.001]) { #expect(abs(got - want) < 1e-17) }
        // The budget lasts 30 days / burn rate: 50 hours, 5 days, 30 days.
        #expect(policy.alerts.map(\.timeToExhaust) == [180_000, 432_000, 2_592_000])
        #expect(policy.budgetSeconds == 2592)
    }

    @Test(arguments: [(0.0005, ExitCode.ok), (0.001, .ok), (0.0011, .warning), (0.005, .warning), (0.0061, .critical), (0.015, .critical)])
    func statusFollowsTheFiringAlerts(errorRate: Double, status: ExitCode) throws {
        let policy = try BurnRatePolicy(slo: RatioText.parse("99.9%"), window: 30 * 86_400)
        #expect(policy.status(errorRate: errorRate) == status)
    }

    @Test func otherWindowsScaleTheBurnRate() throws {
        // 28 days: 2% × 672h / 1h = 13.44; 5% × 672/6 = 5.6; 10% × 672/72 = 0.9333…
        let policy = try BurnRatePolicy(slo: RatioText.parse("99.9%"), window: 28 * 86_400)
        #expect(policy.alerts.map(\.burnRate) == [13.44, 5.6, 28.0 / 30])
        #expect(throws: ScaleError.self) { try BurnRatePolicy(slo: RatioText.parse("100%"), window: 30 * 86_400) }
        #expect(throws: ScaleError.self) { try BurnRatePolicy(slo: RatioText.parse("99.9%"), window: 86_400) }
    }
}

import Availability
import ScaleCore

/// `availability budget`: the downtime an SLO allows per window, or the SLO a downtime leaves.
extension AvailabilityCommand {
    enum BudgetOption {
        static let window = OptionSpec("window", short: "w", value: "WINDOW", default: "30d",
                                       help: "the SLO window: day, week, month, quarter, year, 1y, 3mo or a duration such as 28d")
        static let downtime = OptionSpec("downtime", value: "DURATION", help: "reverse mode: the availability this much downtime in --window leaves")
    }

    static let budget = CommandSpec(
        "budget",
        summary: "downtime an SLO allows per day, week, month, quarter and year, or the reverse",
        discussion: """
        Allowed downtime = (1 - SLO) x window, for a day, a week, a month, a quarter, a year and \
        --window. Calendar conventions are those of uptime.is: day = 86400 s, week = 7 days, \
        year = 365.2425 days (the Gregorian average, 31556952 s), month = year/12, quarter = \
        year/4. A window is day, week, month, quarter, year, a number of years, quarters or \
        months (1y, 2q, 3mo), or a duration (30d, 4w). Tables print a duration of 1 second or \
        more rounded to the nearest second (43m 50s, 5m 16s) and a shorter one in milliseconds, \
        with one decimal below 10 ms (864ms, 8.6ms), or microseconds below 1 ms; json, ndjson, \
        csv and prometheus carry the exact seconds (0.864, 315.56952).

        With --downtime D instead of an SLO, prints the availability that D of downtime in \
        --window leaves, A = 1 - D/window, and what that availability allows in every window.
        """,
        arguments: [ArgumentSpec("SLO", help: "the availability target, e.g. 99.9% or 0.999", optional: true)],
        options: [BudgetOption.window, BudgetOption.downtime],
        examples: [
            Example("Downtime a 99.9% SLO allows", ["availability", "budget", "99.9%"], output: """
                    WINDOW            LENGTH  ALLOWED DOWNTIME
                    day                   1d            1m 26s
                    week                  7d            10m 5s
                    30d                  30d           43m 12s
                    month     30d 10h 29m 6s           43m 50s
                    quarter   91d 7h 27m 18s        2h 11m 29s
                    year     365d 5h 49m 12s        8h 45m 57s

                    AVAILABILITY: 99.9%
                    ERROR BUDGET: 0.1%
                    NINES:        3.00
                    note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)

                    """),
            Example("Five nines: under a second a day, shown in milliseconds; whole seconds from 1 s up",
                    ["availability", "budget", "99.999%"], output: """
                    WINDOW            LENGTH  ALLOWED DOWNTIME
                    day                   1d             864ms
                    week                  7d                6s
                    30d                  30d               26s
                    month     30d 10h 29m 6s               26s
                    quarter   91d 7h 27m 18s            1m 19s
                    year     365d 5h 49m 12s            5m 16s

                    AVAILABILITY: 99.999%
                    ERROR BUDGET: 0.001%
                    NINES:        5.00
                    note: year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)

                    """),
            Example("The same budgets as exact seconds", ["availability", "budget", "99.999%", "-o", "csv"]),
            Example("The availability that 4 hours of downtime in a year leaves",
                    ["availability", "budget", "--downtime", "4h", "--window", "1y"]),
            Example("99.95% over a 28-day window, as CSV", ["availability", "budget", "99.95%", "--window", "28d", "-o", "csv"]),
        ],
        formats: tableFormats,
        handler: runBudget
    )

    static func runBudget(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let window: CalendarWindow
        do { window = try CalendarWindow.parse(invocation.value(BudgetOption.window) ?? "30d") } catch { throw error.at("--window") }
        let target: UpDown
        var reverse: (downtime: Double, window: CalendarWindow)?
        if let downtime = try invocation.duration(BudgetOption.downtime) {
            guard invocation.positionals.isEmpty else {
                throw .usage("give either an SLO or --downtime, not both", at: "--downtime",
                             fix: "--downtime computes the availability; drop the SLO")
            }
            target = try DowntimeBudget.achieved(downtime: downtime, window: window)
            reverse = (downtime, window)
        } else {
            guard let text = invocation.positionals.first else {
                throw .usage("missing SLO", fix: "write e.g. 'scalectl availability budget 99.9%', or give --downtime")
            }
            do { target = try RatioText.parse(text) } catch { throw error.at("SLO") }
        }
        let budget = DowntimeBudget(target: target, extra: window)
        let places = Precision.places(forUnavailability: target.down, minimum: 0)
        let columns: [Column<CalendarWindow>] = [
            Column("window", .text, \.name),
            Column("window_seconds", .duration, title: "LENGTH", help: "Length of the window in seconds.", \.seconds),
            Column("allowed_downtime_seconds", .duration, title: "ALLOWED DOWNTIME", help: "Downtime the availability allows in the window, in seconds.") {
                Precision.clean(budget.allowedDowntime(in: $0))
            },
        ]
        var summaryColumns: [Column<BudgetSummary>] = []
        if reverse != nil {
            summaryColumns += [
                Column("downtime_seconds", .duration, title: "DOWNTIME", help: "The downtime given.", \.reverse?.downtime),
                Column("downtime_window_seconds", .duration, title: "IN WINDOW", help: "The window the downtime happened in.", \.reverse?.window.seconds),
            ]
        }
        summaryColumns += [
            Column("availability_ratio", .ratio(places: places), title: "AVAILABILITY", help: "The availability target, or the availability achieved.",
                   \.target.up),
            Column("error_budget_ratio", .ratio(places: places), title: "ERROR BUDGET", help: "1 - availability.", \.target.down),
            Column("nines", .number(places: 2), help: "-log10 of the error budget.") { Precision.clean($0.target.nines) },
        ]
        let report = Report(command: "availability budget", columns: columns, rows: budget.windows, summaryColumns: summaryColumns,
                            summary: BudgetSummary(target: target, reverse: reverse),
                            notes: ["year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is)"])
        context.emit(report, format: invocation.format)
        return .ok
    }

    /// The availability, and with --downtime the downtime and window it was worked out from.
    struct BudgetSummary {
        var target: UpDown
        var reverse: (downtime: Double, window: CalendarWindow)?
    }
}

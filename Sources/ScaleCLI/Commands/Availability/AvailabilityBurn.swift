import Availability
import ScaleCore

/// `availability burn`: the multiwindow burn-rate alerts of an SLO, and which would fire now.
extension AvailabilityCommand {
    enum BurnOption {
        static let slo = OptionSpec("slo", value: "SLO", help: "the availability target, e.g. 99.9%")
        static let window = OptionSpec("window", short: "w", value: "WINDOW", default: "30d",
                                       help: "the SLO window: a duration such as 28d or 30d, or month, quarter, 1y")
        static let errorRate = OptionSpec("error-rate", value: "RATIO", help: "the current error ratio, e.g. 0.5%: which alerts would fire (exit 2 page, 1 ticket)")
        static let errors = OptionSpec("errors", value: "N", help: "failed requests, with --total, instead of --error-rate")
        static let total = OptionSpec("total", value: "M", help: "all requests, with --errors")
        static let metric = OptionSpec("metric", value: "SELECTOR", help: "print Prometheus alerting rules for this request counter, e.g. 'http_requests_total{job=\"api\"}'")
        static let errorMetric = OptionSpec("error-metric", value: "SELECTOR", help: "the failed-request counter for the rules (default: --metric with code=~\"5..\" added)")
        static let alertName = OptionSpec("alert-name", value: "NAME", default: "ErrorBudgetBurn", help: "the alert name in the rules")
    }

    static let burn = CommandSpec(
        "burn",
        summary: "multiwindow burn-rate alerts for an SLO, which would fire now, and Prometheus rules",
        discussion: """
        The multiwindow, multi-burn-rate alerts of the Google SRE Workbook (chapter 5, "Alerting \
        on SLOs"): page when 2% of the window's error budget is spent within 1 hour, page when 5% \
        is spent within 6 hours, open a ticket when 10% is spent within 3 days; each also checks \
        a short window of 1/12 of its long one (5m, 30m, 6h) so that it stops firing soon after \
        the errors stop. Burn rate = budget share x SLO window / long window (14.4, 6 and 1 for \
        30 days); the error-rate threshold is burn rate x (1 - SLO) (1.44%, 0.6% and 0.1% for a \
        99.9% SLO); at that rate the whole budget lasts window / burn rate.

        --error-rate R (or --errors N --total M, R = N/M) says which alerts would fire if both \
        windows saw that error ratio: an alert fires above its threshold (the Workbook's rules use \
        >). The exit status is then 2 (CRITICAL) when a page would fire, 1 (WARNING) when only a \
        ticket would, and 0 otherwise.

        --metric SELECTOR prints the alerts as Prometheus alerting rules instead (YAML for \
        rule_files; check them with promtool check rules). The error ratio over a window w is \
        sum(rate(ERRORS[w])) / sum(rate(SELECTOR[w])), where ERRORS is --error-metric, by \
        default SELECTOR with code=~"5.." added.
        """,
        options: [BurnOption.slo, BurnOption.window, BurnOption.errorRate, BurnOption.errors, BurnOption.total,
                  BurnOption.metric, BurnOption.errorMetric, BurnOption.alertName],
        examples: [
            Example("The SRE Workbook's alert table for a 99.9% SLO over 30 days",
                    ["availability", "burn", "--slo", "99.9%", "--window", "30d"], output: """
                    SEVERITY  LONG WINDOW  SHORT WINDOW  BURN RATE  BUDGET SPENT  ERROR RATE ABOVE  BUDGET LASTS
                    page      1h           5m                 14.4            2%             1.44%         2d 2h
                    page      6h           30m                 6.0            5%             0.60%            5d
                    ticket    3d           6h                  1.0           10%             0.10%           30d

                    SLO:          99.9%
                    WINDOW:       30d
                    ERROR BUDGET: 43m 12s

                    """),
            Example("At a 0.5% error rate only the ticket fires: exit status 1",
                    ["availability", "burn", "--slo", "99.9%", "--error-rate", "0.5%"], exit: .warning),
            Example("150 failures in 10000 requests pages: exit status 2",
                    ["availability", "burn", "--slo", "99.9%", "--errors", "150", "--total", "10000", "-o", "json"], exit: .critical),
            Example("Prometheus alerting rules for the api job's request counter",
                    ["availability", "burn", "--slo", "99.9%", "--metric", "http_requests_total{job=\"api\"}"]),
        ],
        formats: tableFormats + [.nagios],
        handler: runBurn
    )

    static func runBurn(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        guard let sloText = invocation.value(BurnOption.slo) else {
            throw .usage("missing --slo", fix: "write e.g. --slo 99.9%")
        }
        let slo: UpDown
        do { slo = try RatioText.parse(sloText) } catch { throw error.at("--slo") }
        let window: CalendarWindow
        do { window = try CalendarWindow.parse(invocation.value(BurnOption.window) ?? "30d") } catch { throw error.at("--window") }
        let policy = try BurnRatePolicy(slo: slo, window: window.seconds)
        let errorRate = try measuredErrorRate(invocation)

        if let metric = invocation.value(BurnOption.metric) {
            if let format = invocation.spec.formatOption, invocation.has(format) {
                throw .usage("--metric prints YAML rules; -o/--format does not apply", at: "--format", fix: "drop --format, or drop --metric for the table")
            }
            if errorRate != nil {
                throw .usage("--metric prints rules; it does not check an error rate", at: "--metric", fix: "run once with --metric and once with --error-rate")
            }
            let rules = try AlertRuleYAML(policy: policy, totalSelector: metric, errorSelector: invocation.value(BurnOption.errorMetric),
                                          alertName: invocation.value(BurnOption.alertName) ?? "ErrorBudgetBurn", windowName: window.name)
            context.console.write(rules.render())
            return .ok
        }
        if invocation.has(BurnOption.errorMetric) || invocation.has(BurnOption.alertName) {
            throw .usage("shapes the rules that --metric prints", at: invocation.has(BurnOption.errorMetric) ? "--error-metric" : "--alert-name",
                         fix: "add --metric SELECTOR")
        }

        let burnPlaces = policy.alerts.map { decimals(of: $0.burnRate, maximum: 4) }.max() ?? 1
        let thresholdPlaces = policy.alerts.map { Precision.places(forUnavailability: $0.errorRateThreshold) }.max() ?? 2
        var columns: [Column<BurnRateAlert>] = [
            Column("severity", .text, \.severity.rawValue),
            Column("long_window", .text, help: "The long alerting window.") { AlertRuleYAML.promDuration($0.longWindow) },
            Column("short_window", .text, help: "The short window that confirms the burn is still happening.") { AlertRuleYAML.promDuration($0.shortWindow) },
            Column("burn_rate", .number(places: max(1, burnPlaces)), help: "How many times faster than the SLO allows the budget is spent.") {
                Precision.clean($0.burnRate)
            },
            Column("budget_spent_ratio", .ratio(places: 0), title: "BUDGET SPENT", help: "Share of the window's error budget spent when the alert fires.") {
                $0.budgetPercent / 100
            },
            Column("error_rate_threshold_ratio", .ratio(places: thresholdPlaces), title: "ERROR RATE ABOVE", help: "The error ratio above which the alert fires.") {
                Precision.clean($0.errorRateThreshold)
            },
            Column("budget_lasts_seconds", .duration, title: "BUDGET LASTS", help: "How long the whole error budget lasts at this burn rate.") {
                Precision.clean($0.timeToExhaust)
            },
        ]
        var summaryColumns: [Column<BurnRatePolicy>] = [
            Column("slo_ratio", .ratio(places: Precision.places(forUnavailability: slo.down)), title: "SLO", help: "The availability target.", \.slo.up),
            Column("window_seconds", .duration, title: "WINDOW", help: "The SLO window in seconds.", \.window),
            Column("error_budget_seconds", .duration, title: "ERROR BUDGET", help: "The error budget as seconds of full outage in the window.") {
                Precision.clean($0.budgetSeconds)
            },
        ]
        var notes: [String] = []
        var status = ExitCode.ok
        if let errorRate {
            columns.append(Column("firing", .bool, help: "Whether the alert would fire at the given error rate.") { $0.fires(errorRate: errorRate) })
            status = policy.status(errorRate: errorRate)
            summaryColumns += [
                Column("error_rate_ratio", .ratio(places: Precision.places(forUnavailability: errorRate, minimum: 2)), title: "ERROR RATE",
                       help: "The error ratio given.") { _ in errorRate },
                Column("current_burn_rate", .number(places: 2), title: "BURN RATE", help: "How many times faster than the SLO allows the budget is spent now.") {
                    Precision.clean($0.burnRate(errorRate: errorRate))
                },
                Column("budget_lasts_now_seconds", .duration, title: "BUDGET LASTS", help: "How long the whole error budget lasts at the current rate.") {
                    Precision.clean($0.timeToExhaust(errorRate: errorRate))
                },
                Column("status", .status, help: "CRITICAL when a page would fire, WARNING when a ticket would, else OK.") {
                    $0.status(errorRate: errorRate).description
                },
            ]
        }
        if let unreachable = policy.alerts.first(where: { $0.errorRateThreshold >= 1 }) {
            notes.append("the \(unreachable.severity.rawValue) alert over \(AlertRuleYAML.promDuration(unreachable.longWindow)) cannot fire: its threshold is not below 100% errors")
        }
        var report = Report(command: "availability burn", columns: columns, rows: policy.alerts, summaryColumns: summaryColumns,
                            summary: policy, notes: notes)
        if let errorRate {
            let firing = policy.alerts.filter { $0.fires(errorRate: errorRate) }
                .map { "\($0.severity.rawValue) over \(AlertRuleYAML.promDuration($0.longWindow))" }
            report.check = CheckOutcome(status: status, headline: "burn rate \(Format.decimal(policy.burnRate(errorRate: errorRate), places: 2)) at error rate \(Format.shortest(Precision.clean(errorRate * 100)))%"
                                        + (firing.isEmpty ? ", no alert fires" : ", firing: " + CheckHeadline.list(firing)))
        } else if invocation.format == .nagios {
            // A check with no rate to judge has no evidence for OK: UNKNOWN, as Nagios reads it.
            status = .unknown
            report.check = CheckOutcome(status: status, headline: "no error rate to judge; give --error-rate or --errors and --total")
        }
        context.emit(report, format: invocation.format)
        return status
    }

    /// The error ratio from --error-rate, or --errors/--total; nil when neither is given.
    static func measuredErrorRate(_ invocation: Invocation) throws(ScaleError) -> Double? {
        let rate = try invocation.ratio(BurnOption.errorRate)
        let errors = try invocation.integer(BurnOption.errors, range: 0...Int.max)
        let total = try invocation.integer(BurnOption.total, range: 0...Int.max)
        switch (rate, errors, total) {
        case (nil, nil, nil): return nil
        case (let rate?, nil, nil): return rate
        case (nil, let errors?, let total?):
            guard total > 0 else { throw .usage("--total must be more than zero", at: "--total") }
            guard errors <= total else {
                throw .usage("\(errors) errors is more than the \(total) requests", at: "--errors", fix: "--errors counts failed requests among --total")
            }
            return Double(errors) / Double(total)
        case (_?, _, _):
            throw .usage("give either --error-rate or --errors with --total, not both", at: "--error-rate")
        case (nil, nil, _?):
            throw .usage("needs --errors", at: "--total", fix: "give both --errors N and --total M")
        case (nil, _?, nil):
            throw .usage("needs --total", at: "--errors", fix: "give both --errors N and --total M")
        }
    }

    /// Decimals needed to print `value` exactly, up to `maximum` (14.4 → 1, 6 → 0).
    static func decimals(of value: Double, maximum: Int) -> Int {
        for places in 0...maximum {
            let text = Format.decimal(value, places: places)
            if Double(text) == value || abs((Double(text) ?? 0) - value) < 1e-12 * max(1, abs(value)) { return places }
        }
        return maximum
    }
}

import Availability
import ScaleCore

/// `scalectl availability compose|budget|burn`: how available a topology is, what downtime an
/// SLO allows, and when burn-rate alerts fire. The numbers come from the Availability library;
/// this file parses options, calls it and renders.
enum AvailabilityCommand {
    static let spec = CommandSpec(
        "availability",
        summary: "compose topologies, downtime budgets and burn-rate alerts",
        discussion: """
        How available is this, really? compose works out a topology's availability and which \
        part costs the most nines, budget turns an SLO into allowed downtime (and back), and burn \
        prints the SRE Workbook's multiwindow burn-rate alerts for an SLO.
        """,
        subcommands: [compose, budget, burn]
    )

    static let tableFormats: [OutputFormat] = [.table, .json, .ndjson, .csv, .prometheus]

    // MARK: - compose

    enum ComposeOption {
        static let file = OptionSpec("file", short: "f", value: "PATH", completion: .file,
                                     help: "read the topology as JSON from PATH (- for standard input) instead of EXPR")
        static let commonCause = OptionSpec("common-cause", value: "BETA",
                                            help: "fraction of each redundant group's failures that hit all its members at once (beta factor), e.g. 0.1 or 10%")
        static let detectionDelay = OptionSpec("detection-delay", value: "DURATION",
                                               help: "time before a failed member is taken out of its pool; requests sent to it meanwhile fail")
        static let mttr = OptionSpec("mttr", value: "DURATION",
                                     help: "repair time to assume for components given as a ratio, so --detection-delay can derive their failure rate")
        static let needs = OptionSpec("needs", value: "N", help: "members every pool of identical copies must keep up to carry the load")
        static let simulate = OptionSpec("simulate", value: "N", help: "also estimate the availability from N Monte Carlo trials, with a 95% confidence interval")
        static let seed = OptionSpec("seed", value: "SEED", default: "1", help: "seed of the simulation's random numbers (a whole number)")
    }

    static let compose = CommandSpec(
        "compose",
        summary: "availability of a topology of series, redundant and quorum parts",
        discussion: """
        Computes a system's availability from its parts and shows which part costs the most. \
        A component is a ratio (99.95% or 0.9995), a named ratio (db=99.95%), or a mean time \
        between failures and to repair (mtbf=720h,mttr=30m, availability MTBF/(MTBF+MTTR); \
        named: db=mtbf=720h,mttr=30m). Parts join with * (series: every part must be up) and | \
        (parallel: any one suffices); * binds tighter than |. 3x a is three identical copies of \
        a of which any one suffices; 2of3(a) needs at least 2 of 3 identical copies up; \
        kofn(2, a, b, c) needs at least 2 of the different parts a, b and c. Parentheses nest \
        up to 64 levels. --file reads the same structure as JSON (see the README).

        Formulas, with U = 1 - A: series A = A1 x A2 x ...; parallel U = U1 x U2 x ...; k of n \
        identical copies A = sum for j >= k of C(n,j) A^j U^(n-j); k of different parts: the same \
        tail of the Poisson-binomial distribution. Unavailabilities are computed directly (products \
        of unavailabilities, log1p and expm1), never as 1 - A, so high availabilities keep their \
        digits. Nines = -log10(U). Downtime = U x window, with day = 86400 s, week = 7 days, \
        year = 365.2425 days, month = year/12, quarter = year/4 (as uptime.is).

        The contribution table lists every component with its share of the unavailability \
        (Fussell-Vesely importance: (U - U if that component never failed) / U; shares need not \
        add up to 100%) and the system's availability if that component alone gained one nine \
        (its U divided by 10). Rows are sorted by that gain: the first row is the weakest link.

        --common-cause BETA (beta-factor model): in every redundant group (|, Nx, KofN, kofn) a \
        common-cause event with probability q = BETA x min(Ui) takes all members down at once; \
        each member still fails Ui of the time, the rest independently: Ui' = (Ui - q)/(1 - q), \
        and U = q + (1 - q) x U_group(Ui').

        --detection-delay D: a failed member of a redundant group of n members keeps getting its \
        1/n share of the requests (an active-active pool) until it is taken out D later. With \
        failure rate fi = 1/(MTBFi + MTTRi), a fraction L = (1/n) x sum of min(fi x D, Ui) of \
        the group's requests fails, and A' = A x (1 - L). Members therefore need a failure rate: \
        write them as mtbf=...,mttr=..., or give --mttr to assume a repair time for ratios \
        (f = U/MTTR). A member that is itself a topology fails at rate sum of fj x Ij (Ij: the \
        Birnbaum importance of part j).

        --needs N: every pool of identical copies (Nx a, KofN(a)) must keep N members up to carry \
        the load, so it becomes max(K, N) of its copies; a pool with fewer than N copies is \
        refused. Groups of different parts (|, kofn) are left as written.

        --simulate N draws every component up or down N times with a seeded xoshiro256** \
        generator (--seed; the fixed default makes runs reproducible) and prints the simulated \
        availability with a 95% Wilson score interval beside the analytic figure. Common cause \
        and detection delay are drawn as the model above defines them.
        """,
        arguments: [ArgumentSpec("EXPR", help: "the topology, e.g. 'lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)'", optional: true)],
        options: [ComposeOption.file, ComposeOption.commonCause, ComposeOption.detectionDelay, ComposeOption.mttr,
                  ComposeOption.needs, ComposeOption.simulate, ComposeOption.seed],
        examples: [
            // Figures checked in ClosedFormTests: U = 0.00017499248131436875; lb's share 57.1%, app's 42.7%.
            Example("A load balancer, a 2-of-3 app pool and a replicated database",
                    ["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)"],
                    output: """
                    COMPONENT  COPIES  AVAILABILITY  SHARE OF DOWNTIME  IF ONE MORE NINE  NINES THEN
                    lb              1        99.99%              57.1%       99.9915001%        4.07
                    app             3        99.50%              42.7%       99.9899000%        4.00
                    db              1        99.95%               0.1%       99.9825232%        3.76
                    replica         1        99.95%               0.1%       99.9825232%        3.76

                    AVAILABILITY:         99.982501%
                    UNAVAILABILITY:       0.017499%
                    NINES:                3.76
                    DOWNTIME PER DAY:     15s
                    DOWNTIME PER WEEK:    1m 46s
                    DOWNTIME PER MONTH:   7m 40s
                    DOWNTIME PER QUARTER: 23m 1s
                    DOWNTIME PER YEAR:    1h 32m 2s
                    note: weakest link: lb (one more nine there gives 99.9915001%)

                    """),
            Example("Two 99.9999% replicas in parallel: an unavailability of 1e-12, to the last digit",
                    ["availability", "compose", "2x 99.9999%", "-o", "json"]),
            Example("The same topology when 10% of a group's failures hit every member at once",
                    ["availability", "compose", "lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", "--common-cause", "10%"]),
            Example("A pool of 4 that needs 3 members up for the load, 10s to take a failed member out",
                    ["availability", "compose", "4x web=mtbf=720h,mttr=1h", "--needs", "3", "--detection-delay", "10s"]),
            Example("Check the analytic figure with 100000 simulated trials",
                    ["availability", "compose", "kofn(2, a=99%, b=98%, c=97%)", "--simulate", "100000"]),
            Example("An incomplete expression exits 64 and names the column",
                    ["availability", "compose", "99.9% *"], exit: .usage),
        ],
        formats: tableFormats,
        handler: runCompose
    )

    static func runCompose(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let topology: Topology
        if let path = invocation.value(ComposeOption.file) {
            guard invocation.positionals.isEmpty else {
                throw .usage("give the topology either as EXPR or with --file, not both", at: "--file")
            }
            let bytes = try InputFile.read(path, option: "--file", limit: 1 << 20, what: "topology file", console: context.console)
            topology = try TopologyJSON.parse(bytes, file: path == "-" ? "<stdin>" : path)
        } else {
            guard let text = invocation.positionals.first else {
                throw .usage("missing EXPR (the topology)", fix: "write e.g. 'lb=99.99% * (a=99.9% | b=99.9%)', or give --file")
            }
            topology = try TopologyExpression.parse(text)
        }

        var options = ComposeOptions()
        options.commonCause = try invocation.ratio(ComposeOption.commonCause) ?? 0
        options.detectionDelay = try invocation.duration(ComposeOption.detectionDelay) ?? 0
        options.assumedMTTR = try invocation.duration(ComposeOption.mttr)
        options.needs = try invocation.integer(ComposeOption.needs, range: 1...Topology.maxCopies)
        if options.assumedMTTR != nil, options.detectionDelay == 0 {
            throw .usage("is used only with --detection-delay", at: "--mttr", fix: "add --detection-delay, or drop --mttr")
        }
        let model = try ComposeModel(topology, options: options)
        let system = model.result
        let contributions = model.contributions().enumerated()
            .sorted { ($0.element.improved.down, $0.offset) < ($1.element.improved.down, $1.offset) }
            .map(\.element)

        var simulation: SimulationResult?
        if let trials = try invocation.integer(ComposeOption.simulate, range: 1...100_000_000) {
            // Each trial draws every instance once; pools multiply instances (64 nested 2x hold 2^64).
            let draws = trials.multipliedReportingOverflow(by: model.topology.instances)
            guard !draws.overflow, draws.partialValue <= 2_000_000_000 else {
                throw .usage("\(trials) trials of \(model.topology.instances) component instances is too much to simulate",
                             at: "--simulate", fix: "keep trials x instances under 2e9: fewer trials or a smaller topology")
            }
            simulation = MonteCarlo.simulate(model, trials: trials, seed: try seed(invocation))
        } else if invocation.has(ComposeOption.seed) {
            throw .usage("is used only with --simulate", at: "--seed", fix: "add --simulate N")
        }

        context.emit(composeReport(system: system, contributions: contributions, simulation: simulation, options: options),
                     format: invocation.format)
        return .ok
    }

    /// Seeds stay within Int64 so every output format prints them as given.
    static func seed(_ invocation: Invocation) throws(ScaleError) -> UInt64 {
        UInt64(try invocation.integer(ComposeOption.seed, range: 0...Int.max) ?? 1)
    }

    static func composeReport(system: UpDown, contributions: [Contribution], simulation: SimulationResult?,
                              options: ComposeOptions) -> Report {
        let places = Precision.places(forUnavailability: system.down, minimum: 2)
        let improvedPlaces = contributions.map { Precision.places(forUnavailability: $0.improved.down, minimum: 2) }.max() ?? 2
        let ownPlaces = contributions.map { Precision.places(forUnavailability: $0.component.down) }.max() ?? 2
        let columns: [Column<Contribution>] = [
            Column("component", .text, help: "The component's name, or its figure as written.", \.label),
            Column("copies", .integer, help: "How many instances of the component the topology holds (pools multiply).", \.copies),
            Column("component_availability_ratio", .ratio(places: ownPlaces), title: "AVAILABILITY",
                   help: "The component's own availability.", \.component.up),
            Column("unavailability_share_ratio", .ratio(places: 1), title: "SHARE OF DOWNTIME",
                   help: "Fussell-Vesely importance: the fraction of the system's unavailability that would go if this component never failed.") {
                Precision.clean($0.share)
            },
            Column("availability_if_one_more_nine_ratio", .ratio(places: improvedPlaces), title: "IF ONE MORE NINE",
                   help: "The system's availability if this component's unavailability were divided by ten.", \.improved.up),
            Column("nines_if_one_more_nine", .number(places: 2), title: "NINES THEN",
                   help: "The system's nines if this component gained one nine.") { Precision.clean($0.improved.nines) },
        ]
        var summaryColumns: [Column<ComposeSummary>] = [
            Column("availability_ratio", .ratio(places: places), title: "AVAILABILITY", help: "The system's availability.", \.system.up),
            Column("unavailability_ratio", .ratio(places: places), title: "UNAVAILABILITY",
                   help: "The system's unavailability, 1 - availability, computed directly.", \.system.down),
            Column("nines", .number(places: 2), help: "-log10 of the unavailability.") { Precision.clean($0.system.nines) },
        ]
        for window in CalendarWindow.standard {
            summaryColumns.append(Column("downtime_per_\(window.name)_seconds", .duration, title: "DOWNTIME PER \(window.name.uppercased())",
                                         help: "Expected downtime per \(window.name) in seconds.") { Precision.clean($0.system.down * window.seconds) })
        }
        var notes: [String] = []
        if let weakest = contributions.first, contributions.count > 1 {
            notes.append("weakest link: \(weakest.label) (one more nine there gives \(Format.percent(weakest.improved.up, places: improvedPlaces)))")
        }
        if options.commonCause > 0 {
            notes.append("common cause: \(Format.shortest(options.commonCause * 100))% of each redundant group's failures hit all its members at once")
        }
        if options.detectionDelay > 0 {
            notes.append("detection delay: failed members keep their share of requests for \(DurationUnits.human(options.detectionDelay))")
        }
        if let needs = options.needs {
            notes.append("every pool of identical copies needs \(needs) members up")
        }
        if let simulation {
            summaryColumns += [
                Column("simulated_availability_ratio", .ratio(places: places), title: "SIMULATED", help: "Monte Carlo estimate of the availability.",
                       \.simulation?.availability),
                Column("simulated_availability_low_ratio", .ratio(places: places), title: "SIMULATED 95% LOW",
                       help: "Lower end of the 95% Wilson score interval.", \.simulation?.availabilityLow),
                Column("simulated_availability_high_ratio", .ratio(places: places), title: "SIMULATED 95% HIGH",
                       help: "Upper end of the 95% Wilson score interval.", \.simulation?.availabilityHigh),
                Column("simulation_trials", .integer, title: "TRIALS", help: "Monte Carlo trials.", \.simulation?.trials),
                Column("simulation_seed", .integer, title: "SEED", help: "Seed of the random numbers.") { $0.simulation.map { Int64($0.seed) } },
                Column("simulation_agrees", .bool, title: "ANALYTIC IN INTERVAL", help: "Whether the analytic availability lies inside the 95% interval.") { summary in
                    summary.simulation?.agrees(withUnavailability: summary.system.down)
                },
            ]
            if simulation.unavailability == 0 {
                notes.append("no failure in \(simulation.trials) trials: the interval only bounds the unavailability from above")
            }
        }
        return Report(command: "availability compose", columns: columns, rows: contributions,
                      summaryColumns: summaryColumns, summary: ComposeSummary(system: system, simulation: simulation), notes: notes)
    }

    /// The system's figures, and with --simulate the Monte Carlo estimate beside them.
    struct ComposeSummary {
        var system: UpDown
        var simulation: SimulationResult?
    }

    // MARK: - budget

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
        months (1y, 2q, 3mo), or a duration (30d, 4w). Durations print as 43m 50s, rounded to \
        the nearest second, and as seconds in the machine formats.

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

    // MARK: - burn

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
        formats: tableFormats,
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
        context.emit(Report(command: "availability burn", columns: columns, rows: policy.alerts, summaryColumns: summaryColumns,
                            summary: policy, notes: notes), format: invocation.format)
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

import Availability
import ScaleCore

/// `availability compose`: the availability of a topology expression or file, with each part's share.
extension AvailabilityCommand {
    enum ComposeOption {
        static let file = OptionSpec("file", short: "f", value: "PATH", completion: .file,
                                     help: "read the topology as JSON from PATH (- for standard input) instead of EXPR")
        static let commonCause = OptionSpec("common-cause", value: "BETA",
                                            help: "fraction of each redundant group's failures that hit all its members at once (beta factor), e.g. 0.1 or 10%")
        static let detectionDelay = OptionSpec("detection-delay", value: "DURATION",
                                               help: "time before a failed member is taken out of its pool; requests sent to it meanwhile fail")
        static let checker = OptionSpec("checker", value: "CHECKER", allowed: HealthChecker.allCases.map(\.rawValue),
                                        help: "derive the detection and recovery delays from this health checker's defaults and schedule (haproxy: inter 2s, fall 3, rise 2, timeout = inter; kubernetes: readiness periodSeconds 10, failureThreshold 3, successThreshold 1, timeoutSeconds 1)",
                                        brief: "derive the detection delay from haproxy's or kubernetes' health-check defaults")
        static let checkInterval = OptionSpec("interval", value: "DURATION",
                                              help: "time between health checks (HAProxy inter, Kubernetes periodSeconds); derives the detection delay")
        static let fall = OptionSpec("fall", value: "N", help: "consecutive failed health checks that take a member out (HAProxy fall, Kubernetes failureThreshold)")
        static let rise = OptionSpec("rise", value: "N",
                                     help: "consecutive passing health checks that put a repaired member back (HAProxy rise, default 2; Kubernetes successThreshold, default 1)")
        static let timeout = OptionSpec("timeout", value: "DURATION",
                                        help: "how long a health check waits for an answer (HAProxy timeout check, else inter; Kubernetes timeoutSeconds)")
        static let failureKind = OptionSpec("failure-kind", value: "KIND", allowed: FailureKind.allCases.map(\.rawValue), default: FailureKind.hang.rawValue,
                                            help: "which detection delay the model uses: hang (checks time out) or refused (checks fail at once)")
        static let mttr = OptionSpec("mttr", value: "DURATION",
                                     help: "repair time to assume for components given as a ratio, so a detection delay can derive their failure rate")
        static let load = OptionSpec("load", value: "RATIO",
                                     help: "offered load as a share of each pool's total capacity, e.g. 70%: a pool with j of n up serves min(1, j/(n x load))")
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

        Instead of typing D, derive it from the health checks that take members out: --checker \
        haproxy|kubernetes starts from that checker's defaults (HAProxy: inter 2s, fall 3, and \
        without "timeout check" inter bounds the check, so timeout 2s; Kubernetes readiness \
        probe: periodSeconds 10, failureThreshold 3, timeoutSeconds 1) and --interval I, \
        --fall F and --timeout T override them (without --checker: HAProxy's defaults and schedule). A failure \
        lands uniformly between two checks, so the first check after it comes I/2 later on \
        average and I at worst. A refused connection fails each check at once: D = (F - 1/2) x I \
        mean, F x I worst. A hang fails each check only at its timeout: HAProxy starts the next \
        check I after the previous one ends, so D = F x T + (F - 1/2) x I mean, F x (T + I) \
        worst; the kubelet probes every I regardless (back to back when T >= I), so with \
        G = max(I, T), D = I/2 + (F - 1) x G + T mean, I + (F - 1) x G + T worst. The model uses \
        the mean for --failure-kind (default hang); every figure is in the summary and the \
        notes.

        The health checks also decide when a repaired member is back: after --rise R passing \
        checks in a row (HAProxy rise, default 2; Kubernetes successThreshold, default 1). A \
        repaired member answers at once, so the first check after the repair comes I/2 later on \
        average and I at worst: it stays out of rotation (up, serving nothing) for \
        (R - 1/2) x I mean, R x I worst. Per failure a member of a redundant group is then out \
        for its repair plus that recovery delay, the first D of the repair still in rotation \
        with its requests failing; the held-out time comes out of its up time, so with failure \
        rate f and recovery delay r (the mean) its unavailability becomes U + f x r.

        --needs N: every pool of identical copies (Nx a, KofN(a)) must keep N members up to carry \
        the load, so it becomes max(K, N) of its copies; a pool with fewer than N copies is \
        refused. Groups of different parts (|, kofn) are left as written.

        --load L: the offered load as a share of each pool's total capacity. A pool of n \
        identical copies with j members up (and at least its quorum K) serves min(1, j/(n x L)) \
        of the requests and sheds the rest; below K it serves none. Its figure becomes the \
        expected served fraction, the sum over j of P(j up) x served(j), and composes with the \
        rest like an availability. 2of3(app=99%) at --load 70% serves 99.83019%, not the \
        99.9702% of two members counted as fully up. Groups of different parts (|, kofn) are \
        not graded, so a topology without a pool is refused, and so is a pool inside a pool \
        (2x (3x a)), whose inner shedding the outer pool would count again: write it flat \
        (6x a). With a detection delay, a pool's failure rate weighs each member's failure by \
        the share it sheds: n x f x the sum over j of P(j of the other members up) x \
        (served(j+1) - served(j)). --load and --needs exclude each other.

        --simulate N draws every component up or down N times with a seeded xoshiro256** \
        generator (--seed; the fixed default makes runs reproducible) and prints the simulated \
        availability with a 95% Wilson score interval beside the analytic figure. Common cause \
        and detection delay are drawn as the model above defines them.
        """,
        arguments: [ArgumentSpec("EXPR", help: "the topology, e.g. 'lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)'", optional: true)],
        options: [ComposeOption.file, ComposeOption.commonCause, ComposeOption.detectionDelay, ComposeOption.checker,
                  ComposeOption.checkInterval, ComposeOption.fall, ComposeOption.rise, ComposeOption.timeout, ComposeOption.failureKind,
                  ComposeOption.mttr, ComposeOption.needs, ComposeOption.load, ComposeOption.simulate, ComposeOption.seed],
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
            Example("The same pool with the detection delay derived from HAProxy's default health checks",
                    ["availability", "compose", "4x web=mtbf=720h,mttr=1h", "--needs", "3", "--checker", "haproxy"], output: """
                    COMPONENT  COPIES  AVAILABILITY  SHARE OF DOWNTIME  IF ONE MORE NINE  NINES THEN
                    web             4      99.8613%             100.0%     99.999946061%        6.27

                    AVAILABILITY:                99.9984222%
                    UNAVAILABILITY:              0.0015778%
                    NINES:                       4.80
                    DOWNTIME PER DAY:            1s
                    DOWNTIME PER WEEK:           10s
                    DOWNTIME PER MONTH:          41s
                    DOWNTIME PER QUARTER:        2m 4s
                    DOWNTIME PER YEAR:           8m 18s
                    CHECKER:                     haproxy
                    CHECK INTERVAL:              2s
                    FALL:                        3
                    RISE:                        2
                    CHECK TIMEOUT:               2s
                    REFUSED DETECTED IN (MEAN):  5s
                    REFUSED DETECTED IN (WORST): 6s
                    HANG DETECTED IN (MEAN):     11s
                    HANG DETECTED IN (WORST):    12s
                    FAILURE KIND:                hang
                    DETECTION DELAY:             11s
                    RECOVERY DELAY (WORST):      4s
                    RECOVERY DELAY:              3s
                    note: health checks (haproxy): every 2s, fall 3, timeout 2s; the next check starts 2s after the previous one ends
                    note: hang: fall x timeout + (fall - 1/2) x interval = 11s mean, fall x (timeout + interval) = 12s worst
                    note: refused: (fall - 1/2) x interval = 5s mean, fall x interval = 6s worst
                    note: recovery: rise 2: (rise - 1/2) x interval = 3s mean, rise x interval = 4s worst out of rotation after a repair
                    note: per failure a member is out for its repair plus 3s, the first 11s of the repair still taking requests that fail
                    note: detection delay: failed members keep their share of requests for 11s
                    note: every pool of identical copies needs 3 members up

                    """),
            Example("Kubernetes readiness probes every 5s, for a process that dies and refuses connections",
                    ["availability", "compose", "3x api=mtbf=720h,mttr=10m", "--checker", "kubernetes", "--interval", "5s",
                     "--failure-kind", "refused", "-o", "json"]),
            // Worked by hand in LoadSheddingTests: U = 11887/7000000.
            Example("A 2-of-3 pool at 70% load: one member lost sheds 1/21 of the requests",
                    ["availability", "compose", "2of3(app=99%)", "--load", "70%"], output: """
                    COMPONENT  COPIES  AVAILABILITY  SHARE OF DOWNTIME  IF ONE MORE NINE  NINES THEN
                    app             3           99%             100.0%        99.985443%        3.84

                    AVAILABILITY:         99.83019%
                    UNAVAILABILITY:       0.16981%
                    NINES:                2.77
                    DOWNTIME PER DAY:     2m 27s
                    DOWNTIME PER WEEK:    17m 7s
                    DOWNTIME PER MONTH:   1h 14m 26s
                    DOWNTIME PER QUARTER: 3h 43m 17s
                    DOWNTIME PER YEAR:    14h 53m 8s
                    note: load 70%: a pool of n with j members up serves min(1, j/(n x 70%)) of the requests; below its quorum, none

                    """),
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
        let checks = try healthChecks(invocation)
        if let checks {
            options.detectionDelay = checks.settings.detection(checks.kind).mean
            options.recoveryDelay = checks.settings.recovery.mean
        }
        options.assumedMTTR = try invocation.duration(ComposeOption.mttr)
        options.needs = try invocation.integer(ComposeOption.needs, range: 1...Topology.maxCopies)
        options.load = try invocation.ratio(ComposeOption.load)
        if options.assumedMTTR != nil, options.detectionDelay == 0 {
            throw .usage("is used only with a detection delay", at: "--mttr",
                         fix: "add --detection-delay or health-check settings (--checker, --interval, --fall, --rise, --timeout), or drop --mttr")
        }
        let model: ComposeModel
        do { model = try ComposeModel(topology, options: options) } catch {
            // A derived delay is about the health-check flags the user gave, not --detection-delay.
            if let checks, error.parameter == Parameter("detection-delay") {
                var named = error
                named.parameter = nil
                throw named.at("--\(checks.flag)").naming { "--\($0.name)" }
            }
            throw error
        }
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

        context.emit(composeReport(system: system, contributions: contributions, simulation: simulation, options: options, checks: checks),
                     format: invocation.format)
        return .ok
    }

    /// The health checker's settings and the failure kind the model uses, when any health-check
    /// option was given: the checker's published defaults, overridden flag by flag.
    struct HealthChecks {
        /// The first health-check option given, to name in errors about the derived delay.
        var flag: String
        var checker: HealthChecker
        var settings: HealthCheckSettings
        var kind: FailureKind
    }

    static func healthChecks(_ invocation: Invocation) throws(ScaleError) -> HealthChecks? {
        let given = [ComposeOption.checker, ComposeOption.checkInterval, ComposeOption.fall, ComposeOption.rise, ComposeOption.timeout]
            .filter { invocation.has($0) }
        guard let first = given.first else {
            if invocation.has(ComposeOption.failureKind) {
                throw .usage("is used only with health-check settings", at: "--failure-kind",
                             fix: "add --checker haproxy|kubernetes or --interval/--fall/--rise/--timeout")
            }
            return nil
        }
        if invocation.has(ComposeOption.detectionDelay) {
            throw .usage("give either --detection-delay or health-check settings to derive it from, not both", at: "--detection-delay",
                         fix: "drop --detection-delay, or drop --\(first.long)")
        }
        // Without --checker: HAProxy's defaults and schedule (the option's values are checked).
        let checker = invocation.value(ComposeOption.checker).flatMap(HealthChecker.init(rawValue:)) ?? .haproxy
        var settings = checker.defaults
        if let interval = try invocation.duration(ComposeOption.checkInterval) { settings = checker.with(interval: interval, settings) }
        if let fall = try invocation.integer(ComposeOption.fall, range: 1...HealthCheckSettings.maxFall) { settings.fall = fall }
        if let rise = try invocation.integer(ComposeOption.rise, range: 1...HealthCheckSettings.maxFall) { settings.rise = rise }
        if let timeout = try invocation.duration(ComposeOption.timeout) { settings.timeout = timeout }
        try settings.validate()
        // --failure-kind has a default and its values are checked: the parse cannot fail.
        let kind = invocation.value(ComposeOption.failureKind).flatMap(FailureKind.init(rawValue:)) ?? .hang
        return HealthChecks(flag: first.long, checker: checker, settings: settings, kind: kind)
    }

    /// Seeds stay within Int64 so every output format prints them as given.
    static func seed(_ invocation: Invocation) throws(ScaleError) -> UInt64 {
        UInt64(try invocation.integer(ComposeOption.seed, range: 0...Int.max) ?? 1)
    }

    static func composeReport(system: UpDown, contributions: [Contribution], simulation: SimulationResult?,
                              options: ComposeOptions, checks: HealthChecks? = nil) -> Report {
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
        if let checks {
            summaryColumns += detectionColumns(checks)
            notes += detectionNotes(checks)
        }
        if options.detectionDelay > 0 {
            notes.append("detection delay: failed members keep their share of requests for \(exactSeconds(options.detectionDelay))")
        }
        if let needs = options.needs {
            notes.append("every pool of identical copies needs \(needs) members up")
        }
        if let load = options.load {
            let percent = Format.shortest(load * 100) + "%"
            notes.append("load \(percent): a pool of n with j members up serves min(1, j/(n x \(percent))) of the requests; below its quorum, none")
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
}

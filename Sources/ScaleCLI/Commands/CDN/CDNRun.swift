import CDNLogs
import Glibc
import ScaleCore

/// The handlers of `scalectl cdn`: options in, statistics gathered, a report out.
extension CDNCommand {
    /// Everything the flags say, checked.
    struct Settings {
        var analysis = AnalysisOptions()
        var breakdowns: [Breakdown] = [.class]
        var ratio = RatioDefinition.cache
        var top = 10
        var displayBucket: Int64?
        var partialPath: String?
        var showMalformed = 0
        var policy = HitRatioPolicy()

        init(_ invocation: Invocation, now: Int64) throws(ScaleError) {
            // hits, why and merge each take some of these options.
            let has = { (option: OptionSpec) in invocation.spec.declares(option) }
            if has(InputOption.logFormat), let name = invocation.value(InputOption.logFormat) { analysis.format = LogFormat(rawValue: name) }
            if has(InputOption.nginxLogFormat), let text = invocation.value(InputOption.nginxLogFormat) {
                do { analysis.template = try LineTemplate.nginx(text) } catch {
                    throw .usage("cannot read the log_format: \(error)", at: "--nginx-log-format",
                                 fix: "give the format string as in nginx.conf, e.g. '$remote_addr ... \"$request\" $status $body_bytes_sent … $upstream_cache_status'")
                }
            }
            if has(InputOption.apacheLogFormat), let text = invocation.value(InputOption.apacheLogFormat) {
                guard analysis.template == nil else {
                    throw .usage("give either --nginx-log-format or --apache-log-format, not both", at: "--apache-log-format")
                }
                do { analysis.template = try LineTemplate.apache(text) } catch {
                    throw .usage("cannot read the format: \(error)", at: "--apache-log-format",
                                 fix: "give the LogFormat string, e.g. '%h %l %u %t \"%r\" %>s %b \"%{cache-status}e\"'")
                }
            }
            if has(InputOption.cloudfrontFields), let list = invocation.value(InputOption.cloudfrontFields) {
                let fields = list.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }).map(String.init)
                guard !fields.isEmpty else { throw .usage("the field list is empty", at: "--cloudfront-fields") }
                analysis.cloudfrontFields = fields
                if analysis.format == nil { analysis.format = .cloudfrontRealtime }
            }
            if has(InputOption.since) { analysis.since = try Self.time(invocation, InputOption.since, now: now) }
            if has(InputOption.until) { analysis.until = try Self.time(invocation, InputOption.until, now: now) }
            if let since = analysis.since, let until = analysis.until, since >= until {
                throw .usage("--since \(Timestamps.iso(since)) is not before --until \(Timestamps.iso(until))", at: "--since")
            }
            if has(InputOption.host) { analysis.hosts = invocation.all(InputOption.host) }
            if has(InputOption.pathPrefix) { analysis.pathPrefixes = invocation.all(InputOption.pathPrefix) }
            if has(InputOption.showMalformed) { showMalformed = try invocation.integer(InputOption.showMalformed, range: 0...1000) ?? 0 }
            analysis.malformedExamples = showMalformed
            if has(InputOption.maxMalformed) { policy.maxMalformed = try invocation.ratio(InputOption.maxMalformed) ?? 0.1 }
            if has(InputOption.threads) { analysis.threads = try invocation.integer(InputOption.threads, range: 1...256) ?? 0 }
            if has(CountingOption.depth) { analysis.depth = try invocation.integer(CountingOption.depth, range: 1...32) ?? 1 }
            if has(CountingOption.maxKeys), let text = invocation.value(CountingOption.maxKeys) {
                let n: UInt64
                do { n = try SizeUnits.parse(text) } catch { throw error.at("--max-keys") }
                guard n >= 1, n <= 100_000_000 else {
                    throw .usage("'\(text)' is not from 1 to 100M", at: "--max-keys", fix: "write a count such as 100k or 1M")
                }
                analysis.maxKeys = Int(n)
            }
            if has(CountingOption.bucket), invocation.has(CountingOption.bucket) {
                guard let seconds = try invocation.duration(CountingOption.bucket), seconds >= 1, seconds <= 366 * 86_400, seconds == seconds.rounded() else {
                    throw .usage("the bucket must be a whole number of seconds from 1s to 366d", at: "--bucket")
                }
                displayBucket = Int64(seconds)
                analysis.bucketSeconds = Int64(seconds)
            }
            if has(ReportOption.by) {
                let given = invocation.all(ReportOption.by).compactMap(Breakdown.init(rawValue:))
                if !given.isEmpty {
                    breakdowns = []
                    for b in given where !breakdowns.contains(b) { breakdowns.append(b) }
                }
            }
            if has(ReportOption.ratio), let name = invocation.value(ReportOption.ratio) { ratio = RatioDefinition(rawValue: name) ?? .cache }
            if has(ReportOption.top) { top = try invocation.integer(ReportOption.top, range: 1...100_000) ?? 10 }
            if has(ReportOption.partial) { partialPath = invocation.value(ReportOption.partial) }
            if has(ReportOption.warning) { policy.warning = try invocation.ratio(ReportOption.warning) }
            if has(ReportOption.critical) { policy.critical = try invocation.ratio(ReportOption.critical) }
            if let warning = policy.warning, let critical = policy.critical, critical > warning {
                throw .usage("--critical \(Format.percent(critical)) is above --warning \(Format.percent(warning))", at: "--critical",
                             fix: "a lower hit ratio is worse: give a critical threshold at or below the warning one")
            }
            policy.onBytes = has(ReportOption.thresholdOn) && invocation.value(ReportOption.thresholdOn) == "byte_hit_ratio"
        }

        /// `1h` (back from now) or an ISO 8601 time.
        static func time(_ invocation: Invocation, _ option: OptionSpec, now: Int64) throws(ScaleError) -> Int64? {
            guard let text = invocation.value(option) else { return nil }
            if let absolute = Timestamps.parse(text.trimmingSpaces) { return absolute }
            guard let seconds = try? DurationUnits.parse(text), seconds >= 0 else {
                throw .usage("'\(text)' is neither a duration nor a time", at: "--\(option.long)",
                             fix: "write a duration back from now (1h, 30m, 2d) or a UTC time such as 2026-11-23T08:00 or 2026-11-23T08:00:00+01:00")
            }
            return now - Int64(seconds.rounded())
        }
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }

    /// Reads every input (logs in parallel, partial files whole) into one set of statistics.
    static func gather(_ arguments: [String], _ settings: Settings, _ context: CommandContext,
                       partialsOnly: Bool) throws(ScaleError) -> (LogStatistics, [(name: String, format: String)]) {
        let progress = ProgressMeter(console: context.console)
        defer { progress.finish() }
        let items = try CDNInputs.classify(try CDNInputs.expand(arguments), console: context.console, progress: progress)
        var options = settings.analysis
        // One key for the run: the logs' tables and the partials' merge by stored hashes.
        let hashKey = options.hashKey ?? .random()
        options.hashKey = hashKey
        var logs: [LogInput] = []
        var partials: [(String, LogStatistics)] = []
        for item in items {
            switch item {
            case .log(let input):
                if partialsOnly {
                    throw .usage("is not a partial file", at: input.name, fix: "give files written by 'scalectl cdn hits --partial', or use 'scalectl cdn hits' for logs")
                }
                logs.append(input)
            case .partial(let name, let bytes):
                partials.append((name, try PartialFile.decode(bytes, name: name, hashKey: hashKey)))
            }
        }
        if let first = partials.first?.1 {
            // The partials decide how fine the breakdowns are; logs read alongside must agree.
            for (name, p) in partials where p.depth != first.depth || p.bucketSeconds != first.bucketSeconds {
                throw .usage("was written with --depth \(p.depth) --bucket \(p.bucketSeconds)s, unlike \(partials[0].0) (--depth \(first.depth) --bucket \(first.bucketSeconds)s)",
                             at: name, fix: "write all partials with the same --depth and --bucket")
            }
            options.bucketSeconds = first.bucketSeconds
            options.depth = first.depth
        }
        var described: [(name: String, format: String)] = []
        let statistics: LogStatistics
        if logs.isEmpty {
            statistics = LogStatistics(depth: options.depth, bucketSeconds: options.bucketSeconds, maxKeys: options.maxKeys, hashKey: hashKey)
        } else {
            let result = try LogAnalyzer.analyze(logs, options: options)
            statistics = result.statistics
            described = result.inputs
        }
        // No input may be counted twice: a log given twice, a partial merged twice, or a log
        // and a partial of it (matched by content: size and first 64 KiB, whatever the name).
        var counted: [(by: String, input: InputCoverage)] = []
        func count(_ input: InputCoverage, by container: String) throws(ScaleError) {
            if let earlier = counted.first(where: { $0.input.sameContent(as: input) }) {
                let what = container == input.name ? "is" : "counts '\(input.name)', which is"
                let other = earlier.by == earlier.input.name ? "'\(earlier.by)'" : "'\(earlier.input.name)' in \(earlier.by)"
                throw .usage("\(what) the same \(input.bytes) bytes as \(other): merging would count its requests twice", at: container,
                             fix: "give every log and every partial once")
            }
            counted.append((container, input))
        }
        for input in statistics.inputs { try count(input, by: input.name) }
        for (name, p) in partials {
            for input in p.inputs { try count(input, by: name) }
            statistics.merge(p)
            described.append((name, "partial result, \(p.requests) requests" + (p.formatNames.isEmpty ? "" : " (\(p.formatNames.joined(separator: ", ")))")))
        }
        try statistics.checkTotals(described.map(\.name).joined(separator: ", "))
        return (statistics, described)
    }

    // MARK: - Handlers

    static func runHits(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let settings = try Settings(invocation, now: now())
        return try report(invocation, context, settings, partialsOnly: false)
    }

    static func runMerge(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let settings = try Settings(invocation, now: now())
        return try report(invocation, context, settings, partialsOnly: true)
    }

    private static func report(_ invocation: Invocation, _ context: CommandContext, _ settings: Settings, partialsOnly: Bool) throws(ScaleError) -> ExitCode {
        let (statistics, described) = try gather(invocation.positionals, settings, context, partialsOnly: partialsOnly)
        if let display = settings.displayBucket, display % statistics.bucketSeconds != 0 {
            throw .usage("\(DurationUnits.human(Double(display))) is not a multiple of the partials' bucket (\(DurationUnits.human(Double(statistics.bucketSeconds))))",
                         at: "--bucket", fix: "give a multiple of it, or write the partials with a finer --bucket")
        }
        if let path = settings.partialPath {
            try writePartial(PartialFile.encode(statistics), to: path, context: context)
            return .ok
        }
        let (report, status) = HitsReport.make(statistics, inputs: described, settings: settings,
                                               terminal: context.renderOptions.width != nil && invocation.format == .table)
        context.emit(report, format: invocation.format)
        return status
    }

    static func runWhy(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        let settings = try Settings(invocation, now: now())
        var limits = FindingThresholds()
        limits.minRequests = UInt64(try invocation.integer(WhyOption.minRequests, range: 1...1_000_000_000) ?? 20)
        let (statistics, described) = try gather(invocation.positionals, settings, context, partialsOnly: false)
        var report = WhyReport.make(statistics, inputs: described, settings: settings, limits: limits)
        // Findings leave the status alone; an input that could not be read does not.
        let (status, note) = settings.policy.malformed(statistics)
        if let note { report.notes.append(ParameterFlags.text(note)) }
        context.emit(report, format: invocation.format)
        return status
    }

    static func runFormats(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        var formats = LogFormat.allCases.filter { $0 != .cloudfrontRealtime }
        if let name = invocation.positionals.first {
            guard let format = LogFormat(rawValue: name) else {
                throw .usage("no format '\(name)'", fix: "use one of: " + LogFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            formats = [format]
        }
        context.emit(FormatTable.report(formats), format: invocation.format)
        return .ok
    }

    /// Writes atomically (a temporary file renamed into place), or to stdout for `-`.
    static func writePartial(_ bytes: [UInt8], to path: String, context: CommandContext) throws(ScaleError) {
        if path == "-" {
            context.console.write(bytes: bytes)
            return
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .input("cannot create: \(String(cString: strerror(errno)))", at: path, fix: "check the directory exists and is writable")
        }
        let ok = writeAll(fd, bytes)
        let closed = close(fd) == 0
        guard ok, closed, rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw .input("cannot write: \(message)", at: path)
        }
    }
}

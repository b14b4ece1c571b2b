import QueueBacklog
import QueueSources
import ScaleCore

/// `scalectl backlog watch SOURCE… --interval 5s --window 5m`: polls every interval and
/// prints the analysis of the last window each round. On a terminal a table redraws in place;
/// elsewhere each round is appended, and `-o ndjson` gives one event line per queue per round
/// plus a summary line — the format never depends on the terminal, only the redrawing does.
enum BacklogWatch {
    enum WatchOption {
        static let interval = OptionSpec("interval", value: "DURATION", default: "5s", help: "time between polls")
        static let window = OptionSpec("window", value: "DURATION", default: "5m", help: "the sliding window the rates and trend are computed over")
        static let count = OptionSpec("count", value: "N", help: "stop after N rounds (default: until interrupted)")
    }

    static let spec = CommandSpec(
        "watch",
        summary: "poll queues every interval and show the trend over a sliding window",
        discussion: """
        Polls every SOURCE (and every --dlq) each --interval and analyses the samples of the last \
        --window: the rates come from counters between polls, so they do not flicker the way \
        brokers' own instantaneous rates do. On a terminal the table redraws in place; into a pipe \
        every round is appended, and -o ndjson gives one line per queue per round (type result) \
        and one summary line (type summary) — a stream to feed a dashboard or jq; every round is \
        written out as it ends (a pipe sees it at once), and in json, ndjson and csv each row \
        carries the round's time (time, UTC). --count stops after N rounds; Ctrl-C or SIGTERM \
        stops after the round in progress, which is written out whole. The exit status is the worst \
        any round had (as for probe --watch: a queue that was CRITICAL and recovered still fails a \
        guard), with a note on stderr when the last round was better. A source that fails is reported on stderr and tried again next round.
        """,
        arguments: [ArgumentSpec("SOURCE", help: "a queue URL, as for scalectl backlog", optional: true, repeatable: true, completion: .url)],
        options: BacklogCommand.sourceOptions + [WatchOption.interval, WatchOption.window, WatchOption.count] + BacklogReport.optionsForQueues,
        examples: [
            Example("Watch a Redis stream's consumer groups every 5 seconds, as ndjson for a pipe",
                    ["backlog", "watch", "redis+unix:///run/example/redis.sock/events", "-o", "ndjson", "--count", "1"], exit: .unknown),
        ],
        formats: BacklogCommand.formats,
        handler: run
    )

    static func run(_ invocation: Invocation, _ context: CommandContext) throws(ScaleError) -> ExitCode {
        try run(invocation, context, clock: ServicesClock(context.services.time))
    }

    static func run(_ invocation: Invocation, _ context: CommandContext, clock: any BacklogClock,
                    sources: [BacklogPoller.Entry]? = nil) throws(ScaleError) -> ExitCode {
        let checks = try BacklogChecks.from(invocation)
        let interval = try invocation.duration(WatchOption.interval) ?? 5
        let window = try invocation.duration(WatchOption.window) ?? 300
        guard interval >= 0.1 else { throw .usage("must be at least 100ms", at: "--interval") }
        guard window >= interval else { throw .usage("must be at least the interval", at: "--window", fix: "a window holds several polls, e.g. --interval 5s --window 5m") }
        let count = try invocation.integer(WatchOption.count, range: 1...Int(Int32.max))
        let options = try BacklogCommand.sourceOptions(invocation, context)
        let poller: BacklogPoller
        if let sources { poller = BacklogPoller(sources) } else { poller = try BacklogCommand.makePoller(invocation, options: options) }
        let proxyNotes = try BacklogCommand.proxyNotes(invocation, options: options)
        let format = invocation.format
        let redraw = format == .table && context.console.isTerminal
        // The exit status is the worst round's, as probe --watch's is the worst state seen.
        var status = ExitCode.ok
        var worstRound = 0
        var lastStatus = ExitCode.ok
        var round = 0
        var next = clock.now()
        var finalCheck: Report?
        var worstHeadline: String?
        // One round's report: redrawn in place on a terminal, appended in a pipe (each round when it
        // happens), with its notes on stderr where the format has no place for them.
        func write(_ report: Report, round: Int) {
            var text = format.render(report, options: context.renderOptions)
            if redraw {
                // Home, clear: the table replaces the last one instead of scrolling.
                text = "\u{1B}[H\u{1B}[2J" + "every \(DurationUnits.human(interval)), window \(DurationUnits.human(window)), round \(round)\n\n" + text
            }
            context.console.write(text)
            if !format.carriesNotes { for line in report.notes { context.note(line) } }
            // A reader at the other end of a pipe sees each round when it happens.
            context.console.flush()
        }
        // Ctrl-C and SIGTERM end the watch after the round in progress, never inside one.
        context.console.deferInterrupts()
        while count.map({ round < $0 }) ?? true {
            round += 1
            let roundTime = clock.now()
            poller.poll(now: roundTime)
            poller.trim(window: window)
            let notes = BacklogCommand.failureNotes(poller, context: context)
            let (report, worst) = BacklogReport.make(poller.results(window: window, checks: checks), command: "backlog watch",
                                                     limits: checks.limits, format: format, extraNotes: notes + poller.notes + proxyNotes,
                                                     failed: !notes.isEmpty, roundTime: roundTime)
            lastStatus = worst
            if worst.worse(status) != status { status = worst; worstRound = round; worstHeadline = report.check?.headline }
            if format == .nagios {
                // A plugin's output is one verdict: the last round's figures under the watch's
                // status, written once at the end, so the first line never disagrees with the exit.
                finalCheck = report
            } else {
                if !redraw, round > 1, format == .table { context.console.write("\n") }
                write(report, round: round)
            }
            if let count, round >= count { break }
            if context.console.interruptRequested { break }
            // Keep a steady cadence: sleep to the next tick, skipping ticks a slow poll overran.
            next += interval
            let now = clock.now()
            if next < now { next = now }
            clock.sleep(next - now)
            if context.console.interruptRequested { break }
        }
        if var finalCheck {
            finalCheck.check?.status = status
            // Under the worst round's state, the headline names that round and what made it.
            if status != lastStatus, let worst = worstHeadline, let last = finalCheck.check?.headline {
                finalCheck.check?.headline = "round \(worstRound): \(worst); round \(round), the last: \(last)"
            }
            context.emit(finalCheck, format: format)
        }
        if status != lastStatus {
            context.note("the status is the worst seen during the watch: \(status) in round \(worstRound); the last round (\(round)) was \(lastStatus)")
        }
        return status
    }
}

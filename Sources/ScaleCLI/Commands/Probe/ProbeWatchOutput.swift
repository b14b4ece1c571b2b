import HealthProbe
import ScaleCore

/// What a watch shows while it runs. The format decides the kind, never the terminal, with
/// one exception that is only decoration: the table format on a terminal is a live table
/// redrawn in place, and in a pipe a log of state changes.
protocol ProbeWatchOutput: AnyObject {
    func probed(target: Int, sample: ProbeSample, verdict: ProbeVerdict, at time: Double)
    func changed(target: Int, change: StateChange, at time: Double, reason: String?)
    func roundCompleted(_ round: WatchTracker.RoundSummary)
    /// Called after every turn of the loop; `force` after a state change and at the end.
    func refresh(_ view: ProbeWatchView, force: Bool)
    /// Takes down anything live before the final report is printed.
    func finish()
}

/// What the live table shows: a snapshot of the watch.
struct ProbeWatchView {
    var targets: [ProbeTarget]
    var tracker: WatchTracker
    var samples: [ProbeSample?]
    var interval: Double
    var elapsed: Double
    var monotonicNow: Double
    var wallNow: Double
}

/// Lines for people, shared by the live table and the pipe log.
enum ProbeWatchText {
    static func change(_ target: ProbeTarget, _ change: StateChange, at time: Double, reason: String?) -> String {
        let noun = change.to == .up ? (change.consecutive == 1 ? "success" : "successes") : (change.consecutive == 1 ? "failure" : "failures")
        let why = reason.map { ": \($0)" } ?? ""
        return "\(UTCTimestamp.string(epochSeconds: time))  \(target.label)  \(change.from.rawValue) -> \(change.to.rawValue)  (\(change.consecutive) \(noun)\(why))"
    }

    static func poolFailure(_ round: WatchTracker.RoundSummary, threshold: Double) -> String {
        "\(UTCTimestamp.string(epochSeconds: round.at))  pool failure from round \(round.round): \(round.down) of \(round.targets) targets (\(Format.percent(Double(round.down) / Double(round.targets), places: 0))) failed, more than \(Format.percent(threshold, places: 0)): suspect a shared dependency or the health check"
    }

    static func poolRecovered(_ round: WatchTracker.RoundSummary, rounds: Int) -> String {
        "\(UTCTimestamp.string(epochSeconds: round.at))  pool failure over in round \(round.round) after \(rounds) round\(rounds == 1 ? "" : "s"): \(round.down) of \(round.targets) targets failed"
    }
}

/// A pool failure is said once per episode, when it starts and when it ends, not every round
/// it lasts: a line per round would bury the state changes that say who recovered.
struct PoolFailureEpisodes {
    private var startedRound: Int?

    mutating func line(for round: WatchTracker.RoundSummary, threshold: Double) -> String? {
        switch (round.poolFailure, startedRound) {
        case (true, nil):
            startedRound = round.round
            return ProbeWatchText.poolFailure(round, threshold: threshold)
        case (false, let start?):
            startedRound = nil
            return ProbeWatchText.poolRecovered(round, rounds: round.round - start)
        default:
            return nil
        }
    }
}

/// The last probes' total times of one target as a sparkline (`▁▂▅█`, `×` for a failed probe),
/// scaled to that target's slowest in the window, so a slow spike shows whatever its level.
struct LatencySparkline {
    static let width = 16
    private static let bars: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    /// Seconds of each probe, nil when it failed; the oldest first.
    private(set) var samples: [Double?] = []

    mutating func append(_ seconds: Double?) {
        samples.append(seconds)
        if samples.count > Self.width { samples.removeFirst(samples.count - Self.width) }
    }

    var text: String {
        let slowest = samples.compactMap { $0 }.max() ?? 0
        return String(samples.map { seconds -> Character in
            guard let seconds else { return "×" }
            guard slowest > 0 else { return Self.bars[0] }
            return Self.bars[min(Self.bars.count - 1, Int(seconds / slowest * Double(Self.bars.count - 1) + 0.5))]
        })
    }
}

/// `-o table` in a pipe: one line per state change and per pool failure, as they happen.
final class ProbeWatchLog: ProbeWatchOutput {
    private let console: any Console
    private let targets: [ProbeTarget]
    private let threshold: Double

    init(console: any Console, targets: [ProbeTarget], threshold: Double) {
        self.console = console
        self.targets = targets
        self.threshold = threshold
    }

    func probed(target: Int, sample: ProbeSample, verdict: ProbeVerdict, at time: Double) {}
    private var wroteLines = false

    func changed(target: Int, change: StateChange, at time: Double, reason: String?) {
        console.write(TableRenderer.visible(ProbeWatchText.change(targets[target], change, at: time, reason: reason)) + "\n")
        wroteLines = true
    }
    private var episodes = PoolFailureEpisodes()

    func roundCompleted(_ round: WatchTracker.RoundSummary) {
        guard let line = episodes.line(for: round, threshold: threshold) else { return }
        console.write(line + "\n")
        wroteLines = true
    }
    func refresh(_ view: ProbeWatchView, force: Bool) {}
    /// A blank line between the log and the final table, when there is a log.
    func finish() { if wroteLines { console.write("\n") } }
}

/// `-o table` on a terminal: state changes scroll above a live table of every target.
final class ProbeWatchLiveTable: ProbeWatchOutput {
    private let console: any Console
    private let options: RenderOptions
    private let threshold: Double
    private var redraw: LiveRedraw
    private var pendingLog: [String] = []
    private var lastDraw = -Double.infinity
    private var started = false
    /// Redraws at most this often unless something changed state: often enough to look
    /// live, rarely enough to cost nothing with thousands of targets.
    static let minimumRedrawInterval = 0.25

    /// A live row: the watch's columns, and the target's latency sparkline beside them.
    struct LiveRow {
        var watch: ProbeReport.WatchRow
        var sparkline: String
    }

    static let columns = ProbeReport.watchColumns.filter {
        ["target", "state", "verdict", "reason", "status_code", "total_seconds", "probes", "failures", "transitions"].contains($0.field.name)
    }.map { $0.reading(\LiveRow.watch) } + [
        Column<LiveRow>("latency", .text, title: "LATENCY", help: "The last probes' total times, each scaled to the slowest; × a failed probe.",
                        \.sparkline),
    ]

    private let targets: [ProbeTarget]

    init(console: any Console, targets: [ProbeTarget], options: RenderOptions, threshold: Double) {
        self.console = console
        self.targets = targets
        self.options = options
        self.threshold = threshold
        redraw = LiveRedraw(width: options.width)
        sparklines = Array(repeating: LatencySparkline(), count: targets.count)
    }

    private var sparklines: [LatencySparkline]

    func probed(target: Int, sample: ProbeSample, verdict: ProbeVerdict, at time: Double) {
        sparklines[target].append(verdict.up ? sample.timings.total : nil)
    }

    func changed(target: Int, change: StateChange, at time: Double, reason: String?) {
        pendingLog.append(TableRenderer.visible(ProbeWatchText.change(targets[target], change, at: time, reason: reason)))
    }

    private var episodes = PoolFailureEpisodes()

    func roundCompleted(_ round: WatchTracker.RoundSummary) {
        if let line = episodes.line(for: round, threshold: threshold) { pendingLog.append(line) }
    }

    func refresh(_ view: ProbeWatchView, force: Bool) {
        let due = force || !pendingLog.isEmpty || view.monotonicNow - lastDraw >= Self.minimumRedrawInterval
        guard due else { return }
        lastDraw = view.monotonicNow
        var out = started ? "" : LiveRedraw.hideCursor
        started = true
        out += redraw.frame(log: pendingLog, block: block(view))
        pendingLog = []
        console.write(out)
    }

    func finish() {
        guard started else { return }
        var out = ""
        if !pendingLog.isEmpty { out += redraw.frame(log: pendingLog, block: []) }
        out += redraw.clear() + LiveRedraw.showCursor
        pendingLog = []
        console.write(out)
    }

    private func block(_ view: ProbeWatchView) -> [String] {
        let records = view.tracker.records
        let up = records.filter { $0.state == .up }.count
        let down = records.filter { $0.state == .down }.count
        let header = "watching \(view.targets.count) targets every \(DurationUnits.human(view.interval)) · round \(view.tracker.roundsCompleted) · \(up) up · \(down) down · \(records.count - up - down) unknown · \(DurationUnits.human(view.elapsed))"
        // Only the status and times of the final report need the whole watch; the columns here need neither.
        let rows = ProbeReport.watchRows(targets: view.targets, tracker: view.tracker, samples: view.samples,
                                         statuses: view.tracker.watchStatuses(), end: view.wallNow)
        let live = rows.indices.map { LiveRow(watch: rows[$0], sparkline: sparklines[$0].text) }
        let table = TableRenderer(options: options).render(Report(command: ProbeReport.command, columns: Self.columns, rows: live))
        return [TextStyle(enabled: options.color).bold(header)] + table.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }
}

/// `-o ndjson`: every probe, state change, completed round and pool failure as a line, with
/// the field names of the final report.
final class ProbeWatchEvents: ProbeWatchOutput {
    private let console: any Console
    private let targets: [ProbeTarget]
    private let threshold: Double

    /// A probe as it finished, judged on its own.
    struct Probe {
        var time: Double
        var row: ProbeReport.Row
    }

    struct Transition {
        var time: Double
        var target: ProbeTarget
        var change: StateChange
        var reason: String?
    }

    struct PoolFailure {
        var round: WatchTracker.RoundSummary
        var threshold: Double
    }

    static func time<Row>(_ epochSeconds: @escaping @Sendable (Row) -> Double) -> Column<Row> {
        Column("time", .text, help: "When it happened (UTC).") { UTCTimestamp.string(epochSeconds: epochSeconds($0)) }
    }

    static let probeColumns = [time(\Probe.time)] + ProbeReport.roundColumns.map { $0.reading(\Probe.row) }
    static let transitionColumns: [Column<Transition>] = [time(\.time)] + ProbeReport.targetColumns.map { $0.reading(\Transition.target) } + [
        Column("from", .status, \.change.from.rawValue),
        Column("to", .status, \.change.to.rawValue),
        Column("consecutive", .integer, \.change.consecutive),
        Column("reason", .text, \.reason),
    ]
    static let roundColumns: [Column<WatchTracker.RoundSummary>] = [
        time(\.at),
        Column("round", .integer, \.round),
        Column("targets", .integer, \.targets),
        Column("up", .integer) { $0.targets - $0.down },
        Column("down", .integer, \.down),
        Column("pool_failure", .bool, \.poolFailure),
    ]
    static let poolColumns: [Column<PoolFailure>] = [
        time(\.round.at),
        Column("round", .integer, \.round.round),
        Column("targets", .integer, \.round.targets),
        Column("down", .integer, \.round.down),
        Column("down_ratio", .ratio(places: 0)) { Double($0.round.down) / Double($0.round.targets) },
        Column("pool_fail_threshold_ratio", .ratio(places: 0), \.threshold),
    ]

    init(console: any Console, targets: [ProbeTarget], threshold: Double) {
        self.console = console
        self.targets = targets
        self.threshold = threshold
    }

    func probed(target: Int, sample: ProbeSample, verdict: ProbeVerdict, at time: Double) {
        let row = ProbeReport.Row(target: targets[target], last: (sample, verdict), status: verdict.status)
        console.write(NDJSONRenderer.line(type: "probe", columns: Self.probeColumns, row: Probe(time: time, row: row)))
    }

    func changed(target: Int, change: StateChange, at time: Double, reason: String?) {
        console.write(NDJSONRenderer.line(type: "transition", columns: Self.transitionColumns,
                                          row: Transition(time: time, target: targets[target], change: change, reason: reason)))
    }

    func roundCompleted(_ round: WatchTracker.RoundSummary) {
        console.write(NDJSONRenderer.line(type: "round", columns: Self.roundColumns, row: round))
        if round.poolFailure {
            console.write(NDJSONRenderer.line(type: "pool_failure", columns: Self.poolColumns, row: PoolFailure(round: round, threshold: threshold)))
        }
    }

    func refresh(_ view: ProbeWatchView, force: Bool) {}
    func finish() {}
}

/// json, csv and prometheus describe the end state only.
final class ProbeWatchQuiet: ProbeWatchOutput {
    func probed(target: Int, sample: ProbeSample, verdict: ProbeVerdict, at time: Double) {}
    func changed(target: Int, change: StateChange, at time: Double, reason: String?) {}
    func roundCompleted(_ round: WatchTracker.RoundSummary) {}
    func refresh(_ view: ProbeWatchView, force: Bool) {}
    func finish() {}
}

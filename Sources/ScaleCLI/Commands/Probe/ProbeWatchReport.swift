import HealthProbe
import ScaleCore

/// The columns of a watch: each target's state and counters beside its last probe, and the
/// watch as a whole. The live table shows some of the same columns.
extension ProbeReport {
    /// A watched target at `end` (wall-clock seconds): the end of the watch, or now in the live table.
    struct WatchRow {
        var probe: Row
        var record: WatchTracker.TargetRecord
        var end: Double
    }

    /// The rows of a watch; `statuses` are the targets' statuses in the same order.
    static func watchRows(targets: [ProbeTarget], tracker: WatchTracker, samples: [ProbeSample?], statuses: [ExitCode],
                          end: Double) -> [WatchRow] {
        targets.indices.map { i in
            let record = tracker.records[i]
            let last = samples[i].flatMap { sample in record.lastVerdict.map { (sample: sample, verdict: $0) } }
            return WatchRow(probe: Row(target: targets[i], last: last, status: statuses[i]), record: record, end: end)
        }
    }

    static let state = Column<WatchRow>("state", .status, help: "UP, DOWN or UNKNOWN by --rise and --fall.", prometheus: .omitted,
                                        \.record.state.rawValue)

    /// Its `status` is the worst the target had during the watch, not only at its end.
    static let watchStatus: Column<Row> = {
        var column = status
        column.field.help = "OK, WARNING, CRITICAL or UNKNOWN: the worst this target was during the watch (UNKNOWN only if never decided)."
        return column
    }()

    /// The final table of a watch is about states: these details of the last probe stay in the
    /// machine formats but leave the table room for the counters.
    static let machineOnlyInWatch: Set = ["dns_seconds", "connect_seconds", "tls_seconds", "first_byte_seconds", "bytes", "remote_ip"]

    static let counters: [Column<WatchRow>] = [
        Column("probes", .integer, help: "Probes of this target so far.", \.record.probes),
        Column("failures", .integer, help: "Probes of this target that failed.", \.record.failures),
        Column("transitions", .integer, title: "CHANGES", help: "State changes of this target.", \.record.transitions),
        Column("downtime_seconds", .duration, title: "DOWNTIME",
               help: "Seconds its probes failed: each run of failures from the first failed probe to the next that passed (or the end).") {
            $0.record.downtimeSeconds(at: $0.end)
        },
        Column("up_seconds", .duration, title: "TIME UP", help: "Seconds this target was UP (by --rise and --fall).", inTable: false) {
            $0.record.seconds(in: .up, at: $0.end)
        },
        Column("down_seconds", .duration, title: "TIME DOWN", help: "Seconds this target was DOWN (by --rise and --fall).", inTable: false) {
            $0.record.seconds(in: .down, at: $0.end)
        },
        Column("unknown_seconds", .duration, title: "TIME UNKNOWN",
               help: "Seconds this target was UNKNOWN: from the start until --rise or --fall decided.", inTable: false) {
            $0.record.seconds(in: .unknown, at: $0.end)
        },
        Column("last_change", .text, title: "SINCE", help: "When the state last changed (UTC).", prometheus: .omitted, inTable: false) {
            $0.record.lastChange.map { UTCTimestamp.string(epochSeconds: $0) }
        },
    ]

    static let watchColumns: [Column<WatchRow>] = targetColumns.map { $0.reading(\WatchRow.probe.target) } + [state]
        + ([verdict, watchStatus] + measured).map { column in
            var column = column.reading(\WatchRow.probe)
            if machineOnlyInWatch.contains(column.field.name) { column.field.inTable = false }
            return column
        }
        + counters

    /// A watch as a whole.
    struct WatchSummary {
        var tracker: WatchTracker
        /// The exit status: the worst of any target during the watch.
        var status: ExitCode
        /// Judged on the states at the end alone.
        var finalStatus: ExitCode
        var latency: LatencySummary
        var elapsed: Double

        func targets(_ state: HealthState) -> Int { tracker.records.filter { $0.state == state }.count }
    }

    static let watchSummaryColumns: [Column<WatchSummary>] = [
        Column("targets", .integer, \.tracker.records.count),
        Column("up", .integer) { $0.targets(.up) },
        Column("down", .integer) { $0.targets(.down) },
        Column("unknown", .integer) { $0.targets(.unknown) },
        Column("status", .status, help: "The exit status: the worst status of any target during the watch.", prometheus: .omitted,
               \.status.description),
        Column("final_status", .status, help: "The status judged on the states at the end of the watch only.", prometheus: .omitted,
               \.finalStatus.description),
        Column("rounds", .integer, help: "Rounds every target completed.", \.tracker.roundsCompleted),
        Column("pool_failure_rounds", .integer, help: "Rounds in which more than --pool-fail-threshold of the targets failed.",
               \.tracker.poolFailureRounds),
    ] + latencyColumns.map { $0.reading(\WatchSummary.latency) } + [
        Column("elapsed_seconds", .duration, title: "ELAPSED", help: "How long the watch ran.", \.elapsed),
    ]
}

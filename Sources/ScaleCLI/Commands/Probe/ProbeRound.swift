import HealthProbe
import ScaleHTTP
import ScaleCore

/// One round: every target probed once, concurrently, then one report.
enum ProbeRound {
    static func run(_ setup: ProbeSetup, context: CommandContext, format: OutputFormat) -> ExitCode {
        let services = context.services
        let results = services.transport.performAll(setup.requests, concurrency: setup.concurrency)
        let now = services.time.now()
        let judge = setup.rules.judge()
        let samples = zip(setup.targets, results).map { ProbeSampling.sample($1, target: $0) }
        let verdicts = zip(setup.targets, samples).map { judge.verdictNamingFlags(on: $1, kind: $0.kind, nowEpochSeconds: now) }
        let assessment = setup.policy.assess(verdicts)
        let rows = setup.targets.indices.map { i in
            ProbeReport.Row(target: setup.targets[i], last: (samples[i], verdicts[i]), status: assessment.statuses[i])
        }
        let latency = LatencySummary(samples.compactMap(ProbeReport.answeredLatency))
        var report = Report(command: ProbeReport.command, columns: ProbeReport.roundColumns, rows: rows,
                            summaryColumns: ProbeReport.roundSummaryColumns,
                            summary: ProbeReport.RoundSummary(assessment: assessment, latency: latency),
                            notes: ProbeReport.notes(setup, environment: context.console.environment,
                                                     poolFailure: assessment.poolFailure ? (assessment.down, setup.targets.count) : nil))
        report.check = ProbeReport.check(rows, status: assessment.status, rules: setup.rules, policy: setup.policy)
        // "TLS verification is off" must reach whoever reads a csv or prometheus run.
        context.emit(report, format: format)
        return assessment.status
    }
}

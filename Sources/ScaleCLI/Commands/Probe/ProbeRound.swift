import HealthProbe
import ScaleHTTP
import ScaleCore

/// One round: every target probed once, concurrently, then one report.
enum ProbeRound {
    static func run(_ setup: ProbeSetup, context: CommandContext, format: OutputFormat) -> ExitCode {
        let services = context.services
        var outcomes = ProbeDeadline.performAll(setup.requests, concurrency: setup.concurrency, deadline: setup.deadlineAt,
                                                transport: services.transport, time: services.time)
        ProbeRefusedChain.complete(&outcomes, setup: setup, transport: services.transport, time: services.time)
        let now = services.time.now()
        let judges = setup.judges()
        var measured: [Int] = []
        var judged: [(ProbeSample, ProbeVerdict)?] = Array(repeating: nil, count: setup.targets.count)
        var unmeasured: [String?] = Array(repeating: nil, count: setup.targets.count)
        for (i, outcome) in outcomes.enumerated() {
            switch outcome {
            case .measured(let result):
                let sample = ProbeSampling.sample(result, target: setup.targets[i])
                judged[i] = (sample, judges[i].verdictNamingFlags(on: sample, kind: setup.targets[i].kind, nowEpochSeconds: now))
                measured.append(i)
            case .unmeasured(let reason):
                unmeasured[i] = reason
            }
        }
        // The pool is judged on what was measured; a target without a verdict is UNKNOWN, which
        // a measured WARNING or CRITICAL outranks.
        var assessment = setup.policy.assess(measured.map { judged[$0]!.1 }, unmeasured: setup.targets.count - measured.count)
        var statuses = [ExitCode](repeating: .unknown, count: setup.targets.count)
        for (k, i) in measured.enumerated() { statuses[i] = assessment.statuses[k] }
        if measured.count < statuses.count { assessment.status = assessment.status.worse(.unknown) }
        assessment.statuses = statuses
        let rows = setup.targets.indices.map { i in
            ProbeReport.Row(target: setup.targets[i], last: judged[i], status: statuses[i], unmeasured: unmeasured[i])
        }
        let latency = LatencySummary(measured.compactMap { ProbeReport.answeredLatency(judged[$0]!.0) })
        var notes = ProbeReport.notes(setup, environment: context.console.environment,
                                      poolFailure: assessment.poolFailure ? (assessment.down, measured.count) : nil)
        if setup.deadline != nil, measured.count < rows.count {
            let left = rows.filter { $0.unmeasured != nil }
            notes.append("--deadline \(setup.deadlineText) reached: \(left.count) of \(rows.count) targets have no verdict (UNKNOWN): \(ProbeWatch.list(left.map(\.target.label))); raise --deadline or --concurrency, or lower --timeout")
        }
        var report = Report(command: ProbeReport.command, columns: ProbeReport.roundColumns, rows: rows,
                            summaryColumns: ProbeReport.roundSummaryColumns,
                            summary: ProbeReport.RoundSummary(assessment: assessment, latency: latency),
                            notes: notes)
        report.check = ProbeReport.check(rows, status: assessment.status, rules: setup.rules, policy: setup.policy)
        // "TLS verification is off" must reach whoever reads a csv or prometheus run.
        context.emit(report, format: format)
        return assessment.status
    }
}

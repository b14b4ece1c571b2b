import HealthProbe
import ScaleCore
import ScaleHTTP

/// `--watch`: each target probed on its own jittered schedule through one HTTP session, its
/// rise/fall state kept, changes shown as they happen, and a final report when the watch
/// ends (--count, --duration, Ctrl-C or SIGTERM). The exit status is the worst any target
/// had during the watch, not only at its end. One thread: the session runs transfers only while
/// it is polled, and the poll returns as soon as any probe finishes, so a target that hangs
/// until its timeout delays no other.
struct ProbeWatch {
    let setup: ProbeSetup
    let context: CommandContext
    let format: OutputFormat

    /// The longest the loop waits before looking at Ctrl-C again.
    static let pollSlice = 0.1
    /// Latencies kept for the percentiles of a long watch.
    static let reservoirCapacity = 100_000

    func run() -> ExitCode {
        guard let watch = setup.watch else { return .unknown }
        let services = context.services
        let time = services.time
        let console = context.console
        let targets = setup.targets
        let count = targets.count
        console.deferInterrupts()

        let seed = services.randomSeed ?? UInt64.random(in: .min ... .max)
        var schedule = JitterSchedule(interval: watch.interval, jitter: watch.jitter, seed: seed)
        let start = time.monotonic()
        let wallStart = time.now()
        var nextDue = schedule.firstProbes(count: count, start: start)
        var startedAt = Array(repeating: start, count: count)
        var inFlight = Array(repeating: false, count: count)
        var probes = Array(repeating: 0, count: count)
        let limit = watch.count ?? Int.max
        // --deadline ends the watch as --duration does, and also cuts the probes in flight to fit.
        let hardStop = setup.deadlineAt
        let deadline = [watch.duration.map { start + $0 }, hardStop].compactMap { $0 }.min()
        var cutTo = [Double?](repeating: nil, count: count)
        var tracker = WatchTracker(targets: count, rise: watch.rise, fall: watch.fall, policy: setup.policy, start: wallStart)
        var samples = [ProbeSample?](repeating: nil, count: count)
        var latencies = LatencyReservoir(capacity: Self.reservoirCapacity, seed: seed)
        let judges = setup.judges()
        let session = services.transport.makeSession(concurrency: setup.concurrency)
        let output = makeOutput()
        var interruptedBy: String?
        // A refused chain is read by a second handshake once (see ProbeRefusedChain) and reused
        // while the target keeps failing with the same cause: the days count on from its notAfter.
        var knownChain = [(problem: CertificateProblem, tls: TLSInfo)?](repeating: nil, count: count)
        var refusedProbe = [Result<HTTPResponse, HTTPFailure>?](repeating: nil, count: count)

        func view(_ now: Double) -> ProbeWatchView {
            ProbeWatchView(targets: targets, tracker: tracker, samples: samples, interval: watch.interval,
                           elapsed: now - start, monotonicNow: now, wallNow: time.now())
        }
        output.refresh(view(start), force: true)

        while true {
            if console.interruptRequested { interruptedBy = console.interruptSignal ?? "SIGINT"; break }
            let now = time.monotonic()
            let stopping = deadline.map { now >= $0 } ?? false
            if !stopping {
                // Never a second probe of a target whose first is still running.
                let due = (0..<count).filter { !inFlight[$0] && probes[$0] < limit && nextDue[$0] <= now }
                for i in due.sorted(by: { nextDue[$0] < nextDue[$1] }) {
                    var request = setup.requests[i]
                    if let hardStop {
                        guard hardStop - now >= ProbeDeadline.minimumProbe else { break }
                        (request, cutTo[i]) = ProbeDeadline.clipped(request, left: hardStop - now)
                    }
                    session.add(request, tag: i)
                    inFlight[i] = true
                    startedAt[i] = now
                }
            }
            let busy = inFlight.contains(true)
            if !busy && (stopping || probes.allSatisfy { $0 >= limit }) { break }

            var wake = now + Self.pollSlice
            if !stopping {
                for i in 0..<count where !inFlight[i] && probes[i] < limit { wake = min(wake, nextDue[i]) }
                if let deadline { wake = min(wake, deadline) }
            }
            let wait = max(0, wake - now)
            let finished = session.pending > 0 ? session.poll(timeout: wait) : { time.sleep(wait); return [] }()

            let wall = time.now()
            var changed = false
            for finishedProbe in finished {
                var result = finishedProbe.result
                var i = finishedProbe.tag
                if i >= count {
                    // A chain-reading handshake (tag count + i) for the probe kept in refusedProbe[i].
                    i -= count
                    guard let probe = refusedProbe[i] else { continue }
                    refusedProbe[i] = nil
                    result = ProbeRefusedChain.merged(probe, reading: result)
                    if case .failure(let failure) = result, let problem = failure.certificateProblem, let tls = failure.tls {
                        knownChain[i] = (problem, tls)
                    }
                } else {
                    // A probe the deadline cut short measured nothing: it is not a failure of the target.
                    if case .unmeasured = ProbeDeadline.outcome(result, cutTo: cutTo[i]) {
                        inFlight[i] = false
                        nextDue[i] = schedule.next(after: startedAt[i])
                        continue
                    }
                    if case .failure(var failure) = result, failure.chainRefusedUnread, setup.requests[i].verifyTLS,
                       let known = knownChain[i], known.problem == failure.certificateProblem {
                        failure.tls = known.tls
                        result = .failure(failure)
                    } else if let reading = ProbeRefusedChain.request(after: result, of: setup.requests[i], target: targets[i],
                                                                      left: hardStop.map { $0 - time.monotonic() } ?? .infinity) {
                        // Judged once the chain is read; the target stays in flight until then.
                        refusedProbe[i] = result
                        session.add(reading, tag: count + i)
                        continue
                    } else {
                        knownChain[i] = nil
                    }
                }
                inFlight[i] = false
                probes[i] += 1
                nextDue[i] = schedule.next(after: startedAt[i])
                let sample = ProbeSampling.sample(result, target: targets[i])
                let verdict = judges[i].verdictNamingFlags(on: sample, kind: targets[i].kind, nowEpochSeconds: wall)
                // The body has been judged; keeping thousands of them would only cost memory.
                samples[i] = Self.withoutBody(sample)
                if let latency = ProbeReport.answeredLatency(sample) { latencies.add(latency) }
                output.probed(target: i, sample: sample, verdict: verdict, at: wall)
                for event in tracker.record(target: i, verdict: verdict, at: wall) {
                    switch event {
                    case let .stateChange(target, change, at, reason):
                        changed = true
                        output.changed(target: target, change: change, at: at, reason: reason)
                    case .roundComplete(let round):
                        output.roundCompleted(round)
                    }
                }
            }
            output.refresh(view(time.monotonic()), force: changed)
            if !finished.isEmpty { console.flush() }
        }
        let end = time.monotonic()
        output.refresh(view(end), force: true)
        output.finish()

        let statuses = tracker.watchStatuses()
        let status = statuses.reduce(ExitCode.ok) { $0.worse($1) }
        let finalStatus = tracker.finalStatuses().reduce(ExitCode.ok) { $0.worse($1) }
        context.emit(report(tracker: tracker, samples: samples, statuses: statuses, status: status, finalStatus: finalStatus,
                            latency: latencies.summary, elapsed: end - start, wallEnd: time.now(), interruptedBy: interruptedBy),
                     format: format)
        return status
    }

    /// At most three names, then how many more.
    static func list(_ names: [String]) -> String {
        names.count <= 3 ? names.joined(separator: ", ") : names.prefix(3).joined(separator: ", ") + " and \(names.count - 3) more"
    }

    static func withoutBody(_ sample: ProbeSample) -> ProbeSample {
        guard case .response(var response) = sample.outcome else { return sample }
        response.body = []
        return ProbeSample(.response(response))
    }

    private func makeOutput() -> any ProbeWatchOutput {
        let threshold = setup.policy.poolFailThreshold
        switch format {
        case .table where context.console.isTerminal:
            return ProbeWatchLiveTable(console: context.console, targets: setup.targets, options: context.renderOptions, threshold: threshold)
        case .table:
            return ProbeWatchLog(console: context.console, targets: setup.targets, threshold: threshold)
        case .ndjson:
            return ProbeWatchEvents(console: context.console, targets: setup.targets, threshold: threshold)
        case .json, .csv, .prometheus, .sarif, .nagios:
            return ProbeWatchQuiet()
        }
    }

    private func report(tracker: WatchTracker, samples: [ProbeSample?], statuses: [ExitCode], status: ExitCode, finalStatus: ExitCode,
                        latency: LatencySummary, elapsed: Double, wallEnd: Double, interruptedBy: String?) -> Report {
        let targets = setup.targets
        let rows = ProbeReport.watchRows(targets: targets, tracker: tracker, samples: samples, statuses: statuses, end: wallEnd)
        var notes = ProbeReport.notes(setup, environment: context.console.environment, poolFailure: nil)
        if tracker.poolFailureRounds > 0 {
            notes.insert("pool failure in \(tracker.poolFailureRounds) of \(tracker.roundsCompleted) rounds: more than --pool-fail-threshold \(Format.percent(setup.policy.poolFailThreshold, places: 0)) of the targets failed together; suspect a shared dependency (DNS, the network, a database) or the health check itself", at: 0)
        }
        if status != finalStatus {
            let worst = targets.indices.filter { statuses[$0] == status }.map { targets[$0].label }
            notes.append("the status is the worst seen during the watch: \(status) (\(Self.list(worst))); judged on the states at the end alone it would be \(finalStatus)")
        }
        if let interruptedBy {
            let how = interruptedBy == "SIGINT" ? "interrupted (Ctrl-C, SIGINT)" : "stopped by \(interruptedBy)"
            notes.append("\(how) after \(DurationUnits.human(elapsed)); the status is the worst seen until then")
        }
        var report = Report(command: ProbeReport.command, columns: ProbeReport.watchColumns, rows: rows, summaryColumns: ProbeReport.watchSummaryColumns,
                            summary: ProbeReport.WatchSummary(tracker: tracker, status: status, finalStatus: finalStatus, latency: latency, elapsed: elapsed),
                            notes: notes)
        report.check = ProbeReport.check(rows.map(\.probe), status: status, rules: setup.rules, policy: setup.policy)
        return report
    }
}

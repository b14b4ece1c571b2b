public import ScaleCore

/// Everything watch mode remembers, fed one verdict at a time: each target's rise/fall state
/// and counters, how long it spent in each state and how long its probes failed, the worst
/// status it had, and the rounds (the k-th probe of every target) as they complete, with
/// pool-wide failures. Times are seconds since 1970, passed in with each result.
///
/// A watch keeps its past: an outage in the middle of it is in the exit status and the
/// report even when every target is UP again at the end.
public struct WatchTracker: Sendable {
    public struct TargetRecord: Sendable, Equatable {
        public var health: RiseFall
        public var probes = 0
        public var failures = 0
        public var transitions = 0
        /// When the state last changed; nil while it never has.
        public var lastChange: Double?
        public var lastVerdict: ProbeVerdict?
        /// The worst status this target had once its state was decided (UP or DOWN); nil while
        /// it has been UNKNOWN all along.
        public var worstStatus: ExitCode?
        /// When the current state began (the start of the watch for the first one).
        var stateSince: Double
        /// Seconds in each state before the current one began: UP, DOWN, UNKNOWN.
        var closedSeconds: [HealthState: Double] = [:]
        /// When the current run of failed probes began; nil when the last probe passed.
        var failingSince: Double?
        /// Seconds of failure runs that have ended.
        var closedDowntime = 0.0

        public var state: HealthState { health.state }

        /// Seconds spent in `state` from the start of the watch until `now`.
        public func seconds(in state: HealthState, at now: Double) -> Double {
            let closed = closedSeconds[state] ?? 0
            return state == self.state ? closed + max(0, now - stateSince) : closed
        }

        /// Seconds during which this target's probes failed, until `now`: each run of failed
        /// probes counts from the first failure to the next probe that passed (or to `now`),
        /// so it is accurate to about one probe interval. nil when it was never probed.
        public func downtimeSeconds(at now: Double) -> Double? {
            guard probes > 0 else { return nil }
            return closedDowntime + (failingSince.map { max(0, now - $0) } ?? 0)
        }
    }

    public enum Event: Sendable, Equatable {
        /// A target changed state; `reason` is the failure that made it DOWN.
        case stateChange(target: Int, change: StateChange, at: Double, reason: String?)
        /// Every target has finished its `round`-th probe (1-based).
        case roundComplete(RoundSummary)
    }

    public struct RoundSummary: Sendable, Equatable {
        public var round: Int
        public var targets: Int
        public var down: Int
        public var poolFailure: Bool
        public var at: Double

        public init(round: Int, targets: Int, down: Int, poolFailure: Bool, at: Double) {
            self.round = round
            self.targets = targets
            self.down = down
            self.poolFailure = poolFailure
            self.at = at
        }
    }

    public private(set) var records: [TargetRecord]
    public let policy: PoolPolicy
    public private(set) var roundsCompleted = 0
    public private(set) var poolFailureRounds = 0
    // Rounds still open (0-based): how many targets reported, how many of them failed.
    private var roundReports: [Int: (seen: Int, down: Int)] = [:]

    /// `start`: when the watch began, the moment every target became UNKNOWN.
    public init(targets: Int, rise: Int, fall: Int, policy: PoolPolicy, start: Double) {
        records = Array(repeating: TargetRecord(health: RiseFall(rise: rise, fall: fall), stateSince: start), count: targets)
        self.policy = policy
    }

    public mutating func record(target: Int, verdict: ProbeVerdict, at time: Double) -> [Event] {
        var events: [Event] = []
        let round = records[target].probes
        records[target].probes += 1
        if !verdict.up { records[target].failures += 1 }
        records[target].lastVerdict = verdict
        if verdict.up, let since = records[target].failingSince {
            records[target].closedDowntime += max(0, time - since)
            records[target].failingSince = nil
        } else if !verdict.up, records[target].failingSince == nil {
            records[target].failingSince = time
        }
        if let change = records[target].health.record(success: verdict.up) {
            records[target].closedSeconds[change.from, default: 0] += max(0, time - records[target].stateSince)
            records[target].stateSince = time
            records[target].transitions += 1
            records[target].lastChange = time
            events.append(.stateChange(target: target, change: change, at: time, reason: verdict.up ? nil : verdict.reason))
            noteDownStatuses()
        }
        if records[target].state == .up {
            // An UP target whose probe failed, fewer than `fall` times yet, is WARNING, as at the end.
            note(verdict.up ? verdict.status : .warning, for: target)
        }
        var report = roundReports[round] ?? (0, 0)
        report.seen += 1
        if !verdict.up { report.down += 1 }
        if report.seen == records.count {
            // Each target probes in sequence, so rounds complete in order.
            roundReports[round] = nil
            roundsCompleted = round + 1
            let pool = policy.isPoolFailure(down: report.down, targets: records.count)
            if pool { poolFailureRounds += 1 }
            events.append(.roundComplete(RoundSummary(round: round + 1, targets: records.count, down: report.down,
                                                      poolFailure: pool, at: time)))
        } else {
            roundReports[round] = report
        }
        return events
    }

    private mutating func note(_ status: ExitCode, for target: Int) {
        records[target].worstStatus = records[target].worstStatus.map { $0.worse(status) } ?? status
    }

    /// What every DOWN target weighs now: it changes only when a state does (the pool policy
    /// counts the targets up).
    private mutating func noteDownStatuses() {
        let up = records.filter { $0.state == .up }.count
        let status = policy.downStatus(up: up, unmeasured: undecided)
        for i in records.indices where records[i].state == .down { note(status, for: i) }
    }

    /// Targets with no state yet (too few results, or a --deadline cut them): they may still
    /// make up --min-up, so a DOWN is not CRITICAL on their account (as in one round).
    private var undecided: Int { records.filter { $0.state == .unknown }.count }

    /// Each target's status for the whole watch: the worst it had while its state was
    /// decided, or its final status if that is worse (a target still UNKNOWN at the end is
    /// UNKNOWN). The exit status of a watch is the worst of these.
    public func watchStatuses() -> [ExitCode] {
        zip(finalStatuses(), records).map { final, record in record.worstStatus.map { final.worse($0) } ?? final }
    }

    /// Each target's status at the end of a watch, by its state: UP is OK (or the last probe's
    /// WARNING/CRITICAL for latency or certificate; WARNING when the last probe failed but not
    /// yet `fall` times), DOWN weighs as the pool policy says, and a target still UNKNOWN —
    /// too few results in a row to decide — is UNKNOWN.
    public func finalStatuses() -> [ExitCode] {
        let up = records.filter { $0.state == .up }.count
        return records.map { record in
            switch record.state {
            case .unknown: return .unknown
            case .down: return policy.downStatus(up: up, unmeasured: undecided)
            case .up:
                guard let last = record.lastVerdict else { return .ok }
                return last.up ? last.status : .warning
            }
        }
    }
}

public import ScaleCore

/// Everything watch mode remembers, fed one verdict at a time: each target's rise/fall state
/// and counters, and the rounds (the k-th probe of every target) as they complete, with
/// pool-wide failures. Times are seconds since 1970, passed in with each result.
public struct WatchTracker: Sendable {
    public struct TargetRecord: Sendable, Equatable {
        public var health: RiseFall
        public var probes = 0
        public var failures = 0
        public var transitions = 0
        /// When the state last changed; nil while it never has.
        public var lastChange: Double?
        public var lastVerdict: ProbeVerdict?

        public var state: HealthState { health.state }
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

    public init(targets: Int, rise: Int, fall: Int, policy: PoolPolicy) {
        records = Array(repeating: TargetRecord(health: RiseFall(rise: rise, fall: fall)), count: targets)
        self.policy = policy
    }

    public mutating func record(target: Int, verdict: ProbeVerdict, at time: Double) -> [Event] {
        var events: [Event] = []
        let round = records[target].probes
        records[target].probes += 1
        if !verdict.up { records[target].failures += 1 }
        records[target].lastVerdict = verdict
        if let change = records[target].health.record(success: verdict.up) {
            records[target].transitions += 1
            records[target].lastChange = time
            events.append(.stateChange(target: target, change: change, at: time, reason: verdict.up ? nil : verdict.reason))
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

    /// Each target's status at the end of a watch, by its state: UP is OK (or the last probe's
    /// WARNING/CRITICAL for latency or certificate; WARNING when the last probe failed but not
    /// yet `fall` times), DOWN weighs as the pool policy says, and a target still UNKNOWN —
    /// too few results in a row to decide — is UNKNOWN.
    public func finalStatuses() -> [ExitCode] {
        let up = records.filter { $0.state == .up }.count
        return records.map { record in
            switch record.state {
            case .unknown: return .unknown
            case .down: return policy.downStatus(up: up)
            case .up:
                guard let last = record.lastVerdict else { return .ok }
                return last.up ? last.status : .warning
            }
        }
    }
}

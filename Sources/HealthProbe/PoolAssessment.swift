public import ScaleCore

/// How the verdicts of one round fold into one status, and whether so many targets failed
/// together that the cause is probably shared.
///
/// - Every target down is CRITICAL, unless `minUp` is set: then down targets are WARNING as
///   long as at least `minUp` targets are up, and CRITICAL below that (the way a cluster check
///   tolerates losing some members).
/// - More than `poolFailThreshold` of the targets failing in the same round (with at least two
///   targets) is a *pool failure*: a shared dependency (DNS, a database, the network) or a
///   broken health check is likelier than that many independent faults. Load balancers treat
///   it the same way: Envoy's panic threshold (50% by default) and AWS target groups' fail-open
///   route to every backend instead of removing all of them.
public struct PoolPolicy: Sendable, Equatable {
    public var minUp: Int?
    public var poolFailThreshold: Double

    public init(minUp: Int? = nil, poolFailThreshold: Double = 0.5) {
        self.minUp = minUp
        self.poolFailThreshold = poolFailThreshold
    }

    /// What a down target weighs when `up` targets are up and `unmeasured` have no verdict (a
    /// --deadline cut them): below `minUp` only if they could not make up the difference, and
    /// UNKNOWN while they might.
    public func downStatus(up: Int, unmeasured: Int = 0) -> ExitCode {
        guard let minUp else { return .critical }
        if up >= minUp { return .warning }
        return up + unmeasured < minUp ? .critical : .unknown
    }

    public func isPoolFailure(down: Int, targets: Int) -> Bool {
        targets >= 2 && Double(down) > poolFailThreshold * Double(targets)
    }

    /// Each verdict's status once the pool is taken into account, and the worst of them;
    /// `unmeasured` targets of the pool have no verdict.
    public func assess(_ verdicts: [ProbeVerdict], unmeasured: Int = 0) -> PoolAssessment {
        let up = verdicts.filter(\.up).count
        let down = verdicts.count - up
        let downWeight = downStatus(up: up, unmeasured: unmeasured)
        let statuses = verdicts.map { $0.up ? $0.status : downWeight }
        let worst = statuses.reduce(ExitCode.ok) { $0.worse($1) }
        return PoolAssessment(up: up, down: down, statuses: statuses, status: worst,
                              poolFailure: isPoolFailure(down: down, targets: verdicts.count))
    }
}

public struct PoolAssessment: Sendable, Equatable {
    public var up: Int
    public var down: Int
    /// Per target, in input order.
    public var statuses: [ExitCode]
    /// The worst of `statuses`: the exit status.
    public var status: ExitCode
    public var poolFailure: Bool
}

/// The health state of one target as a load balancer's active check keeps it.
public enum HealthState: String, Sendable, Equatable {
    /// Not yet `rise` successes or `fall` failures in a row since the start.
    case unknown = "UNKNOWN"
    case up = "UP"
    case down = "DOWN"
}

/// A change of state, with the run of results that caused it.
public struct StateChange: Sendable, Equatable {
    public var from: HealthState
    public var to: HealthState
    /// How many results in a row caused it (`rise` or `fall`).
    public var consecutive: Int

    public init(from: HealthState, to: HealthState, consecutive: Int) {
        self.from = from
        self.to = to
        self.consecutive = consecutive
    }
}

/// Rise/fall hysteresis (HAProxy's `rise`/`fall`, Kubernetes' `successThreshold`/
/// `failureThreshold`): `rise` consecutive successes make a target UP, `fall` consecutive
/// failures make it DOWN, and anything less leaves the state as it is — so one lost packet
/// does not pull a backend out and one lucky answer does not put it back.
///
/// A target starts UNKNOWN, as a Kubernetes pod starts not-ready: it is neither sent traffic
/// nor reported down until its results say so.
public struct RiseFall: Sendable, Equatable {
    public let rise: Int
    public let fall: Int
    public private(set) var state: HealthState = .unknown
    public private(set) var consecutiveSuccesses = 0
    public private(set) var consecutiveFailures = 0

    public init(rise: Int, fall: Int) {
        precondition(rise >= 1 && fall >= 1, "rise and fall are at least 1")
        self.rise = rise
        self.fall = fall
    }

    /// Records one probe result; returns the change it caused, if any.
    public mutating func record(success: Bool) -> StateChange? {
        if success {
            consecutiveSuccesses += 1
            consecutiveFailures = 0
            if state != .up && consecutiveSuccesses >= rise {
                defer { state = .up }
                return StateChange(from: state, to: .up, consecutive: consecutiveSuccesses)
            }
        } else {
            consecutiveFailures += 1
            consecutiveSuccesses = 0
            if state != .down && consecutiveFailures >= fall {
                defer { state = .down }
                return StateChange(from: state, to: .down, consecutive: consecutiveFailures)
            }
        }
        return nil
    }
}

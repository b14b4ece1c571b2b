import Availability
import ScaleCore

/// `availability compose --checker/--interval/--fall/--rise/--timeout`: the detection and
/// recovery delays the health checks give, with their derivation in the summary and the notes.
extension AvailabilityCommand {
    static func detectionColumns(_ checks: HealthChecks) -> [Column<ComposeSummary>] {
        let refused = checks.settings.detection(.refused)
        let hang = checks.settings.detection(.hang)
        let recovery = checks.settings.recovery
        return [
            Column("checker", .text, help: "The health checker whose schedule the detection delay follows.") { _ in checks.checker.rawValue },
            Column("check_interval_seconds", .duration, title: "CHECK INTERVAL", help: "Time between health checks.") { _ in checks.settings.interval },
            Column("fall", .integer, help: "Consecutive failed checks that take a member out.") { _ in checks.settings.fall },
            Column("rise", .integer, help: "Consecutive passing checks that put a repaired member back.") { _ in checks.settings.rise },
            Column("check_timeout_seconds", .duration, title: "CHECK TIMEOUT", help: "How long a check waits for an answer.") { _ in checks.settings.timeout },
            Column("detection_refused_mean_seconds", .duration, title: "REFUSED DETECTED IN (MEAN)",
                   help: "Mean time to take out a member that refuses connections.") { _ in Precision.clean(refused.mean) },
            Column("detection_refused_worst_seconds", .duration, title: "REFUSED DETECTED IN (WORST)",
                   help: "Longest time to take out a member that refuses connections.") { _ in Precision.clean(refused.worst) },
            Column("detection_hang_mean_seconds", .duration, title: "HANG DETECTED IN (MEAN)",
                   help: "Mean time to take out a member whose checks time out.") { _ in Precision.clean(hang.mean) },
            Column("detection_hang_worst_seconds", .duration, title: "HANG DETECTED IN (WORST)",
                   help: "Longest time to take out a member whose checks time out.") { _ in Precision.clean(hang.worst) },
            Column("failure_kind", .text, help: "The failure kind whose mean detection delay the model uses.") { _ in checks.kind.rawValue },
            Column("detection_delay_seconds", .duration, title: "DETECTION DELAY", help: "The detection delay the model uses.") { _ in
                Precision.clean(checks.settings.detection(checks.kind).mean)
            },
            Column("recovery_worst_seconds", .duration, title: "RECOVERY DELAY (WORST)",
                   help: "Longest time a repaired member stays out of rotation until rise checks pass.") { _ in Precision.clean(recovery.worst) },
            Column("recovery_delay_seconds", .duration, title: "RECOVERY DELAY",
                   help: "Mean time a repaired member stays out of rotation: the recovery delay the model uses.") { _ in Precision.clean(recovery.mean) },
        ]
    }

    /// The derivation with the numbers put in, to the millisecond (tables round durations).
    static func detectionNotes(_ checks: HealthChecks) -> [String] {
        let s = checks.settings
        let i = exactSeconds(s.interval), t = exactSeconds(s.timeout), f = s.fall
        let refused = s.detection(.refused), hang = s.detection(.hang)
        var notes: [String] = []
        switch s.schedule {
        case .afterCompletion:
            notes.append("health checks (\(checks.checker)): every \(i), fall \(f), timeout \(t); the next check starts \(i) after the previous one ends")
            notes.append("hang: fall x timeout + (fall - 1/2) x interval = \(exactSeconds(hang.mean)) mean, fall x (timeout + interval) = \(exactSeconds(hang.worst)) worst")
        case .fixedRate:
            let gap = max(s.interval, s.timeout)
            notes.append("health checks (\(checks.checker)): every \(i), fall \(f), timeout \(t); checks start every \(i) however long the last one took")
            notes.append("hang: interval/2 + (fall - 1) x \(exactSeconds(gap)) + timeout = \(exactSeconds(hang.mean)) mean, interval + (fall - 1) x \(exactSeconds(gap)) + timeout = \(exactSeconds(hang.worst)) worst")
        }
        notes.append("refused: (fall - 1/2) x interval = \(exactSeconds(refused.mean)) mean, fall x interval = \(exactSeconds(refused.worst)) worst")
        let recovery = s.recovery
        notes.append("recovery: rise \(s.rise): (rise - 1/2) x interval = \(exactSeconds(recovery.mean)) mean, rise x interval = \(exactSeconds(recovery.worst)) worst out of rotation after a repair")
        notes.append("per failure a member is out for its repair plus \(exactSeconds(recovery.mean)), the first \(exactSeconds(s.detection(checks.kind).mean)) of the repair still taking requests that fail")
        return notes
    }

    /// Seconds without rounding, in one unit (`2.5s`, `112.5s`): the formula notes show the
    /// figure the model used, where `DurationUnits.human` would round `112.5s` to `1m 53s`.
    static func exactSeconds(_ seconds: Double) -> String {
        Format.shortest(Precision.clean(seconds)) + "s"
    }
}

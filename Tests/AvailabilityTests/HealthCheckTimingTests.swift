import Testing
import ScaleCore
import Availability

/// Detection delays from health-check settings: the published defaults worked by hand, and every
/// closed form checked against a step-by-step replay of the checker's schedule.
@Suite struct HealthCheckTimingTests {
    @Test func haproxyDefaults() {
        // HAProxy configuration manual: inter defaults to 2000 ms, fall to 3, and without
        // "timeout check" inter bounds the whole check, so T = 2 s.
        let s = HealthCheckSettings.haproxy
        #expect(s == HealthCheckSettings(interval: 2, fall: 3, rise: 2, timeout: 2, schedule: .afterCompletion))
        // Refused: the failure lands uniformly in a 2 s gap; checks then fail at once, 2 s apart:
        // mean 1 + 2 × 2 = 5 s, worst 2 + 2 × 2 = 6 s.
        #expect(s.detection(.refused) == DetectionDelay(mean: 5, worst: 6))
        // Hang: each check waits 2 s, the next starts 2 s after it ends (4 s apart), the third
        // ends 2 s after it starts: mean 1 + 2 × 4 + 2 = 11 s, worst 2 + 8 + 2 = 12 s = 3 × (2 + 2).
        #expect(s.detection(.hang) == DetectionDelay(mean: 11, worst: 12))
    }

    @Test func kubernetesReadinessDefaults() {
        // core/v1 Probe: periodSeconds 10, failureThreshold 3, timeoutSeconds 1.
        let s = HealthCheckSettings.kubernetes
        #expect(s == HealthCheckSettings(interval: 10, fall: 3, rise: 1, timeout: 1, schedule: .fixedRate))
        // Refused: mean 5 + 2 × 10 = 25 s, worst 10 + 20 = 30 s.
        #expect(s.detection(.refused) == DetectionDelay(mean: 25, worst: 30))
        // Hang: probes still start every 10 s; the third ends 1 s after it starts:
        // mean 5 + 20 + 1 = 26 s, worst 10 + 20 + 1 = 31 s.
        #expect(s.detection(.hang) == DetectionDelay(mean: 26, worst: 31))
    }

    @Test func recoveryWaitsForRisePassingChecks() {
        // HAProxy rise 2, inter 2 s: the first check after the repair comes 1 s later on average
        // (2 s at worst), the second 2 s after it: mean 1 + 2 = 3 s, worst 2 + 2 = 4 s.
        #expect(HealthCheckSettings.haproxy.recovery == DetectionDelay(mean: 3, worst: 4))
        // Kubernetes successThreshold 1, periodSeconds 10: one passing probe, mean 5 s, worst 10 s.
        #expect(HealthCheckSettings.kubernetes.recovery == DetectionDelay(mean: 5, worst: 10))
        // rise 5 every 0.5 s: mean 0.25 + 4 × 0.5 = 2.25 s, worst 2.5 s.
        #expect(HealthCheckSettings(interval: 0.5, fall: 1, rise: 5, timeout: 1, schedule: .afterCompletion).recovery
                == DetectionDelay(mean: 2.25, worst: 2.5))
    }

    @Test func aFixedRateProbeLongerThanItsPeriodRunsBackToBack() {
        // period 2 s, timeout 5 s, threshold 2: hung probes start 5 s apart (the ticks missed
        // meanwhile are dropped): mean 1 + 5 + 5 = 11 s, worst 2 + 5 + 5 = 12 s.
        let s = HealthCheckSettings(interval: 2, fall: 2, rise: 1, timeout: 5, schedule: .fixedRate)
        #expect(s.detection(.hang) == DetectionDelay(mean: 11, worst: 12))
    }

    /// Replays the checker: the failure happens at 0, the first check after it starts at w
    /// (uniform over (0, interval]), and checks go on as the schedule says until `fall` fail.
    static func replay(_ s: HealthCheckSettings, _ kind: FailureKind, firstCheckAt w: Double) -> Double {
        let duration = kind == .refused ? 0 : s.timeout
        var start = w
        var failed = 0
        while true {
            let end = start + duration
            failed += 1
            if failed == s.fall { return end }
            switch s.schedule {
            case .afterCompletion:
                start = end + s.interval
            case .fixedRate:
                // Ticks at w + m·interval; a tick missed while the probe ran waits in the ticker's
                // one-slot channel, so the next probe starts at once; otherwise at the next tick.
                var tick = start + s.interval
                if tick <= end {
                    start = end
                } else {
                    while tick < end { tick += s.interval }
                    start = tick
                }
            }
        }
    }

    @Test(arguments: [
        HealthCheckSettings.haproxy, .kubernetes,
        HealthCheckSettings(interval: 0.5, fall: 5, rise: 1, timeout: 3, schedule: .afterCompletion),
        HealthCheckSettings(interval: 3, fall: 4, rise: 1, timeout: 7, schedule: .fixedRate),
        HealthCheckSettings(interval: 1, fall: 1, rise: 1, timeout: 0.25, schedule: .fixedRate),
    ])
    func closedFormsMatchTheReplayedSchedule(_ s: HealthCheckSettings) {
        for kind in FailureKind.allCases {
            // The delay is linear in w, so the midpoint rule over a grid gives the mean exactly.
            let steps = 1000
            var total = 0.0
            for step in 0..<steps {
                total += Self.replay(s, kind, firstCheckAt: (Double(step) + 0.5) / Double(steps) * s.interval)
            }
            let worst = Self.replay(s, kind, firstCheckAt: s.interval)
            let got = s.detection(kind)
            #expect(abs(got.mean - total / Double(steps)) < 1e-9, "\(kind) mean")
            #expect(abs(got.worst - worst) < 1e-9, "\(kind) worst")
        }
    }

    @Test func badSettingsNameTheirParameter() {
        let cases: [(HealthCheckSettings, String)] = [
            (HealthCheckSettings(interval: 0, fall: 3, rise: 1, timeout: 1, schedule: .afterCompletion), "interval"),
            (HealthCheckSettings(interval: 2, fall: 0, rise: 1, timeout: 1, schedule: .afterCompletion), "fall"),
            (HealthCheckSettings(interval: 2, fall: 3, rise: 1, timeout: 0, schedule: .fixedRate), "timeout"),
            (HealthCheckSettings(interval: 2, fall: 3, rise: 0, timeout: 1, schedule: .fixedRate), "rise"),
        ]
        for (settings, name) in cases {
            #expect { try settings.validate() } throws: { ($0 as? ScaleError)?.parameter == Parameter(name) }
        }
    }
}

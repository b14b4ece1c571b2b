import Glibc
import QueueBacklog
import QueueSources
import ScaleCore

/// The wall clock and sleep the pollers use; tests pass a fake one.
protocol BacklogClock: AnyObject {
    func now() -> Double
    func sleep(_ seconds: Double)
}

/// The `Services` clock as pollers use it: SystemTime's sleep ends early on a signal, so a watch
/// checks for Ctrl-C or SIGTERM as soon as one arrives, instead of a whole interval later.
final class ServicesClock: BacklogClock {
    let time: any TimeSource
    init(_ time: any TimeSource) { self.time = time }
    func now() -> Double { time.now() }
    func sleep(_ seconds: Double) { time.sleep(seconds) }
}

/// Polls sources round after round and keeps each queue's samples for the window, so the
/// one-shot command and `watch` share one path from sources to results.
final class BacklogPoller {
    struct Entry {
        var source: any BacklogSource
        var role: String
    }

    let entries: [Entry]
    /// Samples kept per queue: enough for any window at any interval scalectl allows.
    static let maxSamples = 10_000
    private(set) var order: [(key: String, queue: String, role: String)] = []
    private var history: [String: [BacklogSample]] = [:]
    /// Sources that failed in the last round, with why (no secrets: ScaleError texts never carry them).
    private(set) var failures: [(label: String, error: ScaleError)] = []

    init(_ entries: [Entry]) { self.entries = entries }

    var hasCounters: Bool { entries.contains { $0.source.hasCounters } }
    /// The sources' notes from their last poll, each once.
    var notes: [String] {
        var seen = Set<String>()
        return entries.flatMap(\.source.notes).filter { seen.insert($0).inserted }
    }
    var hasDLQ: Bool { entries.contains { $0.role == "dlq" } }

    func poll(now: Double) {
        failures = []
        for entry in entries {
            do {
                for (queue, sample) in try entry.source.poll(now: now) {
                    let key = entry.role + "\u{0}" + queue
                    if history[key] == nil { order.append((key, queue, entry.role)) }
                    // A source that sends its history (RabbitMQ) repeats samples a later round
                    // already has: keep each time once.
                    if let last = history[key]?.last, sample.time <= last.time { continue }
                    history[key, default: []].append(sample)
                    if history[key]!.count > Self.maxSamples { history[key]!.removeFirst(history[key]!.count - Self.maxSamples) }
                }
            } catch {
                failures.append((entry.source.label, error))
            }
        }
    }

    /// Drops samples older than `window` before the newest, so memory stays bounded in `watch`.
    func trim(window: Double) {
        for (key, samples) in history {
            guard let last = samples.last?.time else { continue }
            history[key] = samples.filter { $0.time >= last - window }
        }
    }

    func results(window: Double?, checks: BacklogChecks) -> [QueueResult] {
        order.compactMap { item -> QueueResult? in
            guard let samples = history[item.key],
                  let analysis = BacklogAnalyzer.analyse(samples, window: window, limits: checks.limits) else { return nil }
            let check = checks.policy.check(analysis, role: QueueRole(rawValue: item.role) ?? .queue, samples: samples, window: window)
            return QueueResult(queue: item.queue, role: item.role, analysis: analysis, check: check)
        }
    }
}

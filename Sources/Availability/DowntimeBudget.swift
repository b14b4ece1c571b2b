public import ScaleCore

/// How much downtime an availability target allows, and the reverse: what availability a
/// given downtime leaves. Allowed downtime = (1 − SLO) × window.
public struct DowntimeBudget: Sendable, Equatable {
    public var target: UpDown
    /// The standard windows, then any other asked for, shortest first.
    public var windows: [CalendarWindow]

    public init(target: UpDown, extra: CalendarWindow? = nil) {
        self.target = target
        var windows = CalendarWindow.standard
        if let extra, !windows.contains(where: { $0.seconds == extra.seconds }) {
            windows.append(extra)
            windows.sort { $0.seconds < $1.seconds }
        }
        self.windows = windows
    }

    public func allowedDowntime(in window: CalendarWindow) -> Double {
        target.down * window.seconds
    }

    /// The availability that `downtime` seconds in `window` leaves.
    public static func achieved(downtime: Double, window: CalendarWindow) throws(ScaleError) -> UpDown {
        guard downtime >= 0 else { throw .usage("the downtime cannot be negative", about: .downtime) }
        guard downtime <= window.seconds else {
            throw .usage("\(DurationUnits.human(downtime)) of downtime is more than the \(window.name) window (\(DurationUnits.human(window.seconds)))",
                         about: .downtime, fix: "give a longer \(Parameter.window) or a shorter \(Parameter.downtime)")
        }
        return UpDown(up: (window.seconds - downtime) / window.seconds, down: downtime / window.seconds)
    }
}

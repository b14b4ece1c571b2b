import Glibc
public import ScaleHTTP

/// The outside world a command reaches besides the console: the network, name resolution and the clocks.
/// `ScaleCLI.run` uses the real ones; tests pass a scripted transport and a clock they move
/// by hand, so a ten-minute watch runs in milliseconds and gives the same output every time.
public struct Services: Sendable {
    public var transport: any HTTPTransport
    /// Host names to addresses (`probe --all-addresses`).
    public var resolver: any AddressResolver
    public var time: any TimeSource
    /// Seeds randomness (the jitter of a watch schedule); nil takes a seed from the system.
    public var randomSeed: UInt64?

    public init(transport: any HTTPTransport = HTTPClient(), time: any TimeSource = SystemTime(), randomSeed: UInt64? = nil,
                resolver: any AddressResolver = SystemResolver()) {
        self.transport = transport
        self.resolver = resolver
        self.time = time
        self.randomSeed = randomSeed
    }

    public static let live = Services()
}

/// Clocks, and waiting.
public protocol TimeSource: Sendable {
    /// Seconds since 1970-01-01 UTC: for timestamps and certificate expiry.
    func now() -> Double
    /// Seconds on a clock that never jumps: for schedules and deadlines.
    func monotonic() -> Double
    /// Blocks for `seconds`.
    func sleep(_ seconds: Double)
}

/// The machine's clocks.
public struct SystemTime: TimeSource {
    public init() {}

    public func now() -> Double { Self.read(CLOCK_REALTIME) }
    public func monotonic() -> Double { Self.read(CLOCK_MONOTONIC) }

    public func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1_000_000_000))
        var remaining = timespec()
        // A signal (Ctrl-C) ends the sleep early; the caller looks at why and decides.
        _ = nanosleep(&request, &remaining)
    }

    private static func read(_ clock: clockid_t) -> Double {
        var now = timespec()
        clock_gettime(clock, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}

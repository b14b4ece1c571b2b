import Glibc

/// Seconds on `CLOCK_MONOTONIC`: immune to wall-clock jumps, so intervals (queue wait) stay true.
enum MonotonicClock {
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1_000_000_000
    }
}

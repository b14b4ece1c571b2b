/// libcurl's time marks for one transfer: microseconds from its start until each event, as
/// `CURLINFO_*_TIME_T` reports them and `curl -w '%{time_connect}'` prints them (in seconds).
/// They are cumulative: `connect` includes `nameLookup`. A mark libcurl never reached is 0
/// (`appConnect` for plain http).
public struct CurlTimeMarks: Sendable, Equatable {
    public var nameLookup: Int64
    public var connect: Int64
    public var appConnect: Int64
    public var preTransfer: Int64
    public var startTransfer: Int64
    public var total: Int64
    public var redirect: Int64

    public init(nameLookup: Int64 = 0, connect: Int64 = 0, appConnect: Int64 = 0, preTransfer: Int64 = 0,
                startTransfer: Int64 = 0, total: Int64 = 0, redirect: Int64 = 0) {
        self.nameLookup = nameLookup
        self.connect = connect
        self.appConnect = appConnect
        self.preTransfer = preTransfer
        self.startTransfer = startTransfer
        self.total = total
        self.redirect = redirect
    }
}

/// Where the time of one request went.
///
/// The `…Seconds` phases are **per-phase durations**, not curl's cumulative marks: they answer
/// "where does the time go" and, without redirects, add up to `totalSeconds`:
///
///     dns + connect + tls + firstByte + transfer == total
///
/// Each is clamped at 0 (libcurl reports 0 for a phase it skipped, e.g. on a reused
/// connection). When redirects were followed libcurl adds every hop's marks together, so each
/// phase is the sum over all hops; `redirectSeconds` then tells how much of the total went to
/// the hops before the final one — it overlaps the phases rather than being another one.
/// The cumulative marks are kept in `marks` for output that must match `curl -w`.
public struct HTTPTimings: Sendable, Equatable {
    /// Seconds the request waited for a free concurrency slot before its transfer began
    /// (0 for a single request). Not included in `totalSeconds` or any phase.
    public var queueWaitSeconds: Double
    public var marks: CurlTimeMarks

    public init(queueWaitSeconds: Double = 0, marks: CurlTimeMarks) {
        self.queueWaitSeconds = queueWaitSeconds
        self.marks = marks
    }

    /// Name resolution.
    public var dnsSeconds: Double { seconds(marks.nameLookup) }
    /// The TCP handshake, after resolution.
    public var connectSeconds: Double { seconds(marks.connect - marks.nameLookup) }
    /// The TLS handshake, after TCP; 0 for plain http.
    public var tlsSeconds: Double {
        marks.appConnect > 0 ? seconds(marks.appConnect - marks.connect) : 0
    }
    /// From the connection being ready to the first response byte: sending the request plus
    /// the server's think time (the "waiting" bar of a browser's network panel).
    public var firstByteSeconds: Double {
        marks.startTransfer > 0 ? seconds(marks.startTransfer - max(marks.connect, marks.appConnect)) : 0
    }
    /// From the first response byte to the end of the transfer.
    public var transferSeconds: Double {
        marks.startTransfer > 0 ? seconds(marks.total - marks.startTransfer) : 0
    }
    /// The whole transfer, redirects included, queue wait excluded.
    public var totalSeconds: Double { seconds(marks.total) }
    /// Time spent on redirect hops before the final request began (curl's `time_redirect`).
    public var redirectSeconds: Double { seconds(marks.redirect) }
    /// Cumulative time from the start to the first response byte — curl's `time_starttransfer`,
    /// the figure usually called TTFB.
    public var timeToFirstByteSeconds: Double { seconds(marks.startTransfer) }

    private func seconds(_ micros: Int64) -> Double { Double(max(0, micros)) / 1_000_000 }
}

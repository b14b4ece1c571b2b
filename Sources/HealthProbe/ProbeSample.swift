public import ScaleCore

/// What one probe observed, as plain values: filled in by the I/O layer (the CLI, from
/// ScaleHTTP's results) and judged here without any I/O.
public struct ProbeSample: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// An HTTP response of any status, or an accepted TCP connection (status 0).
        case response(ProbeResponse)
        case failure(ProbeFailure)
    }

    public var outcome: Outcome

    public init(_ outcome: Outcome) { self.outcome = outcome }

    public var timings: PhaseTimings {
        switch outcome {
        case .response(let r): return r.timings
        case .failure(let f): return f.timings
        }
    }
}

/// Seconds spent in each phase of one probe (each phase on its own, not cumulative) and
/// the whole. A phase the probe never reached or skipped is 0 here; reports show it as null.
public struct PhaseTimings: Sendable, Equatable {
    public var dns: Double
    public var connect: Double
    public var tls: Double
    public var firstByte: Double
    public var transfer: Double
    public var total: Double

    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, transfer: Double = 0, total: Double = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.transfer = transfer
        self.total = total
    }
}

public struct ProbeResponse: Sendable, Equatable {
    /// The HTTP status; 0 for a TCP connect check.
    public var status: Int
    /// The first `--max-body` bytes of the body; a watch drops them once judged.
    public var body: [UInt8]
    /// How many body bytes were received (at most `--max-body`): kept when `body` is dropped,
    /// so a report never shows 0 bytes for a body it had.
    public var bytes: Int
    /// The body was longer than `--max-body` and the transfer was cut there.
    public var truncated: Bool
    public var remoteIP: String
    public var httpVersion: String
    public var redirects: Int
    public var timings: PhaseTimings
    /// The earliest `notAfter` of the certificates the server presented, in seconds since
    /// 1970 UTC (blackbox_exporter's `probe_ssl_earliest_cert_expiry`); nil without TLS.
    public var certificateExpiry: Double?

    public init(status: Int, body: [UInt8] = [], truncated: Bool = false, remoteIP: String = "", httpVersion: String = "",
                redirects: Int = 0, timings: PhaseTimings = PhaseTimings(), certificateExpiry: Double? = nil) {
        self.status = status
        self.body = body
        bytes = body.count
        self.truncated = truncated
        self.remoteIP = remoteIP
        self.httpVersion = httpVersion
        self.redirects = redirects
        self.timings = timings
        self.certificateExpiry = certificateExpiry
    }
}

/// Why a probe got no answer, sorted the way an operator acts on it.
public struct ProbeFailure: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case dns, refused, unreachable, timeout, tls
        case tooLarge = "too large"
        case `protocol` = "protocol error"
        case tooManyRedirects = "too many redirects"
        case invalidRequest = "invalid request"
        case other = "error"
    }

    public var kind: Kind
    /// For a timeout: the phase that was still running when time ran out.
    public var phase: ProbePhase?
    /// The transport's own words (already free of credentials), for machine outputs.
    public var message: String
    public var timings: PhaseTimings
    /// For a `tls` failure: why the certificate was refused, when the TLS layer said.
    public var certificateProblem: CertificateProblem?
    /// The earliest `notAfter` of the chain presented before the failure (seconds since 1970
    /// UTC), when the transport could read it.
    public var certificateExpiry: Double?
    /// The address connected or being connected to when the probe failed (a TLS handshake
    /// that timed out has one); empty before any connect.
    public var remoteIP: String

    public init(kind: Kind, phase: ProbePhase? = nil, message: String = "", timings: PhaseTimings = PhaseTimings(),
                certificateProblem: CertificateProblem? = nil, certificateExpiry: Double? = nil, remoteIP: String = "") {
        self.kind = kind
        self.phase = phase
        self.message = message
        self.timings = timings
        self.certificateProblem = certificateProblem
        self.certificateExpiry = certificateExpiry
        self.remoteIP = remoteIP
    }

    /// The short reason: `refused`, `tls: hostname mismatch`, `first-byte timeout`.
    /// `tlsDaysLeft`: days until (negative: since) the certificate expired, when known.
    public func reason(tlsDaysLeft: Double?) -> String {
        if kind == .timeout, let phase { return "\(phase.rawValue) timeout" }
        if kind == .tls, let certificateProblem { return "tls: " + certificateProblem.text(daysLeft: tlsDaysLeft) }
        return kind.rawValue
    }
}

/// The phases of a probe, in order.
public enum ProbePhase: String, Sendable, CaseIterable {
    case dns, connect, tls
    case firstByte = "first-byte"
    case transfer
}

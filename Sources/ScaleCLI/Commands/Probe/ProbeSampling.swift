import HealthProbe
import ScaleHTTP

/// Turns what ScaleHTTP observed into HealthProbe's plain samples: the one place that knows
/// both, so the judging stays free of libcurl.
enum ProbeSampling {
    static func sample(_ result: Result<HTTPResponse, HTTPFailure>, target: ProbeTarget) -> ProbeSample {
        switch result {
        case .success(let response):
            return ProbeSample(.response(ProbeResponse(
                status: response.status, body: response.body, truncated: response.truncated, remoteIP: response.remoteIP,
                httpVersion: target.kind.speaksHTTP ? response.httpVersion : "", redirects: response.redirectCount,
                timings: phases(response.timings), certificateExpiry: earliestExpiry(response.tls))))
        case .failure(let failure):
            var timings = phases(failure.timings)
            timings.total = max(timings.total, failure.elapsedSeconds)
            return ProbeSample(.failure(ProbeFailure(
                kind: kind(failure.kind), phase: failure.kind == .timeout ? hungPhase(failure, target: target) : nil,
                message: failure.message, timings: timings, certificateProblem: failure.certificateProblem,
                certificateExpiry: earliestExpiry(failure.tls), remoteIP: failure.remoteIP)))
        }
    }

    /// The earliest `notAfter` of a presented chain; nil without one.
    static func earliestExpiry(_ tls: TLSInfo?) -> Double? {
        tls?.certificates.compactMap(\.notAfterEpochSeconds).min().map(Double.init)
    }

    static func phases(_ t: HTTPTimings) -> PhaseTimings {
        PhaseTimings(dns: t.dnsSeconds, connect: t.connectSeconds, tls: t.tlsSeconds, firstByte: t.firstByteSeconds,
                     transfer: t.transferSeconds, total: t.totalSeconds)
    }

    static func kind(_ kind: HTTPFailure.Kind) -> ProbeFailure.Kind {
        switch kind {
        case .dns: return .dns
        case .refused: return .refused
        case .unreachable: return .unreachable
        case .timeout: return .timeout
        case .tls: return .tls
        case .tooLarge: return .tooLarge
        case .protocol: return .protocol
        case .tooManyRedirects: return .tooManyRedirects
        case .invalidRequest: return .invalidRequest
        case .other: return .other
        }
    }

    /// The phase a timed-out probe was in, from the last of libcurl's marks it reached: no
    /// name yet is DNS (libcurl says "Resolving timed out"), no TCP yet is connect, no TLS yet
    /// is tls, no byte yet is first-byte, else the transfer. ScaleHTTP fills the connect mark
    /// of a TLS handshake that hung (libcurl leaves it 0); libcurl's "SSL connection timeout"
    /// says the same where it could not.
    static func hungPhase(_ failure: HTTPFailure, target: ProbeTarget) -> ProbePhase {
        let marks = failure.timings.marks
        if marks.startTransfer > 0 { return .transfer }
        if marks.appConnect > 0 || (marks.connect > 0 && !target.kind.usesTLS) { return .firstByte }
        if marks.connect > 0 || failure.message.contains("SSL connection timeout") { return .tls }
        if marks.nameLookup > 0 { return .connect }
        return failure.message.contains("Resolving") ? .dns : .connect
    }
}

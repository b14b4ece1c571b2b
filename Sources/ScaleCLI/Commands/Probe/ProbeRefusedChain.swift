import HealthProbe
import ScaleCore
import ScaleHTTP

/// The days of a certificate that verification refused inside the handshake (expired, not yet
/// valid, self-signed, unknown CA): libcurl never reads such a chain, so one more handshake to
/// the same address, unverified and sending nothing, reads it (see `HTTPFailure.chainRefusedUnread`).
/// Only the chain is taken from it: the verdict, the reason's cause and the phase timings stay
/// the real probe's, since the second handshake measures nothing about the target's health.
enum ProbeRefusedChain {
    /// The chain-reading request for a probe that ended in `result`, when it needs one and
    /// `left` seconds allow it; nil otherwise.
    static func request(after result: Result<HTTPResponse, HTTPFailure>, of request: HTTPRequest, target: ProbeTarget,
                        left: Double = .infinity) -> HTTPRequest? {
        guard case .failure(let failure) = result, failure.chainRefusedUnread, request.verifyTLS,
              left >= ProbeDeadline.minimumProbe else { return nil }
        let reading = request.chainReading(within: left)
        // The server that refused, not another member of a DNS pool; a proxy picks its own.
        guard !failure.remoteIP.isEmpty, target.address == nil, request.proxy == nil, !request.proxyFromEnvironment,
              !IPAddressText.isLiteral(target.host) else { return reading }
        return ProbeAddresses.pinned(reading, host: target.host, port: target.port, to: failure.remoteIP)
    }

    /// `result` with the chain that `reading` saw; unchanged when the second handshake got none.
    static func merged(_ result: Result<HTTPResponse, HTTPFailure>, reading: Result<HTTPResponse, HTTPFailure>) -> Result<HTTPResponse, HTTPFailure> {
        guard case .failure(var failure) = result, let tls = chain(reading) else { return result }
        failure.tls = tls
        return .failure(failure)
    }

    /// The certificates a chain-reading handshake got, if any.
    static func chain(_ reading: Result<HTTPResponse, HTTPFailure>) -> TLSInfo? {
        guard case .success(let response) = reading, let tls = response.tls, !tls.certificates.isEmpty else { return nil }
        return tls
    }

    /// Fills in the refused chains of a round's outcomes: one chain-reading handshake per such
    /// probe, all at once (at most `concurrency`), each within the probe's own timeout and
    /// what is left of `deadline` (monotonic seconds).
    static func complete(_ outcomes: inout [ProbeDeadline.Outcome], setup: ProbeSetup, transport: any HTTPTransport,
                         time: any TimeSource) {
        var readings: [(index: Int, request: HTTPRequest)] = []
        let left = setup.deadlineAt.map { $0 - time.monotonic() } ?? .infinity
        for (i, outcome) in outcomes.enumerated() {
            guard case .measured(let result) = outcome,
                  let reading = request(after: result, of: setup.requests[i], target: setup.targets[i], left: left) else { continue }
            readings.append((i, reading))
        }
        guard !readings.isEmpty else { return }
        let results: [Result<HTTPResponse, HTTPFailure>?] = ProbeDeadline.performAll(
            readings.map(\.request), concurrency: setup.concurrency, deadline: setup.deadlineAt, transport: transport, time: time
        ).map {
            if case .measured(let result) = $0 { return result }
            return nil
        }
        for ((i, _), reading) in zip(readings, results) {
            guard let reading, case .measured(let result) = outcomes[i] else { continue }
            outcomes[i] = .measured(merged(result, reading: reading))
        }
    }
}

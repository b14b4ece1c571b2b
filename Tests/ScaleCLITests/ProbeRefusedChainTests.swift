import ScaleCLI
import ScaleCore
import ScaleHTTP
import Testing
import TestSupport

/// The second, unverified handshake that reads a refused chain, on a scripted network: when it
/// is made, what it asks for, and how often in a watch. (Against a real nginx: ProbeServerTests
/// and NginxTLSTests.)
@Suite("a refused certificate's days, from a second handshake")
struct ProbeRefusedChainTests {
    static let url = "https://api.example/health"
    /// Verification refused an expired chain inside the handshake: no chain, the address reached.
    static let refused = Result<HTTPResponse, HTTPFailure>.failure(HTTPFailure(
        kind: .tls, message: "SSL certificate problem: certificate has expired", url: url, curlCode: 60, elapsedSeconds: 0.004,
        timings: HTTPTimings(marks: Canned.marks(dns: 1_000, connect: 0, tls: 0, firstByte: 0, total: 4_000)),
        certificateProblem: .expired, remoteIP: "10.0.0.7"))
    /// What the second handshake sees: the chain, expired 40 days before the fake now
    /// (Nov 14 22:13:20 2023 less 40 days is Oct 5 22:13:20 2023).
    static let chain = Canned.ok(0, body: "", ip: "10.0.0.7", expiry: "Oct  5 22:13:20 2023 GMT")

    static func readings(_ transport: ScriptedTransport) -> [HTTPRequest] {
        transport.requests.filter { !$0.verifyTLS }
    }

    @Test("one round: the reason and TLS DAYS count from the chain's notAfter; the verdict and timings are the probe's")
    func round() throws {
        let transport = ScriptedTransport([Self.url: [Self.refused, Self.chain]])
        let result = runProbe(["-o", "json", "--timeout", "3s", Self.url], transport: transport)
        #expect(result.status == .critical)
        let reading = try #require(Self.readings(transport).first)
        #expect(Self.readings(transport).count == 1)
        #expect(reading.connectOnly && reading.method == "GET" && reading.body == nil && reading.headers.isEmpty)
        #expect(reading.totalTimeout == 3 && reading.connectTimeout == 3, "bounded by the probe's --timeout")
        #expect(reading.resolve == ["api.example:443:10.0.0.7"], "the same server as the refused handshake")
        #expect(result.out.contains(#""reason": "tls: certificate expired 40.0 days ago""#), "\(result.out)")
        #expect(result.out.contains(#""tls_days_left": -40"#), "\(result.out)")
        #expect(result.out.contains(#""verdict": "DOWN""#))
        #expect(result.out.contains(#""total_seconds": 0.004"#), "the probe's own time, not the second handshake's")
    }

    @Test("--deadline bounds the second handshake to what is left of the run")
    func deadline() throws {
        let time = FakeTime()
        // The probe's batch takes 1.5 s of the 2 s deadline: 0.5 s is left for the chain.
        let transport = ScriptedTransport([Self.url: [Self.refused, Self.chain]], time: time, batchSeconds: 1.5)
        let result = runProbe(["-o", "json", "--timeout", "3s", "--deadline", "2s", Self.url], transport: transport, time: time)
        let reading = try #require(Self.readings(transport).first)
        #expect(abs(reading.totalTimeout - 0.5) < 1e-9 && abs(reading.connectTimeout - 0.5) < 1e-9, "\(reading.totalTimeout)")
        #expect(result.out.contains(#""reason": "tls: certificate expired"#), "\(result.out)")
    }

    @Test("--insecure, a hostname mismatch and a refused connection make no second handshake")
    func notNeeded() {
        var mismatch = Self.refused
        if case .failure(var failure) = mismatch {
            failure.certificateProblem = .hostnameMismatch
            mismatch = .failure(failure)
        }
        for (outcome, flags) in [(mismatch, [String]()), (Canned.failure(.refused, "Couldn't connect", url: Self.url), []), (Self.refused, ["-k"])] {
            let transport = ScriptedTransport([Self.url: [outcome, Self.chain]])
            _ = runProbe(flags + [Self.url], transport: transport)
            #expect(transport.requests.count == 1, "\(flags)")
        }
    }

    @Test("a watch reads the chain once while the target keeps failing with the same cause")
    func watch() {
        let transport = ScriptedTransport([Self.url: [Self.refused, Self.chain, Self.refused]])
        let result = runProbe(["--watch", "--interval", "1s", "--jitter", "0%", "--count", "3", "-o", "ndjson", Self.url], transport: transport)
        #expect(Self.readings(transport).count == 1, "\(transport.requests.map(\.verifyTLS))")
        let probes = result.out.split(separator: "\n").filter { $0.contains(#""type": "probe""#) }
        #expect(probes.count == 3)
        #expect(probes.allSatisfy { $0.contains("tls: certificate expired 40.0 days ago") }, "\(result.out)")
        #expect(result.status == .critical)
    }
}

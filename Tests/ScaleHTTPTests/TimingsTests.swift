import ScaleHTTP
import Testing

@Suite("Per-phase timings from libcurl's cumulative marks")
struct TimingsTests {
    @Test("an https transfer: every phase is the difference of neighbouring marks and they add up to the total")
    func httpsPhases() {
        let timings = HTTPTimings(marks: CurlTimeMarks(nameLookup: 1_000, connect: 3_000, appConnect: 10_000,
                                                       preTransfer: 10_100, startTransfer: 25_000, total: 30_000))
        #expect(timings.dnsSeconds == 0.001)
        #expect(timings.connectSeconds == 0.002)
        #expect(timings.tlsSeconds == 0.007)
        #expect(timings.firstByteSeconds == 0.015)
        #expect(timings.transferSeconds == 0.005)
        #expect(timings.totalSeconds == 0.03)
        #expect(timings.timeToFirstByteSeconds == 0.025)
    }

    @Test("plain http has no TLS phase; the wait starts at connect")
    func plainPhases() {
        let timings = HTTPTimings(marks: CurlTimeMarks(nameLookup: 500, connect: 800, appConnect: 0,
                                                       preTransfer: 850, startTransfer: 5_800, total: 6_000))
        #expect(timings.tlsSeconds == 0)
        #expect(timings.firstByteSeconds == 0.005)
        #expect(timings.transferSeconds == 0.0002)
    }

    @Test("marks that run backwards (a reused connection) never give negative phases")
    func clamped() {
        let timings = HTTPTimings(marks: CurlTimeMarks(nameLookup: 2_000, connect: 0, appConnect: 0,
                                                       preTransfer: 100, startTransfer: 0, total: 3_000))
        #expect(timings.connectSeconds == 0)
        #expect(timings.firstByteSeconds == 0)
        #expect(timings.transferSeconds == 0)
        #expect(timings.totalSeconds == 0.003)
    }
}

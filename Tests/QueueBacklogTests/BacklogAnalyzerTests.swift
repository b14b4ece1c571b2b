import Testing
import QueueBacklog

/// Every expectation below is worked out by hand in the comment above it.
@Suite struct BacklogAnalyzerTests {
    /// Three polls a minute apart. Arrived 1000 → 2200: λ = 1200/120 = 10/s. Deleted 900 → 1980:
    /// μ = 1080/120 = 9/s. Depth 100 → 220 (slope exactly 1/s, as λ − μ). Growing, so no
    /// drain time; Little: wait = 220/9 s, oldest ≈ 220/10 = 22 s (estimated). Age grows at
    /// 1 − μ/λ = 0.1 s/s: a 60 s limit is (60 − 22)/0.1 = 380 s away; depth 400 is (400 − 220)/1 = 180 s away.
    @Test func ratesFromCountersOfAGrowingQueue() throws {
        let samples = [
            BacklogSample(time: 0, depth: 100, arrivedTotal: 1000, deletedTotal: 900, consumers: 2),
            BacklogSample(time: 60, depth: 160, arrivedTotal: 1600, deletedTotal: 1440, consumers: 2),
            BacklogSample(time: 120, depth: 220, arrivedTotal: 2200, deletedTotal: 1980, consumers: 2),
        ]
        let a = try #require(BacklogAnalyzer.analyse(samples, limits: BacklogLimits(maxDepth: 400, maxAgeSeconds: 60)))
        #expect(a.rateSource == .counters)
        #expect(a.arrivalRate == 10)
        #expect(a.deletionRate == 9)
        #expect(a.growthRate == 1)
        #expect(a.drainSeconds == nil)
        #expect(a.waitSeconds == 220.0 / 9)
        #expect(a.oldestAgeSeconds == 22)
        #expect(a.oldestAgeEstimated)
        #expect(abs(a.timeToMaxAgeSeconds! - 380) < 1e-9)
        #expect(a.timeToMaxDepthSeconds == 180)
        #expect(a.status == .growing)
        #expect(a.windowSeconds == 120 && a.sampleCount == 3)
    }

    /// λ = 2000/100 = 20/s, μ = 2500/100 = 25/s: drains at 5/s, 500/5 = 100 s. Wait = 500/25 = 20 s.
    @Test func drainTimeIsDepthOverTheNetDeletionRate() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 1000, depth: 1000, arrivedTotal: 0, deletedTotal: 0),
            BacklogSample(time: 1100, depth: 500, arrivedTotal: 2000, deletedTotal: 2500),
        ]))
        #expect(a.drainSeconds == 100)
        #expect(a.waitSeconds == 20)
        #expect(a.oldestAgeSeconds == 25) // 500 / 20, estimated
        #expect(a.status == .draining)
    }

    /// Only the arrived counter: λ = 100/10 = 10/s; depth rose 20 in 10 s, so μ = 10 − 2 = 8/s.
    @Test func oneCounterAndDepthGiveTheOtherByConservation() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 10, arrivedTotal: 100),
            BacklogSample(time: 10, depth: 30, arrivedTotal: 200),
        ]))
        #expect(a.arrivalRate == 10)
        #expect(a.deletionRate == 8)
        let b = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 10, deletedTotal: 100),
            BacklogSample(time: 10, depth: 30, deletedTotal: 200),
        ]))
        #expect(b.deletionRate == 10)
        #expect(b.arrivalRate == 12)
    }

    /// Depth only: 600, 450, 300 at 0, 30, 60 s — slope −5/s, drain 300/5 = 60 s; no λ, μ, wait or age.
    @Test func depthOnlyUsesTheSlopeAndSaysSo() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 600), BacklogSample(time: 30, depth: 450), BacklogSample(time: 60, depth: 300),
        ]))
        #expect(a.rateSource == .depth)
        #expect(a.growthRate == -5)
        #expect(a.drainSeconds == 60)
        #expect(a.arrivalRate == nil && a.deletionRate == nil && a.waitSeconds == nil && a.oldestAgeSeconds == nil)
        #expect(a.status == .draining)
    }

    /// Broker ages 10, 20, 30 s at 0, 10, 20 s: the age slope is 1 s/s, so a 60 s limit is 30 s away.
    @Test func brokerAgesGiveTheAgeTrend() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 5, oldestAgeSeconds: 10),
            BacklogSample(time: 10, depth: 5, oldestAgeSeconds: 20),
            BacklogSample(time: 20, depth: 6, oldestAgeSeconds: 30),
        ], limits: BacklogLimits(maxAgeSeconds: 60)))
        #expect(a.oldestAgeSeconds == 30)
        #expect(!a.oldestAgeEstimated)
        #expect(a.timeToMaxAgeSeconds == 30)
    }

    @Test func limitsAlreadyExceededAreZeroAway() throws {
        let a = try #require(BacklogAnalyzer.analyse([BacklogSample(time: 0, depth: 500, oldestAgeSeconds: 90)],
                                                     limits: BacklogLimits(maxDepth: 100, maxAgeSeconds: 60)))
        #expect(a.timeToMaxDepthSeconds == 0 && a.timeToMaxAgeSeconds == 0)
        #expect(a.rateSource == .none && a.status == .ok && a.drainSeconds == nil)
    }

    /// A broker restart resets the counters: deleted 500 → 20 → 70 counts 20 + 50 = 70 in 20 s.
    @Test func aCounterResetDoesNotMakeNegativeRates() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 0, arrivedTotal: 500, deletedTotal: 500),
            BacklogSample(time: 10, depth: 0, arrivedTotal: 20, deletedTotal: 20),
            BacklogSample(time: 20, depth: 0, arrivedTotal: 70, deletedTotal: 70),
        ]))
        #expect(a.arrivalRate == 3.5 && a.deletionRate == 3.5)
        #expect(a.status == .ok && a.drainSeconds == 0 && a.oldestAgeSeconds == 0)
    }

    @Test func statusStalledWhenNothingWasDeleted() throws {
        let counters = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 50, arrivedTotal: 60, deletedTotal: 10),
            BacklogSample(time: 30, depth: 70, arrivedTotal: 80, deletedTotal: 10),
        ]))
        #expect(counters.status == .stalled)
        let depthOnly = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 50), BacklogSample(time: 30, depth: 50), BacklogSample(time: 60, depth: 50),
        ]))
        #expect(depthOnly.status == .stalled)
        #expect(depthOnly.drainSeconds == nil)
    }

    @Test func statusIdleWithoutConsumersWinsOverEverything() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 50, consumers: 0), BacklogSample(time: 30, depth: 50, consumers: 0),
        ]))
        #expect(a.status == .idle)
    }

    @Test func statusOKWhenConsumersKeepUp() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 3, arrivedTotal: 0, deletedTotal: 0, consumers: 1),
            BacklogSample(time: 10, depth: 3, arrivedTotal: 100, deletedTotal: 100, consumers: 1),
        ]))
        #expect(a.status == .ok)
        #expect(a.drainSeconds == nil) // μ − λ = 0: holding steady, not draining
        #expect(a.waitSeconds == 0.3)  // Little: 3 / 10
    }

    @Test func noSamplesNoAnalysis() {
        #expect(BacklogAnalyzer.analyse([]) == nil)
    }
}

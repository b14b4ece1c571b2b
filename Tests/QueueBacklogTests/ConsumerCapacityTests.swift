import Testing
import QueueBacklog

/// Consumers needed and the limits the time-to figures are measured against. Capacity, from
/// first principles: n consumers at r messages/s each delete n·r per second; they keep up when
/// n·r ≥ λ, and they also empty a backlog of D messages within T when n·r ≥ λ + D/T. So
/// n = ceil(λ / r) and n = ceil((λ + D/T) / r), with r = μ / consumers.
@Suite struct ConsumerCapacityTests {
    /// The orders incident of docs/backlog.md: 600 s, arrived +30000 (λ = 50/s), deleted
    /// +48000 (μ = 80/s), depth 72000 → 54000, 4 consumers: r = 80/4 = 20/s each.
    static let orders = [
        BacklogSample(time: 0, depth: 72000, arrivedTotal: 1_000_000, deletedTotal: 928_000, consumers: 4),
        BacklogSample(time: 600, depth: 54000, arrivedTotal: 1_030_000, deletedTotal: 976_000, consumers: 4),
    ]

    /// Keep up: 50/20 = 2.5 → 3. By 30 min: (50 + 54000/1800)/20 = (50 + 30)/20 = 4 — the 4
    /// attached, which indeed drain in 54000/(80 − 50) = 1800 s. By 20 min: (50 + 45)/20 = 4.75 → 5.
    /// By 10 min: (50 + 90)/20 = 7.
    @Test(arguments: [(1800.0, 4.0), (1200, 5), (600, 7)])
    func ordersIncident(deadline: Double, needed: Double) throws {
        let a = try #require(BacklogAnalyzer.analyse(Self.orders, limits: BacklogLimits(drainBySeconds: deadline)))
        #expect(a.perConsumerRate == 20)
        #expect(a.consumersNeeded == 3)
        #expect(a.consumersNeededToDrain == needed)
        #expect(a.capacityGap == nil)
    }

    @Test func noDeadlineNoDrainByFigure() throws {
        let a = try #require(BacklogAnalyzer.analyse(Self.orders))
        #expect(a.consumersNeeded == 3 && a.consumersNeededToDrain == nil)
    }

    /// λ = 2/10 = 0.2/s, μ = 3/10 = 0.3/s with 3 consumers: 0.1/s each, and 2 consumers delete
    /// exactly 0.2/s = λ, so 2 keep up. In binary floating point 0.2 / (0.3/3) is
    /// 2.0000000000000004, which a bare ceil would make 3.
    @Test func roundingErrorDoesNotAddAConsumer() throws {
        let a = try #require(BacklogAnalyzer.analyse([
            BacklogSample(time: 0, depth: 10, arrivedTotal: 0, deletedTotal: 0, consumers: 3),
            BacklogSample(time: 10, depth: 9, arrivedTotal: 2, deletedTotal: 3, consumers: 3),
        ]))
        #expect(a.arrivalRate! / a.perConsumerRate! > 2) // the premise
        #expect(a.consumersNeeded == 2)
    }

    /// Unknown is nil with a reason, never 0.
    @Test func unknownsAreNilWithAReason() throws {
        func gap(_ samples: [BacklogSample]) throws -> (Double?, Double?, CapacityGap?) {
            let a = try #require(BacklogAnalyzer.analyse(samples, limits: BacklogLimits(drainBySeconds: 60)))
            return (a.consumersNeeded, a.consumersNeededToDrain, a.capacityGap)
        }
        let noCount = Self.orders.map { var s = $0; s.consumers = nil; return s }
        #expect(try gap(noCount) == (nil, nil, .noConsumerCount))
        let none = Self.orders.map { var s = $0; s.consumers = 0; return s }
        #expect(try gap(none) == (nil, nil, .noConsumers))
        let depthOnly = [BacklogSample(time: 0, depth: 10, consumers: 2), BacklogSample(time: 60, depth: 5, consumers: 2)]
        #expect(try gap(depthOnly) == (nil, nil, .noDeletionRate))
        #expect(try gap([BacklogSample(time: 0, depth: 10, arrivedTotal: 5, deletedTotal: 5, consumers: 2)]) == (nil, nil, .noDeletionRate))
        let stuck = [BacklogSample(time: 0, depth: 10, arrivedTotal: 5, deletedTotal: 5, consumers: 2),
                     BacklogSample(time: 60, depth: 20, arrivedTotal: 15, deletedTotal: 5, consumers: 2)]
        #expect(try gap(stuck) == (nil, nil, .nothingDeleted))
    }

    /// The growing queue of BacklogAnalyzerTests: depth 220 growing 1/s, oldest age 22 s
    /// growing 1 − 9/10 = 0.1 s/s. A broker max-length of 300 is reached before --max-depth
    /// 400: (300 − 220)/1 = 80 s, named x-max-length; a TTL of 50 s before --max-age 60 s:
    /// (50 − 22)/0.1 = 280 s. With --max-depth 250 the caller's is nearer: 30 s.
    @Test func theNearerLimitIsUsedAndNamed() throws {
        let samples = [
            BacklogSample(time: 0, depth: 100, arrivedTotal: 1000, deletedTotal: 900, consumers: 2),
            BacklogSample(time: 120, depth: 220, arrivedTotal: 2200, deletedTotal: 1980, consumers: 2,
                          brokerMaxDepth: Limit(value: 300, source: "x-max-length"), brokerMaxAge: Limit(value: 50, source: "policy message-ttl")),
        ]
        let a = try #require(BacklogAnalyzer.analyse(samples, limits: BacklogLimits(maxDepth: 400, maxAgeSeconds: 60)))
        #expect(a.maxDepth == Limit(value: 300, source: "x-max-length"))
        #expect(a.timeToMaxDepthSeconds == 80)
        #expect(a.maxAge == Limit(value: 50, source: "policy message-ttl"))
        #expect(abs(a.timeToMaxAgeSeconds! - 280) < 1e-9)
        let b = try #require(BacklogAnalyzer.analyse(samples, limits: BacklogLimits(maxDepth: 250)))
        #expect(b.maxDepth?.value == 250 && b.maxDepth?.source.contains("max-depth") == true)
        #expect(b.timeToMaxDepthSeconds == 30)
        // No limit from anyone: no figure.
        let c = try #require(BacklogAnalyzer.analyse(Array(samples.prefix(1))))
        #expect(c.maxDepth == nil && c.timeToMaxDepthSeconds == nil)
    }

    /// RabbitMQ holds only ready messages against max-length. With 40 of the 220 unacknowledged,
    /// 180 are ready: the limit of 300 is reached at a depth of 340, (340 − 220)/1 = 120 s, not
    /// 80. It is still named as x-max-length 300, and beside --max-depth 330 the caller's is now
    /// the nearer: (330 − 220)/1 = 110 s.
    @Test func theBrokersLimitCountsOnlyWhatTheBrokerCounts() throws {
        var last = BacklogSample(time: 120, depth: 220, arrivedTotal: 2200, deletedTotal: 1980, consumers: 2,
                                 brokerMaxDepth: Limit(value: 300, source: "x-max-length"))
        last.depthOutsideBrokerLimit = 40
        let samples = [BacklogSample(time: 0, depth: 100, arrivedTotal: 1000, deletedTotal: 900, consumers: 2), last]
        let a = try #require(BacklogAnalyzer.analyse(samples))
        #expect(a.maxDepth == Limit(value: 300, source: "x-max-length"))
        #expect(a.timeToMaxDepthSeconds == 120)
        let b = try #require(BacklogAnalyzer.analyse(samples, limits: BacklogLimits(maxDepth: 330)))
        #expect(b.maxDepth?.value == 330 && b.timeToMaxDepthSeconds == 110)
    }
}

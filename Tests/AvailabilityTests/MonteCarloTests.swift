import Testing
import Availability
import ScaleCore

@Suite struct MonteCarloTests {
    /// Published reference outputs: SplitMix64 seeded with 1234567 (Rosetta Code,
    /// "Pseudo-random numbers/Splitmix64") and xoshiro256** from the state {1, 2, 3, 4}
    /// (the outputs of Vigna's reference xoshiro256starstar.c).
    @Test func generatorsMatchTheirReferenceOutputs() {
        var splitmix = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in splitmix.next() } ==
                [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                 4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
        var xoshiro = Xoshiro256StarStar(state: (1, 2, 3, 4))
        #expect((0..<10).map { _ in xoshiro.next() } ==
                [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240, 1_216_172_134_540_287_360,
                 607_988_272_756_665_600, 16_172_922_978_634_559_625, 8_476_171_486_693_032_832,
                 10_595_114_339_597_558_777, 2_904_607_092_377_533_576])
    }

    @Test func uniformStaysInTheUnitInterval() {
        var rng = Xoshiro256StarStar(seed: 7)
        var sum = 0.0
        for _ in 0..<100_000 {
            let u = rng.uniform()
            #expect(u >= 0 && u < 1)
            sum += u
        }
        // Mean of 1e5 uniforms: standard error 0.29/316 ≈ 0.0009; 5 of them is 0.0046.
        #expect(abs(sum / 100_000 - 0.5) < 0.0046)
    }

    /// Wilson score interval for 10 failures in 100 trials, worked by hand with z = 1.96:
    /// centre (0.1 + 0.019208)/1.038416 = 0.114798, half-width (1.96/1.038416)·√(0.0009 +
    /// 0.00009604) = 0.059569, so 0.0552 to 0.1744.
    @Test func wilsonIntervalMatchesTheTextbook() {
        let interval = MonteCarlo.wilson(lost: 10, trials: 100)
        #expect(abs(interval.low - 0.0552) < 0.00005)
        #expect(abs(interval.high - 0.1744) < 0.00005)
        // No failure in N trials: [0, z²/(N + z²)] = [0, 3.8415/1003.8415] for N = 1000.
        let none = MonteCarlo.wilson(lost: 0, trials: 1000)
        #expect(none.low == 0)
        #expect(abs(none.high - 3.841458820694124 / 1003.841458820694124) < 1e-12)
    }

    /// The analytic figure must fall inside the simulation's 95% interval. Seeds are fixed, so
    /// these runs are reproducible; each was also run with other seeds while writing this test.
    @Test(arguments: [
        ("lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", ComposeOptions()),
        ("kofn(2, a=99%, b=98%, c=97%)", ComposeOptions()),
        ("(90% | 80%) * 3of5(95%) * kofn(1, 99% * 98%, 2x 90%)", ComposeOptions()),
        ("2x 99% * (99% | 98%)", ComposeOptions(commonCause: 0.2)),
        ("3x mtbf=10h,mttr=1h * kofn(2, mtbf=5h,mttr=30m, mtbf=8h,mttr=1h, 2x mtbf=4h,mttr=1h)", ComposeOptions(detectionDelay: 600)),
        ("3x 95%", ComposeOptions(commonCause: 0.1, detectionDelay: 300, assumedMTTR: 3600, needs: 2)),
    ])
    func analyticFigureLiesInsideTheInterval(expression: String, options: ComposeOptions) throws {
        let model = try ComposeModel(TopologyExpression.parse(expression), options: options)
        let analytic = model.result
        let simulation = MonteCarlo.simulate(model, trials: 400_000, seed: 20_240_601)
        #expect(simulation.agrees(withUnavailability: analytic.down),
                "\(expression): analytic U \(analytic.down), simulated \(simulation.unavailability) in [\(simulation.unavailabilityLow), \(simulation.unavailabilityHigh)]")
        #expect(simulation.unavailabilityLow < simulation.unavailability && simulation.unavailability < simulation.unavailabilityHigh)
    }

    @Test func theSameSeedReproducesTheSameEstimate() throws {
        let model = try ComposeModel(TopologyExpression.parse("kofn(2, 99%, 98%, 97%)"))
        let a = MonteCarlo.simulate(model, trials: 10_000, seed: 1)
        let b = MonteCarlo.simulate(model, trials: 10_000, seed: 1)
        let c = MonteCarlo.simulate(model, trials: 10_000, seed: 2)
        #expect(a == b)
        #expect(a != c)
    }

    /// A simulation cannot resolve 1e-12 with 1e5 trials; it must say so with an honest
    /// interval rather than claim zero unavailability.
    @Test func rareFailuresGiveAnUpperBound() throws {
        let model = try ComposeModel(TopologyExpression.parse("2x 99.9999%"))
        let simulation = MonteCarlo.simulate(model, trials: 100_000, seed: 1)
        #expect(simulation.unavailability == 0)
        #expect(simulation.unavailabilityLow == 0 && simulation.unavailabilityHigh > 3e-5)
        #expect(simulation.agrees(withUnavailability: model.result.down))
    }
}

import Testing
import ScaleCore
import Availability

/// --common-cause, --detection-delay and --needs, each against a closed form worked by hand.
@Suite struct CaveatTests {
    static func unavailability(_ text: String, _ options: ComposeOptions) throws -> Double {
        try ComposeModel(TopologyExpression.parse(text), options: options).result.down
    }

    static func close(_ got: Double, _ want: Double, relative: Double = 1e-12) -> Bool {
        abs(got - want) <= relative * abs(want)
    }

    @Test func betaFactorForIdenticalCopies() throws {
        // 2 × 99%, β = 0.1: q = 0.1 × 0.01 = 0.001; u' = 0.009/0.999; U = q + (1 − q)·u'²
        // = 0.001 + 0.000081/0.999 = 1080/999000 = 4/3700.
        let u = try Self.unavailability("2x 99%", ComposeOptions(commonCause: 0.1))
        #expect(Self.close(u, 4.0 / 3700))
        // The textbook beta-factor approximation βu + ((1 − β)u)² = 0.001081 agrees to first order.
        #expect(abs(u - 0.001081) < 1e-7)
        // β = 1: every failure hits both, so redundancy buys nothing.
        #expect(Self.close(try Self.unavailability("2x 99%", ComposeOptions(commonCause: 1)), 0.01))
        #expect(Self.close(try Self.unavailability("2x 99%", ComposeOptions(commonCause: 0)), 0.0001))
    }

    @Test func betaFactorForDifferentPartsUsesTheSmallestUnavailability() throws {
        // 99% | 98%, β = 0.5: q = 0.5 × 0.01 = 0.005; u'a = 0.005/0.995, u'b = 0.015/0.995;
        // U = 0.005 + 0.995 × 0.000075/0.995² = 0.005 + 75/995000 = 101/19900.
        let u = try Self.unavailability("99% | 98%", ComposeOptions(commonCause: 0.5))
        #expect(Self.close(u, 101.0 / 19900))
    }

    @Test func betaOutsideZeroToOneIsRefused() {
        #expect(throws: ScaleError.self) { try ComposeModel(TopologyExpression.parse("2x 99%"), options: ComposeOptions(commonCause: 1.5)) }
    }

    @Test func detectionDelayCostsTheFailedMembersShareOfTraffic() throws {
        // 2 × (MTBF 999h, MTTR 1h): U = 0.001 per member, f = 1/1000h. d = 36 s gives f·d = 1e-5
        // per member, a lost fraction L = (1/2)(1e-5 + 1e-5) = 1e-5, and
        // U' = U_pool + L·(1 − U_pool) = 1e-6 + 1e-5 × 0.999999 = 0.00001099999.
        let u = try Self.unavailability("2x mtbf=999h,mttr=1h", ComposeOptions(detectionDelay: 36))
        #expect(Self.close(u, 0.00001099999))
        // A delay longer than the repair is capped at the down time: min(f·d, U) = 0.001, so
        // U' = 1e-6 + 0.001 × 0.999999 = 0.001000999.
        let capped = try Self.unavailability("2x mtbf=999h,mttr=1h", ComposeOptions(detectionDelay: 7200))
        #expect(Self.close(capped, 0.001000999))
        // A ratio with an assumed MTTR of 1 h has f = U/MTTR: the same figures for 99.9%.
        let assumed = try Self.unavailability("2x 99.9%", ComposeOptions(detectionDelay: 36, assumedMTTR: 3600))
        #expect(Self.close(assumed, 0.00001099999))
    }

    @Test func detectionDelayForAMemberThatIsItselfATopology() throws {
        // Members a*b with a, b at MTBF 999h, MTTR 1h: member U = 1 − 0.999² = 0.001999, failure
        // rate f = fa·Ab + fb·Aa = 2 × 0.999/3.6e6 per second; f·36 s = 1.998e-5 = L.
        // U' = 0.001999² + L·(1 − 0.001999²) = 1198796057995001/5e19 = 0.00002397592115990002.
        let u = try Self.unavailability("2x(mtbf=999h,mttr=1h * mtbf=999h,mttr=1h)", ComposeOptions(detectionDelay: 36))
        #expect(Self.close(u, 0.00002397592115990002, relative: 1e-11))
    }

    @Test func detectionDelayForAQuorumOfDifferentPartsInsideAPool() throws {
        // Members with U = 0.001, 0.02, 0.1 (MTBF/MTTR 999h/1h, 98h/2h, 45h/5h), f = 1/1000h,
        // 1/100h, 1/50h. Inner 2 of 3: U = 0.002116; L = (36 s × Σf)/3 = 0.000103333…;
        // U_inner = 0.00221911468. The quorum fails at Σ fi·P(exactly 1 of the others up), and
        // f·36 s = 1.5432e-5. The outer pool: U = U_inner² + 1.5432e-5·(1 − U_inner²), worked
        // with exact fractions: 0.0000203563939685710335.
        let u = try Self.unavailability("2x kofn(2, mtbf=999h,mttr=1h, mtbf=98h,mttr=2h, mtbf=45h,mttr=5h)",
                                        ComposeOptions(detectionDelay: 36))
        #expect(Self.close(u, 0.0000203563939685710335, relative: 1e-12))
    }

    @Test func detectionDelayNeedsAFailureRateOnlyInsideGroups() throws {
        // lb is in series, outside any pool: it needs no failure rate.
        _ = try ComposeModel(TopologyExpression.parse("lb=99.99% * 2x mtbf=999h,mttr=1h"), options: ComposeOptions(detectionDelay: 10))
        #expect {
            try ComposeModel(TopologyExpression.parse("lb=99.99% * 2x app=99.9%"), options: ComposeOptions(detectionDelay: 10))
        } throws: { error in
            // The library names its parameters; a front end chooses how they read (the CLI: as flags).
            guard let error = error as? ScaleError, error.parameter == Parameter("detection-delay") else { return false }
            let text = error.naming { "--\($0.name)" }.description
            return text.hasPrefix("--detection-delay: needs the failure rate of 'app', which is given only as a ratio") && text.contains("--mttr")
        }
    }

    @Test func needsTurnsPoolsIntoKOfN() throws {
        // 3 × 99% needing 2: U = u³ + 3·a·u² = 0.000001 + 0.000297 = 0.000298.
        #expect(Self.close(try Self.unavailability("3x 99%", ComposeOptions(needs: 2)), 0.000298))
        // 2of3 needing 3 is a series of three: U = 1 − 0.99³ = 0.029701.
        #expect(Self.close(try Self.unavailability("2of3(99%)", ComposeOptions(needs: 3)), 0.029701))
        // A quorum above the load requirement is kept: 3of4 with needs 2 stays 3 of 4:
        // U = P(≤2 up) = 1 − a⁴ − 4a³u = 1 − 0.96059601 − 0.03881196 = 0.00059203.
        #expect(Self.close(try Self.unavailability("3of4(99%)", ComposeOptions(needs: 2)), 0.00059203))
        // Groups of different parts are left as written.
        #expect(Self.close(try Self.unavailability("99% | 98%", ComposeOptions(needs: 2)), 0.0002))
        #expect {
            try ComposeModel(TopologyExpression.parse("2x db=99%"), options: ComposeOptions(needs: 3))
        } throws: { error in
            (error as? ScaleError)?.description == "needs: the pool of 2 × db cannot keep 3 members up; give the pool at least 3 copies, or lower needs"
        }
    }
}

/// --load: pools shed what the members left cannot carry, checked against binomial sums worked by
/// hand and against exact rational arithmetic in Python.
@Suite struct LoadSheddingTests {
    static func unavailability(_ text: String, load: Double) throws -> Double {
        try ComposeModel(TopologyExpression.parse(text), options: ComposeOptions(load: load)).result.down
    }

    @Test func twoOfThreeAtSeventyPercent() throws {
        // n = 3, a = 0.99, L = 0.7, so n·L = 2.1 members' worth of load.
        // 3 up:  P = 0.99³ = 0.970299, serves min(1, 3/2.1) = 1.
        // 2 up:  P = 3 × 0.99² × 0.01 = 0.029403, serves 2/2.1, sheds 0.1/2.1 = 1/21.
        // 1 or 0 up: below the quorum of 2, P = 3 × 0.99 × 0.0001 + 0.000001 = 0.000298, sheds all.
        // U = 0.029403/21 + 0.000298 = 0.0014001428571… + 0.000298 = 0.0016981428571428571.
        // Reference: python3 -c "from fractions import Fraction as F; from math import comb;
        //   a=F(99,100); print(float(sum(comb(3,j)*a**j*(1-a)**(3-j)*(1 if j<2 else max(F(0),1-F(j)/(3*F(7,10)))) for j in range(4))))"
        //   → 0.001698142857142857 (exactly 11887/7000000)
        #expect(CaveatTests.close(try Self.unavailability("2of3(99%)", load: 0.7), 11887.0 / 7_000_000))
        // At 50% two members carry the whole load (2/1.5 ≥ 1): only losing the quorum costs, U = 0.000298.
        #expect(CaveatTests.close(try Self.unavailability("2of3(99%)", load: 0.5), 0.000298))
    }

    @Test func oneOfThreeSheds() throws {
        // 3x 99% (any one suffices) at 70%: 2 up sheds 1/21 (P 0.029403), 1 up serves 1/2.1 and
        // sheds 11/21 (P 0.000297), 0 up sheds all (P 0.000001):
        // U = (0.029403 + 11 × 0.000297)/21 + 0.000001 = 0.03267/21 + 0.000001 = 0.0015567142857…
        // Python (as above with k = 1): 10897/7000000 = 0.0015567142857142856.
        #expect(CaveatTests.close(try Self.unavailability("3x 99%", load: 0.7), 10897.0 / 7_000_000, relative: 1e-13))
        // At 100% load every lost member sheds its third: U = E[lost]/3 = 0.01 exactly.
        #expect(CaveatTests.close(try Self.unavailability("3x 99%", load: 1), 0.01, relative: 1e-13))
    }

    @Test func largePoolsUseLogSpaceTerms() throws {
        // 100 × 99% at 95% load: k = 1 and k = 80 give the same figure, since below 95 up the
        // pool sheds anyway and P(fewer than 80 up) is negligible. Python with fractions:
        //   n=100, a=99/100, L=95/100 → 6.4711569642239455e-06
        #expect(CaveatTests.close(try Self.unavailability("100x 99%", load: 0.95), 6.4711569642239455e-06, relative: 1e-11))
        #expect(CaveatTests.close(try Self.unavailability("80of100(99%)", load: 0.95), 6.471156964223946e-06, relative: 1e-11))
    }

    @Test func seriesMultipliesTheServedFractions() throws {
        // lb=99.9% in front of the 2of3 pool: served = 0.999 × (1 − 11887/7000000).
        let served = 0.999 * (1 - 11887.0 / 7_000_000)
        #expect(CaveatTests.close(try Self.unavailability("lb=99.9% * 2of3(app=99%)", load: 0.7), 1 - served, relative: 1e-12))
    }

    @Test func loadOutsideRangeOrWithNeedsIsRefused() {
        for load in [0.0, 1.5] {
            #expect { try ComposeModel(TopologyExpression.parse("3x 99%"), options: ComposeOptions(load: load)) } throws: {
                ($0 as? ScaleError)?.parameter == Parameter("load")
            }
        }
        #expect { try ComposeModel(TopologyExpression.parse("3x 99%"), options: ComposeOptions(needs: 2, load: 0.7)) } throws: {
            ($0 as? ScaleError)?.parameter == Parameter("load")
        }
    }

    @Test func loadNeedsOneLevelOfPools() {
        // No pool: --load would change nothing, so it is refused rather than noted.
        // Pools in pools: the inner pool's shed share would be shed again by the outer one.
        for text in ["a=99% * b=99%", "a=99% | b=99%", "kofn(2, a=99%, b=99%, c=99%)", "2x (3x 99%)", "2of3(lb=99.9% * 2x app=99%)"] {
            #expect(throws: ScaleError.self, "\(text)") { try ComposeModel(TopologyExpression.parse(text), options: ComposeOptions(load: 0.7)) }
        }
        #expect { try ComposeModel(TopologyExpression.parse("2x (3x app=99%)"), options: ComposeOptions(load: 0.7)) } throws: {
            let error = $0 as? ScaleError
            return error?.parameter == Parameter("load") && error?.description.contains("pool of 2 × (app)") == true
        }
        // Pools side by side, or a pool beside different parts, are graded one level deep.
        #expect(throws: Never.self) { try ComposeModel(TopologyExpression.parse("3x a=99% * (2of3(b=99%) | c=99%)"), options: ComposeOptions(load: 0.7)) }
    }

    @Test func detectionDelayWeighsAPoolsFailuresByWhatTheyShed() throws {
        // 2of3(a) | b with a, b = mtbf 99h, mttr 1h (A = 0.99, f = 1/360000 s), d = 360 s, so
        // f·d = 0.001; load 70%: served(0) = served(1) = 0, served(2) = 2/2.1 = 20/21, served(3) = 1.
        // Pool: core U = 11887/7000000 (twoOfThreeAtSeventyPercent); its own detection loss is
        //   3 × min(0.001, 0.01)/3 = 0.001, so U_P = 1 − (1 − 11887/7000000)(1 − 0.001) = 0.0026964447…
        // Pool failure rate: 3f × Σⱼ P(j of the 2 others up)(served(j+1) − served(j))
        //   = 3f × (2 × 0.99 × 0.01 × 20/21 + 0.99² × 1/21) = 3f × 1.3761/21, so
        //   f_P·d = 0.003 × 1.3761/21 = 0.000196585714…  (the unloaded Birnbaum 2 × 0.99 × 0.01
        //   would give 0.0000594)
        // Group of 2 different parts: core U = U_P × 0.01; lost = (0.000196585714… + 0.001)/2;
        // A = (1 − U_P × 0.01)(1 − lost). Python with fractions: 1 − A = 0.0006252411716495919.
        let options = ComposeOptions(detectionDelay: 360, load: 0.7)
        let model = try ComposeModel(TopologyExpression.parse("2of3(a=mtbf=99h,mttr=1h) | b=mtbf=99h,mttr=1h"), options: options)
        #expect(CaveatTests.close(model.result.down, 0.0006252411716495919, relative: 1e-11))
        let simulated = MonteCarlo.simulate(model, trials: 400_000, seed: 18)
        #expect(simulated.agrees(withUnavailability: model.result.down))
    }

    @Test func simulationAgreesWithTheLoadModel() throws {
        let model = try ComposeModel(TopologyExpression.parse("2of3(90%)"), options: ComposeOptions(load: 0.7))
        // 2of3 at 90% each: U = 3 × 0.81 × 0.1/21 + (3 × 0.9 × 0.01 + 0.001) = 0.0115714… + 0.028.
        #expect(CaveatTests.close(model.result.down, 0.243 / 21 + 0.028, relative: 1e-12))
        let simulated = MonteCarlo.simulate(model, trials: 200_000, seed: 7)
        #expect(simulated.agrees(withUnavailability: model.result.down))
    }
}

/// The recovery delay (rise): a repaired member stays out of rotation r longer per failure.
@Suite struct RecoveryDelayTests {
    @Test func haproxyDefaultsOnAPairOfServers() throws {
        // 2x web, MTBF 999h, MTTR 1h: A = 0.999, U = 0.001, f = 1/(1000 × 3600) per second.
        // HAProxy defaults, hang: detection d = 11 s (mean), recovery r = (2 − 1/2) × 2 = 3 s.
        // Per failure each member is out 1h + 3 s: U' = 0.001 + 3/3600000 = 0.00100083333…
        // Both out: U'² = 1.0016673611…e-6; the first 11 s cost each member's half of the
        // requests: lost = 2 × (11/3600000)/2 = 3.0555…e-6; A = (1 − U'²)(1 − lost).
        // Python with fractions: 1 − A = 21032627733589/5184000000000000000 = 4.057219856016397e-06.
        let options = ComposeOptions(detectionDelay: 11, recoveryDelay: 3)
        let model = try ComposeModel(TopologyExpression.parse("2x web=mtbf=999h,mttr=1h"), options: options)
        #expect(CaveatTests.close(model.result.down, 4.057219856016397e-06, relative: 1e-12))
        // Without the recovery delay: U² = 1e-6, lost = 11/3600000, 1 − A = U² + lost − U²·lost.
        let plain = try ComposeModel(TopologyExpression.parse("2x web=mtbf=999h,mttr=1h"), options: ComposeOptions(detectionDelay: 11))
        let lost = 11.0 / 3_600_000
        #expect(CaveatTests.close(plain.result.down, 1e-6 + lost - 1e-6 * lost, relative: 1e-9))
    }

    @Test func aMemberInSeriesIsNotBehindTheChecker() throws {
        // Only members of redundant groups are taken out and put back: a lone component keeps its
        // own U = 0.001, and needs no failure rate.
        let model = try ComposeModel(TopologyExpression.parse("lb=99.9% * 2x web=mtbf=999h,mttr=1h"),
                                     options: ComposeOptions(detectionDelay: 11, recoveryDelay: 3))
        #expect(CaveatTests.close(model.result.down, 1 - 0.999 * (1 - 4.057219856016397e-06), relative: 1e-12))
    }

    @Test func simulationHoldsRepairedMembersOut() throws {
        // 2of3(90%) with MTTR 1h and an exaggerated 30 min recovery delay: U' = 0.1 + 0.05 = 0.15,
        // f = 0.1/3600 per second. 2 of 3 up: U = 3 × 0.15² × 0.85 + 0.15³ = 0.06075.
        let model = try ComposeModel(TopologyExpression.parse("2of3(a=mtbf=9h,mttr=1h)"), options: ComposeOptions(recoveryDelay: 1800))
        #expect(CaveatTests.close(model.result.down, 0.06075, relative: 1e-12))
        let simulated = MonteCarlo.simulate(model, trials: 200_000, seed: 3)
        #expect(simulated.agrees(withUnavailability: model.result.down))
    }
}

import Testing
import Availability

/// Closed forms worked out by hand (the arithmetic is in each comment), compared with the
/// library's figures to a relative error of a few units in the last place.
@Suite struct ClosedFormTests {
    static func topology(_ text: String) throws -> UpDown {
        try ComposeModel(TopologyExpression.parse(text)).result
    }

    /// |got − want| ≤ 1e-13 × want: both sides, availability and unavailability.
    static func close(_ got: Double, _ want: Double, relative: Double = 1e-13) -> Bool {
        abs(got - want) <= relative * abs(want)
    }

    @Test(arguments: [
        // 0.9999 × 0.995 = 0.9949005
        ("99.99% * 99.5%", 0.9949005, 0.0050995),
        // 0.999 × 0.998 = 0.997002; × 0.997 = 0.994010994
        ("0.999 * 0.998 * 0.997", 0.994010994, 0.005989006),
        // parallel: U = 0.01 × 0.02 = 0.0002
        ("99% | 98%", 0.9998, 0.0002),
        // three 90% copies: U = 0.1³ = 0.001
        ("3x 90%", 0.999, 0.001),
        ("90% | 90% | 90%", 0.999, 0.001),
        // 2 of 3 at a = 0.995, u = 0.005: U = u³ + 3·a·u² = 0.000000125 + 0.000074625
        ("2of3(99.5%)", 0.99992525, 0.00007475),
        // kofn(2; 0.99, 0.98, 0.97): U = all down 0.01·0.02·0.03 = 0.000006, plus exactly one up:
        // 0.99·0.02·0.03 = 0.000594, 0.98·0.01·0.03 = 0.000294, 0.97·0.01·0.02 = 0.000194
        ("kofn(2, 99%, 98%, 97%)", 0.998912, 0.001088),
        // 3 of 3 is a series: 0.9 × 0.8 × 0.7 = 0.504
        ("kofn(3, 0.9, 0.8, 0.7)", 0.504, 0.496),
        // 1 of 3 is parallel: U = 0.1 × 0.2 × 0.3 = 0.006
        ("kofn(1, 0.9, 0.8, 0.7)", 0.994, 0.006),
        // MTBF/(MTBF+MTTR) = 999h / 1000h
        ("mtbf=999h,mttr=1h", 0.999, 0.001),
        ("mttr=30m,mtbf=19h30m", 0.975, 0.025),
        // The example: 0.9999 × (2 of 3 at 0.995 = 0.99992525) × (1 − 0.0005²);
        // the exact product is 0.99982500751868563125, so U = 0.00017499248131436875.
        ("lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)", 0.99982500751868563125, 0.00017499248131436875),
        // * binds tighter than |: (0.9 × 0.9) | 0.5 → U = 0.19 × 0.5 = 0.095
        ("0.9 * 0.9 | 0.5", 0.905, 0.095),
        ("0.9 * (0.9 | 0.5)", 0.855, 0.145),
    ])
    func matchesTheHandComputedClosedForm(expression: String, availability: Double, unavailability: Double) throws {
        let result = try Self.topology(expression)
        #expect(Self.close(result.up, availability), "\(expression): availability \(result.up)")
        #expect(Self.close(result.down, unavailability), "\(expression): unavailability \(result.down)")
    }

    /// Two 99.9999% replicas in parallel: U = (1e-6)² = 1e-12. Computing 1 − (1 − 0.999999)²
    /// through availabilities would print 1.00000000002e-12; here it is 1e-12 to every digit.
    @Test func highAvailabilitiesKeepTheirDigits() throws {
        for expression in ["99.9999% | 99.9999%", "2x 99.9999%", "kofn(1, 99.9999%, 99.9999%)", "1of2(0.999999)"] {
            let result = try Self.topology(expression)
            #expect(Self.close(result.down, 1e-12, relative: 4e-16), "\(expression): \(result.down)")
            #expect(result.down.description == "1e-12", "\(expression)")
            #expect(result.up.description == "0.999999999999", "\(expression)")
            #expect(Precision.percent(result) == "99.9999999999%")
            #expect(abs(result.nines - 12) < 1e-12)
        }
        // Three copies of 99.99999%: U = (1e-7)³ = 1e-21, far below what 1 − A could show.
        let triple = try Self.topology("3x 99.99999%")
        #expect(Self.close(triple.down, 1e-21, relative: 1e-15))
        // 2 of 3 at 99.9999%: U = u³ + 3·a·u² = 1e-18 + 2.999997e-12 = 2.999998e-12
        let quorum = try Self.topology("2of3(99.9999%)")
        #expect(Self.close(quorum.down, 2.999998e-12, relative: 1e-15))
    }

    /// Pools larger than 60 copies use log-space binomial terms: 2 of 1000 coin flips is down
    /// when at most one is up, P = (1 + 1000)·2⁻¹⁰⁰⁰.
    @Test func largePoolsUseTheBinomialInLogSpace() throws {
        let result = UpDown.atLeast(2, ofCopies: 1000, UpDown(up: 0.5, down: 0.5))
        let want = 1001 * 0x1p-1000
        #expect(Self.close(result.down, want, relative: 1e-12))
        // The two routes agree where they meet: 30 of 61 versus the Poisson-binomial recursion.
        let part = UpDown(up: 0.97, down: 0.03)
        let binomial = UpDown.atLeast(30, ofCopies: 61, part)
        let recursion = UpDown.atLeast(30, of: [UpDown](repeating: part, count: 61))
        #expect(Self.close(binomial.down, recursion.down, relative: 1e-11))
    }

    /// The ratio reader takes the complement on the decimal digits, so the small side is the
    /// double nearest to the true value.
    @Test(arguments: [
        ("99.9999%", 0.999999, 1e-6), ("99.95%", 0.9995, 0.0005), ("0.9995", 0.9995, 0.0005),
        ("100%", 1, 0), ("0%", 0, 1), ("1", 1, 0), ("0", 0, 1), (".5", 0.5, 0.5), ("99.999999999%", 0.99999999999, 1e-11),
    ])
    func ratiosAreReadExactly(text: String, up: Double, down: Double) throws {
        let value = try RatioText.parse(text)
        #expect(value.down == down, "\(text)")
        #expect(value.up == up || abs(value.up - up) <= 1.2e-16, "\(text)")
    }

    @Test(arguments: ["", "%", ".", "101%", "1.5", "1e-3", "-1%", "99.9.9%", "9%%", "1" + String(repeating: "0", count: 50)])
    func badRatiosAreRefused(text: String) {
        #expect(throws: (any Error).self) { try RatioText.parse(text) }
    }

    @Test func contributionsAreFussellVeselyShares() throws {
        // a = 0.99, b = 0.98 in series: U = 1 − 0.9702 = 0.0298. With a perfect, U = 0.02, so
        // a's share is 0.0098 / 0.0298 = 49/149; b's is (0.0298 − 0.01)/0.0298 = 99/149.
        // One more nine for a: 1 − 0.999 × 0.98 = 0.02098; for b: 1 − 0.99 × 0.998 = 0.01198.
        let model = try ComposeModel(TopologyExpression.parse("a=99% * b=98%"))
        let rows = model.contributions()
        #expect(rows.map(\.label) == ["a", "b"])
        #expect(Self.close(rows[0].share, 49.0 / 149))
        #expect(Self.close(rows[1].share, 99.0 / 149))
        #expect(Self.close(rows[0].improved.down, 0.02098))
        #expect(Self.close(rows[1].improved.down, 0.01198))
        #expect(rows.map(\.copies) == [1, 1])
    }

    @Test func contributionsCountCopiesAndTreatAPoolAsOneComponent() throws {
        // 2 of 3 app at 0.995 behind lb: the app pool's share, by hand: 0.9999 × 0.99992525 =
        // 0.999825257475, so U = 0.000174742525; with app perfect U = 0.0001, so app's share is
        // 0.000074742525 / 0.000174742525.
        let model = try ComposeModel(TopologyExpression.parse("lb=99.99% * 2of3(app=99.5%)"))
        let rows = model.contributions()
        #expect(rows.map(\.copies) == [1, 3])
        #expect(Self.close(rows[1].share, 0.000074742525 / 0.000174742525, relative: 1e-11))
        // app with one more nine (u = 0.0005): pool U = 1.25e-10 + 3 × 0.9995 × 2.5e-7 = 7.4975e-7,
        // system U = 1 − 0.9999 × (1 − 7.4975e-7) = 0.0001 + 0.9999 × 7.4975e-7 = 0.000100749675025.
        #expect(Self.close(rows[1].improved.down, 0.000100749675025, relative: 1e-12))
    }

    @Test func labelsTellUnnamedPartsApart() throws {
        let model = try ComposeModel(TopologyExpression.parse("99.9% * 99.9% * lb=99% * mtbf=1h,mttr=1m"))
        #expect(model.labels == ["99.9% (column 1)", "99.9% (column 9)", "lb", "mtbf=1h,mttr=1m"])
    }
}

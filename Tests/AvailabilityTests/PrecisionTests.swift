import Testing
import Availability

@Suite struct PrecisionTests {
    /// Percentages keep the digits the unavailability carries (five significant ones), no more.
    @Test(arguments: [
        ("99.9%", "99.9%"), ("99%", "99%"), ("99.95%", "99.95%"), ("99.9999%", "99.9999%"),
        ("0.9949005", "99.49005%"), ("99.99999999%", "99.99999999%"),
    ])
    func percentagesShowTheMeaningfulDigits(ratio: String, printed: String) throws {
        #expect(Precision.percent(try RatioText.parse(ratio)) == printed)
    }

    @Test func placesForComputedFigures() {
        // U = 0.00017499248131436875 is 0.017499…%: five significant digits need 6 decimals.
        #expect(Precision.places(forUnavailability: 0.00017499248131436875) == 6)
        #expect(Precision.places(forUnavailability: 1e-12) == 10)
        #expect(Precision.places(forUnavailability: 0.25, minimum: 2) == 2)
        // Beyond 14 decimals a double near one holds no more digits.
        #expect(Precision.places(forUnavailability: 1e-30, minimum: 2) == 2)
        #expect(Precision.places(forUnavailability: 0, minimum: 2) == 2)
    }

    @Test(arguments: [(Double, Double)]([
        (0.0005 * 604_800, 302.4), (14.4 * 0.001, 0.0144), (1e-12, 1e-12), (0.0, 0.0), (-3.3, -3.3),
        (1.0 / 3, 0.333333333333333), (5522.229333198432, 5522.22933319843),
    ]))
    func cleanDropsRoundingNoise(value: Double, cleaned: Double) {
        #expect(Precision.clean(value) == cleaned)
    }

    @Test func oneMoreNineDividesTheUnavailabilityByTen() throws {
        let value = try RatioText.parse("99.9%").oneMoreNine
        #expect(value.down == 0.0001)
        #expect(value.up == 0.9999)
    }
}

import Testing
import ScaleCore

/// Civil dates and UTC timestamps against GNU date's answers, computed by hand where noted.
@Suite struct CivilDateTests {
    /// `date -u -d @N +%Y-%m-%dT%H:%M:%SZ`.
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00Z"),            // the epoch
        (951_782_400, "2000-02-29T00:00:00Z"),    // 11016 days × 86400: the leap day of a /400 year
        (2_147_483_647, "2038-01-19T03:14:07Z"),  // 2^31-1: 24855 days + 11647 s = 03:14:07
        (-1, "1969-12-31T23:59:59Z"),             // one second before the epoch
        (1_700_000_000.999, "2023-11-14T22:13:20Z"),
        (253_402_300_799, "9999-12-31T23:59:59Z"),
    ])
    func wholeSeconds(seconds: Double, text: String) {
        #expect(UTCTimestamp.string(epochSeconds: seconds, fractionDigits: 0) == text)
        #expect(UTCTimestamp.seconds(rfc3339: Array(text.utf8)) == seconds.rounded(.down))
    }

    /// Milliseconds round down, also before the epoch (-0.0005 s is 1969-12-31T23:59:59.999Z).
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_700_000_000.5, "2023-11-14T22:13:20.500Z"),
        (-0.0005, "1969-12-31T23:59:59.999Z"),
        (951_782_399.9996, "2000-02-28T23:59:59.999Z"),
    ])
    func milliseconds(seconds: Double, text: String) {
        #expect(UTCTimestamp.string(epochSeconds: seconds) == text)
    }

    /// days_from_civil and back: 951782400 / 86400 = 11016, 2147483647 / 86400 = 24855 (floor),
    /// and 0001-01-01 is 719162 days before 1970-01-01 (`date -u -d 0001-01-01 +%s` = -62135596800).
    @Test(arguments: [
        (0, 1970, 1, 1), (11016, 2000, 2, 29), (11017, 2000, 3, 1), (24855, 2038, 1, 19),
        (-1, 1969, 12, 31), (-719_162, 1, 1, 1), (10_957, 2000, 1, 1),
    ])
    func daysRoundTrip(days: Int, year: Int, month: Int, day: Int) {
        #expect(CivilDate(daysSinceEpoch: days) == CivilDate(year: year, month: month, day: day))
        #expect(CivilDate(year: year, month: month, day: day).daysSinceEpoch == days)
    }

    @Test func rfc3339Forms() {
        #expect(UTCTimestamp.seconds(rfc3339: Array("2038-01-19T05:14:07+02:00".utf8)) == 2_147_483_647)
        #expect(UTCTimestamp.seconds(rfc3339: Array("2038-01-18 22:14:07-05:00".utf8)) == 2_147_483_647)
        #expect(UTCTimestamp.seconds(rfc3339: Array("1970-01-01t00:00:00.25z".utf8)) == 0.25)
        for bad in ["2001-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2000-13-01T00:00:00Z", "2000-01-01T24:00:00Z",
                    "2000-01-01T00:00:00", "2000-01-01T00:00:00.Z", "2000-01-01T00:00:00Zjunk", "2000-1-01T00:00:00Z"] {
            #expect(UTCTimestamp.seconds(rfc3339: Array(bad.utf8)) == nil, "\(bad)")
        }
        #expect(CivilDate.isLeap(2000) && !CivilDate.isLeap(1900) && CivilDate.isLeap(2024) && !CivilDate.isLeap(2023))
    }
}

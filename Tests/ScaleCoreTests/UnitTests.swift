import Testing
import ScaleCore

@Suite struct DurationTests {
    @Test(arguments: [
        ("250ms", 0.25), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("7d", 604_800),
        ("1.5s", 1.5), ("2w", 1_209_600), ("100us", 0.0001), ("1h 30m", 5400), (" 45s ", 45),
    ])
    func parses(text: String, seconds: Double) throws {
        #expect(abs(try DurationUnits.parse(text) - seconds) < 1e-9)
    }

    @Test(arguments: ["", "5", "5x", "abc", "1h30", "ms", "1..5s", "-5s"])
    func refusesWithAFix(text: String) {
        #expect {
            try DurationUnits.parse(text)
        } throws: { error in
            let message = (error as? ScaleError)?.description ?? ""
            return (error as? ScaleError)?.kind == .usage && message.contains("250ms")
        }
    }

    // uptime.is's published budgets for a 365.2425-day year: 99.9% leaves 31,556.952 s
    // ("8h 45m 57s"), 99% leaves 315,569.52 s ("3d 15h 39m 30s"), 99% of a day 864 s ("14m 24s").
    @Test(arguments: [
        (31_556.952, "8h 45m 57s"), (315_569.52, "3d 15h 39m 30s"), (864, "14m 24s"), (0, "0s"), (0.25, "250ms"), (59, "59s"), (61, "1m 1s"),
        (3600, "1h"), (90_061, "1d 1h 1m 1s"), (0.0015, "1.5ms"), (-61, "-1m 1s"),
        // The rule at its edges: sub-second values keep their digits; a value that rounds up
        // to the next unit is printed in it.
        (0.864, "864ms"), (0.9996, "1s"), (0.00996, "10ms"), (0.0099, "9.9ms"), (0.00099996, "1.0ms"), (0.000086, "86µs"),
        (1.4, "1s"), (26.297_46, "26s"), (315.569_52, "5m 16s"),
    ])
    func human(seconds: Double, text: String) {
        #expect(DurationUnits.human(seconds) == text)
    }
}

@Suite struct SizeTests {
    @Test(arguments: [
        ("10KiB", UInt64(10_240)), ("5MB", 5_000_000), ("1.5GiB", 1_610_612_736), ("512", 512),
        ("1kB", 1000), ("2Mi", 2_097_152), ("0", 0), ("1 TiB", 1_099_511_627_776),
    ])
    func parses(text: String, bytes: UInt64) throws {
        #expect(try SizeUnits.parse(text) == bytes)
    }

    @Test(arguments: ["", "KiB", "10XB", "1e3", "-5MB", "99999999999PiB"])
    func refuses(text: String) {
        #expect(throws: ScaleError.self) { try SizeUnits.parse(text) }
    }

    @Test func humanUsesBinaryUnits() {
        #expect(SizeUnits.human(512) == "512 B")
        #expect(SizeUnits.human(1_610_612_736) == "1.5 GiB")
        #expect(SizeUnits.human(10_240) == "10.0 KiB")
    }
}

@Suite struct RatioTests {
    @Test(arguments: [("99.9%", 0.999), ("0.999", 0.999), ("100%", 1.0), ("0", 0.0), ("99.95%", 0.9995)])
    func parses(text: String, ratio: Double) throws {
        #expect(abs(try RatioUnits.parse(text) - ratio) < 1e-12)
    }

    @Test func threeNinesIsRefusedWithTheWayToWriteIt() {
        #expect {
            try RatioUnits.parse("three nines")
        } throws: { error in
            let text = (error as? ScaleError)?.description ?? ""
            return text.contains("not accepted") && text.contains("99.9%")
        }
    }

    @Test(arguments: ["", "abc", "101%", "1.5", "-1%", "99.9 percent"])
    func refuses(text: String) {
        #expect(throws: ScaleError.self) { try RatioUnits.parse(text) }
    }
}

@Suite struct FormatTests {
    @Test(arguments: [
        (0.125, 2, "0.13"), (2.5, 0, "3"), (-2.5, 0, "-3"), (0.0001, 2, "0.00"), (-0.001, 2, "0.00"),
        (99.95, 1, "100.0"), (12.345678, 3, "12.346"), (Double.nan, 2, "NaN"),
    ])
    func decimal(value: Double, places: Int, text: String) {
        #expect(Format.decimal(value, places: places) == text)
    }

    @Test func shortestDropsTrailingZero() {
        #expect(Format.shortest(3) == "3")
        #expect(Format.shortest(0.1) == "0.1")
        #expect(Format.shortest(-42) == "-42")
    }
}

import Testing
import ScaleCore

@Suite struct ParameterTests {
    static let window = Parameter("window")
    static let downtime = Parameter("downtime")

    @Test("an error about a parameter reads it as its name, or as whatever a front end names it")
    func naming() {
        let error = ScaleError.usage("2d of downtime is more than the week", about: Self.downtime,
                                     fix: "give a longer \(Self.window) or a shorter \(Self.downtime)")
        #expect(error.description == "downtime: 2d of downtime is more than the week; give a longer window or a shorter downtime")
        let named = error.naming { "--\($0.name)" }
        #expect(named.description == "--downtime: 2d of downtime is more than the week; give a longer --window or a shorter --downtime")
        #expect(named.parameter == nil && named.location == "--downtime")
    }

    @Test("the parameter comes before a location inside it: a file's line")
    func locationInsideAParameter() {
        let error = ScaleError.usage("'x' is not KEY=VALUE", at: "line 3", about: Parameter("racks"))
        #expect(error.naming { "--\($0.name)" }.description == "--racks line 3: 'x' is not KEY=VALUE")
    }

    @Test("text a user wrote cannot forge a parameter: markers are control characters, and unclosed ones stay")
    func unclosedMarker() {
        let error = ScaleError.usage("'\u{2}abc' is odd")
        #expect(error.naming { _ in "X" }.what == "'\u{2}abc' is odd")
        #expect(ScaleError.usage("plain", at: "--x").description == "--x: plain")
    }
}

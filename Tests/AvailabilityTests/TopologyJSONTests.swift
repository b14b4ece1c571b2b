import Testing
import ScaleCore
import Availability

@Suite struct TopologyJSONTests {
    static func parse(_ text: String) throws -> Topology {
        try TopologyJSON.parse(Array(text.utf8), file: "t.json")
    }

    @Test func theIssueExampleAsJSONEqualsTheExpression() throws {
        let json = """
            {"series": [
              {"name": "lb", "availability": "99.99%"},
              {"quorum": 2, "copies": 3, "of": {"name": "app", "availability": 0.995}},
              {"parallel": [{"name": "db", "availability": "99.95%"}, "replica=99.95%"]}
            ]}
            """
        let fromJSON = try ComposeModel(Self.parse(json))
        let fromExpression = try ComposeModel(TopologyExpression.parse("lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)"))
        #expect(fromJSON.result == fromExpression.result)
        #expect(fromJSON.labels == ["lb", "app", "db", "replica"])
    }

    @Test func quorumCopiesAndRepairTimes() throws {
        let topology = try Self.parse("""
            {"quorum": 2, "of": [{"mtbf": "999h", "mttr": "1h"}, {"availability": "99%"}, {"copies": 2, "of": "90%"}]}
            """)
        guard case .quorum(2, let parts) = topology, parts.count == 3, case .pool(1, 2, _) = parts[2] else {
            Issue.record("\(topology)")
            return
        }
        #expect(try ComposeModel(topology).result.down > 0)
    }

    @Test(arguments: [
        ("", "t.json:1:1: unexpected end of the JSON document"),
        ("{", "t.json:1:2: expected a quoted key in an object"),
        ("{\"series\": [\"99%\",]}", "t.json:1:19: expected a JSON value"),
        ("{\"a\": 1, \"a\": 2}", "t.json:1:10: the key \"a\" appears twice in one object"),
        ("[1]", "t.json $: expected an object with series"),
        ("{}", "t.json $: an empty object is not a part"),
        ("{\"series\": []}", "t.json $.series: expected at least one part, found an empty array"),
        ("{\"series\": [\"99% *\"]}", "t.json $.series[0]: expression column 6: expected a component after '*'"),
        ("{\"series\": [{\"availability\": \"101%\"}]}", "t.json $.series[0].availability: '101%' is outside 0–100%"),
        ("{\"quorum\": 4, \"of\": [\"99%\", \"98%\"]}", "t.json $.quorum: quorum 4 is more than the 2 parts"),
        ("{\"quorum\": 0, \"of\": [\"99%\"]}", "t.json $.quorum: quorum must be at least 1, not 0"),
        ("{\"copies\": 2.5, \"of\": \"99%\"}", "t.json $.copies: expected a whole number, found '2.5'"),
        ("{\"of\": [\"99%\"]}", "t.json $: \"of\" needs \"quorum\""),
        ("{\"mtbf\": \"1h\", \"mttr\": \"-5m\"}", "t.json $.mttr: MTTR cannot be negative ('-5m')"),
        ("{\"mtbf\": \"1h\"}", "t.json $: a component needs \"availability\", or both \"mtbf\" and \"mttr\""),
        ("{\"series\": [\"a=99%\"], \"weight\": 2}", "t.json $: unexpected key \"weight\""),
        ("{\"series\": [\"a=99%\", {\"name\": \"a\", \"availability\": \"98%\"}]}", "t.json: the name 'a' is used twice"),
    ])
    func errorsNameTheFileAndThePath(text: String, message: String) {
        #expect {
            try Self.parse(text)
        } throws: { error in
            guard let error = error as? ScaleError else { return false }
            #expect(error.description.hasPrefix(message), "\(text): \(error.description)")
            return error.kind == .input
        }
    }

    @Test func deepJSONIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: ScaleError.self) { try Self.parse(deep) }
        let nested = String(repeating: "{\"copies\": 1, \"of\": ", count: 70) + "\"99%\"" + String(repeating: "}", count: 70)
        #expect(throws: ScaleError.self) { try Self.parse(nested) }
    }

    @Test func binaryJunkIsAnError() {
        #expect(throws: ScaleError.self) { try TopologyJSON.parse([0xFF, 0xFE, 0x00, 0x7B], file: "t.json") }
    }
}

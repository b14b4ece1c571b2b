import Testing
import ScaleCore
import Availability

@Suite struct TopologyExpressionTests {
    static func component(_ name: String?, _ up: Double, _ down: Double, _ source: String, _ column: Int) -> Topology {
        .component(Component(name: name, figure: .ratio(UpDown(up: up, down: down)), source: source, origin: "column \(column)"))
    }

    @Test func parsesTheIssueExample() throws {
        let topology = try TopologyExpression.parse("lb=99.99% * 2of3(app=99.5%) * (db=99.95% | replica=99.95%)")
        let expected = Topology.series([
            Self.component("lb", 0.9999, 0.0001, "99.99%", 1),
            .pool(k: 2, n: 3, Self.component("app", 0.995, 0.005, "99.5%", 18)),
            .parallel([Self.component("db", 0.9995, 0.0005, "99.95%", 32), Self.component("replica", 0.9995, 0.0005, "99.95%", 44)]),
        ])
        #expect(topology == expected)
    }

    @Test func parsesPoolsQuorumsAndRepairTimes() throws {
        #expect(try TopologyExpression.parse("3x a=99%") == .pool(k: 1, n: 3, Self.component("a", 0.99, 0.01, "99%", 4)))
        #expect(try TopologyExpression.parse("2x(99% * 98%)") == .pool(k: 1, n: 2, .series([
            Self.component(nil, 0.99, 0.01, "99%", 4), Self.component(nil, 0.98, 0.02, "98%", 10)])))
        let repair = try TopologyExpression.parse("kofn(2, db=mtbf=720h, mttr=30m, mtbf=1d,mttr=1h, 0.9)")
        guard case .quorum(let k, let parts) = repair, parts.count == 3, case .component(let db) = parts[0],
              case .component(let second) = parts[1] else {
            Issue.record("not a quorum of three components: \(repair)")
            return
        }
        #expect(k == 2)
        #expect(db.name == "db" && db.figure == .repair(mtbf: 720 * 3600, mttr: 1800))
        #expect(db.source == "mtbf=720h, mttr=30m")
        #expect(second.name == nil && second.figure == .repair(mtbf: 86_400, mttr: 3600))
    }

    @Test func whitespaceAndNewlinesAreFree() throws {
        let a = try TopologyExpression.parse(" lb=99.99%\n*\t( a=99% |b=98% ) ")
        let b = try TopologyExpression.parse("lb=99.99%*(a=99%|b=98%)")
        #expect(try ComposeModel(a).result == ComposeModel(b).result)
    }

    /// Every error names the 1-based column and what was expected there.
    @Test(arguments: [
        ("99.9% *", "expression column 8: expected a component after '*'"),
        ("", "expression column 1: empty expression"),
        ("   ", "expression column 4: empty expression"),
        ("(99% | 98%", "expression column 11: expected ')' to close the '(' at column 1, found the end of the expression"),
        ("99% | 98%)", "expression column 10: unexpected ')' with no '(' to close"),
        ("()", "expression column 2: expected a component after '(', found ')'"),
        ("99% + 98%", "expression column 5: expected '*' or '|' between parts, found '+'"),
        ("99% * €", "expression column 7: expected a component after '*', found '€'"),
        ("99% *\u{1B}", "expression column 6: expected a component after '*', found '\\x1b'"),
        ("a", "expression column 2: expected '=' after the name 'a', found the end of the expression"),
        ("a=", "expression column 3: expected a component after 'a='"),
        ("a=101%", "expression column 3: '101%' is outside 0–100%"),
        ("a=1.5", "expression column 3: '1.5' is outside 0–100%"),
        ("kofn(0, a=99%)", "expression column 6: k must be at least 1 in kofn(0, …)"),
        ("kofn(0, a)", "expression column 6: k must be at least 1 in kofn(0, …)"),
        ("kofn(3, 99%, 98%)", "expression column 6: kofn(3, …) needs 3 of only 2 parts"),
        ("kofn(2 99%)", "expression column 8: expected ',' or ')' in kofn(…), found '9'"),
        ("kofn(2)", "expression column 1: kofn(2) has no parts"),
        ("4of3(99%)", "expression column 1: 4of3(…) needs 4 of only 3 copies"),
        ("0of3(99%)", "expression column 1: k must be at least 1 in 0of3(…)"),
        ("0x 99%", "expression column 1: a pool needs at least one copy, not 0"),
        ("1001x 99%", "expression column 1: 1001 copies is more than the 1000 this model handles"),
        ("99999999999999999999999x 99%", "expression column 1: the number of copies '99999999999999999999999' is too large"),
        ("2.5x 99%", "expression column 1: the number of copies must be a whole number, not '2.5'"),
        ("foo(99%)", "expression column 1: unknown function 'foo'"),
        ("mtbf=720h", "expression column 1: mttr is missing"),
        ("mtbf=720h,mttr=-30m", "expression column 16: MTTR cannot be negative ('-30m')"),
        ("mtbf=0h,mttr=30m", "expression column 6: MTBF must be more than zero ('0h')"),
        ("mtbf=720,mttr=30m", "expression column 6: mtbf: '720' has no unit"),
        ("mtbf=720h,mtbf=1h,mttr=1m", "expression column 1: mttr is missing"),
        ("a=99% * a=98%", "the name 'a' is used twice (column 1 and column 9)"),
    ])
    func errorsNameTheColumnAndWhatWasExpected(expression: String, message: String) {
        #expect {
            try TopologyExpression.parse(expression)
        } throws: { error in
            guard let error = error as? ScaleError else { return false }
            #expect(error.description.hasPrefix(message), "\(expression): \(error.description)")
            return error.kind == .usage
        }
    }

    @Test func nestingIsBoundedWithAClearError() throws {
        let ok = String(repeating: "(", count: 64) + "99%" + String(repeating: ")", count: 64)
        #expect(try ComposeModel(TopologyExpression.parse(ok)).result.down == 0.01)
        let deep = String(repeating: "(", count: 100_000) + "99%" + String(repeating: ")", count: 100_000)
        #expect {
            try TopologyExpression.parse(deep)
        } throws: { error in
            (error as? ScaleError)?.description.hasPrefix("expression: the expression is 200003 characters long") ?? false
        }
        let tooDeep = String(repeating: "(", count: 65) + "99%" + String(repeating: ")", count: 65)
        #expect {
            try TopologyExpression.parse(tooDeep)
        } throws: { error in
            (error as? ScaleError)?.description.hasPrefix("expression column 65: nesting deeper than 64 levels") ?? false
        }
        let pools = String(repeating: "2x ", count: 65) + "99%"
        #expect(throws: ScaleError.self) { try TopologyExpression.parse(pools) }
    }

    @Test func hugeAndManyPartsAreRefusedNotSlow() {
        let many = Array(repeating: "99.9%", count: Topology.maxComponents + 1).joined(separator: " * ")
        #expect {
            try TopologyExpression.parse(many)
        } throws: { error in
            (error as? ScaleError)?.description.hasPrefix("the topology has 257 components") ?? false
        }
        #expect(throws: ScaleError.self) { try TopologyExpression.parse("99." + String(repeating: "9", count: 60) + "%") }
    }
}

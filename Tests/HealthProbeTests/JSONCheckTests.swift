import HealthProbe
import ScaleCore
import Testing
import TestSupport

@Suite("--expect-json: a jq subset with jq's meaning")
struct JSONCheckTests {
    static let document = #"{"status":"UP","checks":{"db":{"status":"UP","latency_ms":12.5},"cache":{"status":"DOWN"}},"items":[1,2,3],"version":"1.10","ok":true,"n":null,"key-with-dash":"x","empty":"","name":"caf\u00e9","dup":1,"dup":2}"#

    static let expressions = [
        #".status == "UP""#, #".status != "UP""#, #".status == "DOWN""#, #".checks.db.status == "UP""#,
        #".checks.cache.status == "UP""#, ".checks.db.latency_ms < 20", ".checks.db.latency_ms > 20",
        ".checks.db.latency_ms <= 12.5", ".checks.db.latency_ms >= 12.6", ".checks.db.latency_ms < 1e2",
        ".items[0] == 1", ".items[-1] == 3", ".items[5] == null", ".missing == null", ".missing.deeper == null",
        ".ok == true", ".ok != false", ".n == null", #"."key-with-dash" == "x""#, #".version > "1.9""#,
        ".version < 2", ".status > 1", ".n < false", ".status.x == 1", #".items.a == 1"#, ".checks[0] == 1",
        ".items == [1,2,3]", #".checks.db == {"latency_ms":12.5,"status":"UP"}"#, #".empty == """#, ". == null",
        #".name == "caf\u00e9""#, #".name == "café""#, ".dup == 2", ".items[1] == 2.0",
    ]

    /// jq is the reference: `jq -e EXPR` exits 0 exactly when the comparison is true, 1 when
    /// false, 5 on an error such as indexing a string — both of which are a failed check.
    @Test(.requires("/usr/bin/jq", package: "jq"), arguments: expressions)
    func agreesWithJq(expression: String) throws {
        let check = try JSONCheck(parsing: expression)
        let jq = Subprocess.run(["jq", "-e", expression], input: Self.document)
        try #require([0, 1, 5].contains(jq.status), "jq: \(jq.errors)")
        let failure = check.failure(body: Array(Self.document.utf8))
        #expect((failure == nil) == (jq.status == 0), "jq exited \(jq.status); we said \(failure ?? "pass")")
    }

    @Test("the reason names the expression and the value found")
    func reasons() throws {
        let body = Array(Self.document.utf8)
        #expect(try JSONCheck(parsing: #".checks.cache.status == "UP""#).failure(body: body)
                == #"json .checks.cache.status == "UP" is false (.checks.cache.status is "DOWN")"#)
        #expect(try JSONCheck(parsing: ".status.x == 1").failure(body: body) == #"json .status.x: cannot index string with "x""#)
        #expect(try JSONCheck(parsing: ".checks[0] == 1").failure(body: body) == "json .checks[0]: cannot index object with a number")
        #expect(try JSONCheck(parsing: ".items == 1").failure(body: body) == "json .items == 1 is false (.items is [1,2,3])")
        #expect(try JSONCheck(parsing: ".a == 1").failure(body: Array("<html>".utf8)) == "body is not JSON (invalid value at byte 0)")
        let long = Array(#"{"a":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 100) + Array(#""}"#.utf8)
        let reason = try #require(try JSONCheck(parsing: #".a == "y""#).failure(body: long))
        #expect(reason == #"json .a == "y" is false (.a is ""# + String(repeating: "x", count: 38) + "…)")
    }

    @Test("expressions outside the subset are refused with the syntax to use",
          arguments: [#"status == "UP""#, ".status = 1", ".status == UP", ".a. == 1", ".a < [1]", ".a", #".a == "x"#, ".a[x] == 1", ""])
    func refuses(expression: String) {
        do {
            _ = try JSONCheck(parsing: expression)
            Issue.record("accepted \(expression)")
        } catch {
            #expect(error.kind == .usage)
            #expect(error.fix.contains("PATH OP VALUE") || error.fix.contains("compare"))
        }
    }

    @Test("hostile bodies: deep nesting, bad escapes, lone surrogates, trailing text are not JSON",
          arguments: [String(repeating: "[", count: 100_000), #"{"a":"\x"}"#, #"{"a":"\ud800"}"#, #"{"a":1} x"#,
                      #"{"a":01}"#, #"{"a":1,}"#, "{\"a\":\"\u{1}\"}", #"{"a""#, "", "nul"])
    func hostileBodies(body: String) throws {
        let check = try JSONCheck(parsing: ".a == 1")
        let reason = try #require(check.failure(body: Array(body.utf8)))
        #expect(reason.hasPrefix("body is not JSON ("), "\(reason)")
    }

    @Test("a surrogate pair and a byte order mark are read as RFC 8259 says")
    func unicode() throws {
        let body: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(#"{"a":"\ud83d\ude80"}"#.utf8)
        #expect(try JSONCheck(parsing: #".a == "🚀""#).failure(body: body) == nil)
    }

    /// jq's equality survives the move onto ScaleCore's reader, which keeps number literals:
    /// jq -n '1.0 == 1' and '{"a":1,"b":2} == {"b":2,"a":1}' both print true; a repeated key
    /// counts by its last value (jq -n '{"a":1,"a":2}.a' prints 2).
    @Test("== compares numbers by value and objects regardless of order")
    func jqEquality() throws {
        #expect(try JSONCheck(parsing: ".a == 1").failure(body: Array(#"{"a":1.0}"#.utf8)) == nil)
        #expect(try JSONCheck(parsing: ".a == 100").failure(body: Array(#"{"a":1e2}"#.utf8)) == nil)
        #expect(try JSONCheck(parsing: #".o == {"b":2,"a":1}"#).failure(body: Array(#"{"o":{"a":1,"b":2}}"#.utf8)) == nil)
        #expect(try JSONCheck(parsing: ".a == 2").failure(body: Array(#"{"a":1,"a":2}"#.utf8)) == nil)
        #expect(try JSONCheck(parsing: ".a != 1").failure(body: Array(#"{"a":1.5}"#.utf8)) == nil)
        #expect(try JSONCheck(parsing: ".a < 2").failure(body: Array(#"{"a":1.5e0}"#.utf8)) == nil)
    }
}

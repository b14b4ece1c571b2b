import HealthProbe
import ScaleCore
import Testing

/// Per-target options in a targets file: `URL [NAME] KEY=VALUE …`, values quoted as in a shell.
@Suite("Targets file: per-target options")
struct TargetOptionsTests {
    static func parse(_ text: String) throws(ScaleError) -> [ProbeTarget] {
        try TargetList.parse(Array(text.utf8), source: "fleet.txt")
    }

    @Test("every key, with and without a NAME; quotes keep blanks and # inside a value; a comment after the options")
    func grammar() throws {
        let targets = try Self.parse(#"""
        https://api/health api expect-status=200 expect-json='.status == "UP"' header='Authorization: Bearer abc def' # prod
        http://web/ expect-body="ready \"now\" # not a comment \\d" fail-if-body=(?i)maintenance header=X-Probe:1
        http://plain/ plain
        tcp://db:5432 db

        """#)
        #expect(targets.map(\.name) == ["api", nil, "plain", "db"])
        let api = targets[0].options
        #expect(api.expectedStatuses == (try StatusSet(parsing: "200")))
        #expect(api.expectJSON == (try JSONCheck(parsing: #".status == "UP""#)))
        #expect(api.expectBody == nil && api.failIfBody == nil)
        #expect(api.headers == [HeaderField(parsing: "Authorization: Bearer abc def")!])
        #expect(api.headers.first?.value == "Bearer abc def")
        let web = targets[1].options
        #expect(web.expectBody?.description == #"ready "now" # not a comment \d"#, "\\\\ in double quotes is one backslash")
        #expect(web.failIfBody?.description == "(?i)maintenance")
        #expect(web.headers.map(\.name) == ["X-Probe"] && web.headers.map(\.value) == ["1"])
        #expect(targets[2].options.isEmpty && targets[3].options.isEmpty)
        // A backslash outside quotes is an ordinary character: \d stays a regex escape.
        let regex = try Self.parse(#"http://a/ expect-body=\d+ms"#)
        #expect(regex[0].options.expectBody?.description == #"\d+ms"#)
    }

    @Test("the URL is taken as written: a quote or # inside it is part of it")
    func urlAsWritten() throws {
        let targets = try Self.parse("http://a/it's#frag name\n")
        #expect(targets[0].url == "http://a/it's#frag" && targets[0].name == "name")
    }

    @Test("a target's options replace the run's checks for it alone")
    func applied() throws {
        let run = ProbeRules(expectedStatuses: try StatusSet(parsing: "200"), expectBody: try BodyPattern(parsing: "ok"))
        let own = try Self.parse("http://a/ expect-status=404\n")[0].options.applied(to: run)
        #expect(own.expectedStatuses == (try StatusSet(parsing: "404")))
        #expect(own.expectBody?.description == "ok", "what the line does not set stays the run's")
    }

    @Test("one URL with other options is another check; an exact repeat is dropped")
    func repeats() throws {
        let targets = try Self.parse("""
        http://a/ a200 expect-status=200
        http://a/ a404 expect-status=404
        http://a/ again expect-status=200
        http://a/
        """)
        let (unique, repeats) = TargetList.deduplicated(targets)
        #expect(unique.map(\.label) == ["a200", "a404", "http://a/"])
        #expect(repeats.map(\.label) == ["again"])
        #expect(TargetList.sharedLabel(unique) == nil)
        let clash = try Self.parse("http://a/ expect-status=200\nhttp://a/ expect-status=404\n")
        #expect(TargetList.sharedLabel(TargetList.deduplicated(clash).unique) == "http://a/")
    }

    @Test("bad options stop the run at their line, naming the key and never a header's value",
          arguments: [
              ("http://a/\nhttp://a/ x expect-stauts=200\n", "fleet.txt:2: unknown option 'expect-stauts'"),
              ("http://a/ expect-status=2xx-3xx\n", "fleet.txt:1: expect-status: '2xx-3xx' is not a status range"),
              ("http://a/ expect-body=(\n", "fleet.txt:1: expect-body: '(' is not a regular expression"),
              ("http://a/ fail-if-body=[a\n", "fleet.txt:1: fail-if-body: '[a' is not a regular expression"),
              ("http://a/ expect-json=status\n", "fleet.txt:1: expect-json: 'status' does not start with a path"),
              ("http://a/ expect-status=200 expect-status=404\n", "fleet.txt:1: expect-status is given twice"),
              ("http://a/ header='Authorization Bearer topsecret'\n", "fleet.txt:1: header: the header is not 'Name: value'"),
              ("http://a/ header=Authorization: Bearer topsecret\n", "fleet.txt:1: word 3 is not KEY=VALUE"),
              ("http://a/ n header='Cookie: topsecret\n", "fleet.txt:1: a ' quote is not closed"),
              ("http://a/ n expect-body=\"topsecret\n", "fleet.txt:1: a \" quote is not closed"),
              ("tcp://a:1 expect-status=200\n", "fleet.txt:1: expect-status does not apply to a tcp:// target"),
              ("tls://a:1 n header='X-A: topsecret'\n", "fleet.txt:1: header does not apply to a tls:// target"),
              ("http://a/ n =200\n", "fleet.txt:1: unknown option ''"),
              ("http://a/ '' x=1\n", "fleet.txt:1: word 2 is not KEY=VALUE"),
          ])
    func errors(text: String, message: String) {
        do {
            _ = try Self.parse(text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == .input)
            #expect(error.exitCode == .unknown)
            #expect(error.description.hasPrefix(message), "\(error)")
            #expect(!error.description.contains("topsecret"), "\(error)")
        }
    }
}

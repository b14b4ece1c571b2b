import HealthProbe
import ScaleCore
import Testing

@Suite("Targets: URLs, names, targets files")
struct TargetParsingTests {
    @Test("scheme, host and port as RFC 3986 reads them; default ports 80 and 443",
          arguments: [
              ("http://example.com/health", ProbeTarget.Kind.http, "example.com", 80),
              ("HTTPS://Example.com:8443/x?y#z", .https, "Example.com", 8443),
              ("https://user:pw@10.0.0.1/", .https, "10.0.0.1", 443),
              ("http://[::1]:8080/ready", .http, "::1", 8080),
              ("tcp://db.internal:5432", .tcp, "db.internal", 5432),
              ("tcp://127.0.0.1:6379/", .tcp, "127.0.0.1", 6379),
          ])
    func parses(url: String, kind: ProbeTarget.Kind, host: String, port: Int) throws {
        let target = try ProbeTarget(url: url)
        #expect(target.kind == kind)
        #expect(target.host == host)
        #expect(target.port == port)
        #expect(target.url == url, "the URL is passed on exactly as written")
    }

    @Test("a password never reaches the display form; the user name and everything else stay",
          arguments: [
              ("https://alice:s3cret@api.example.com/health", "https://alice:***@api.example.com/health"),
              ("http://bob:p%40ss@host:8080/", "http://bob:***@host:8080/"),
              ("http://carol:pa@ss@host/", "http://carol:***@host/"),
              ("http://dave@host/", "http://dave@host/"),
              ("http://host/path?user=a:b@c", "http://host/path?user=a:b@c"),
          ])
    func redacts(url: String, shown: String) throws {
        let target = try ProbeTarget(url: url)
        #expect(target.displayURL == shown)
        #expect(target.label == shown)
    }

    @Test("bad URLs are refused with a fix, and the error never shows a password",
          arguments: [
              ("example.com/health", "'example.com/health' has no scheme"),
              ("ftp://u:hunter22@files/", "'ftp://u:***@files/' has the scheme 'ftp'"),
              ("http:///path", "'http:///path' has no host"),
              ("http://host:99999/", "'http://host:99999/' has the port '99999'"),
              ("http://host:http/", "'http://host:http/' has the port 'http'"),
              ("tcp://host", "'tcp://host' has no port"),
              ("tcp://host:22/path", "'tcp://host:22/path' has a path"),
              ("http://a b/", "'http://a b/' contains a space"),
              ("http://u:hunter22@host/\u{1B}[2J", "'http://u:***@host/\u{1B}[2J' contains a control character"),
              ("http://[::1/", "'http://[::1/' has an unclosed [ in its IPv6 address"),
          ])
    func refuses(url: String, message: String) {
        #expect(throws: ScaleError.self) { try ProbeTarget(url: url) }
        do {
            _ = try ProbeTarget(url: url)
        } catch {
            #expect(error.kind == .usage)
            #expect(error.what == message)
            #expect(!error.description.contains("hunter22"))
            #expect(!error.fix.isEmpty)
        }
    }

    @Test("a targets file: URL and optional name per line, comments, blank lines, CRLF, fragments kept")
    func targetsFile() throws {
        let text = """
        # production API pool
        https://api-1.example.com/health api-1
        https://api-2.example.com/health\tapi-2   # the second one

        http://web.example.com/#frag
          tcp://db.example.com:5432   db\r
        """
        let targets = try TargetList.parse(Array(text.utf8), source: "prod.txt")
        #expect(targets.map(\.url) == ["https://api-1.example.com/health", "https://api-2.example.com/health",
                                       "http://web.example.com/#frag", "tcp://db.example.com:5432"])
        #expect(targets.map(\.name) == ["api-1", "api-2", nil, "db"])
        #expect(targets.map(\.label) == ["api-1", "api-2", "http://web.example.com/#frag", "db"])
    }

    @Test("hostile targets files stop at the line that is wrong, naming it",
          arguments: [
              ("http://a/\nhttp://b/ name extra\n", "prod.txt:2: word 3 is not KEY=VALUE"),
              ("http://a/\n\u{0}\u{1}binary\n", "prod.txt:2: the line contains the control byte 0x0"),
              ("http://a/\nnot-a-url\n", "prod.txt:2: 'not-a-url' has no scheme"),
              ("\n\nhttp://u:topsecret@h:0/\n", "prod.txt:3: 'http://u:***@h:0/' has the port '0'"),
          ])
    func hostileFiles(text: String, message: String) {
        do {
            _ = try TargetList.parse(Array(text.utf8), source: "prod.txt")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == .input)
            #expect(error.description.hasPrefix(message), "\(error)")
            #expect(!error.description.contains("topsecret"))
        }
    }

    @Test("invalid UTF-8 and over-long lines are refused, not guessed at")
    func invalidBytes() {
        let latin1: [UInt8] = Array("http://caf".utf8) + [0xE9] + Array("/ x\n".utf8)
        #expect(throws: ScaleError.input("the line is not valid UTF-8", at: "f:1", fix: "save the file as UTF-8 text")) {
            try TargetList.parse(latin1, source: "f")
        }
        let long = Array("http://a/".utf8) + Array(repeating: UInt8(ascii: "a"), count: TargetList.maxLineBytes)
        #expect(throws: ScaleError.self) { try TargetList.parse(long, source: "f") }
    }

    @Test("a URL listed twice is probed once; the repeat is reported")
    func duplicates() throws {
        let targets = try ["http://a/", "http://b/", "http://a/"].map { try ProbeTarget(url: $0) }
        let (unique, repeats) = TargetList.deduplicated(targets)
        #expect(unique.map(\.url) == ["http://a/", "http://b/"])
        #expect(repeats.map(\.url) == ["http://a/"])
    }
}

@Suite("Expected statuses")
struct StatusSetTests {
    @Test("lists, ranges and NXX classes", arguments: [
        ("200-299,301", [200, 250, 299, 301], [199, 300, 302, 503]),
        ("2xx,304", [200, 299, 304], [300, 404]),
        ("503", [503], [500, 200]),
    ])
    func membership(text: String, inside: [Int], outside: [Int]) throws {
        let set = try StatusSet(parsing: text)
        #expect(inside.allSatisfy(set.contains))
        #expect(!outside.contains(where: set.contains))
    }

    @Test("the default is what HAProxy httpchk and Kubernetes httpGet accept: 200 to 399")
    func defaultSet() {
        #expect(StatusSet.default.contains(200) && StatusSet.default.contains(399))
        #expect(!StatusSet.default.contains(400) && !StatusSet.default.contains(199))
    }

    @Test("nonsense is refused", arguments: ["", "abc", "299-200", "99", "600", "2xx-3xx", "200,,201"])
    func refuses(text: String) {
        #expect(throws: ScaleError.self) { try StatusSet(parsing: text) }
    }
}

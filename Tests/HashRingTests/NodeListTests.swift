import Testing
import HashRing

@Suite struct NodeListTests {
    @Test func parsesHostsPortsWeightsAndIPv6() throws {
        let nodes = try NodeList.parse(list: "a:11211, b:11212=3,c,[::1]:22122=2,[fe80::1]")
        #expect(nodes.map(\.name) == ["a:11211", "b:11212", "c", "[::1]:22122", "[fe80::1]"])
        #expect(nodes.map(\.host) == ["a", "b", "c", "::1", "fe80::1"])
        #expect(nodes.map(\.port) == [11211, 11212, 11211, 22122, 11211])
        #expect(nodes.map(\.weight) == [1, 3, 1, 2, 1])
        #expect(nodes.map(\.ketamaPrefix) == ["a", "b:11212", "c", "::1:22122", "fe80::1"])
    }

    @Test func parsesFiles() throws {
        let nodes = try NodeList.parse(fileText: "# pool\r\na:11211\r\n\nb:11211 2   # bigger\nc=3\n")
        #expect(nodes.map(\.name) == ["a:11211", "b:11211", "c"])
        #expect(nodes.map(\.weight) == [1, 2, 3])
    }

    static let bad: [(String, String, String)] = [
        ("", "", "the node list is empty"),
        ("a,,b", "", "entry 2 of 3 is empty"),
        ("a,b=0", "b=0", "has weight 0"),
        ("a,b=-2", "b=-2", "has a negative weight"),
        ("a,b=x", "b=x", "has a weight 'x' that is not a whole number"),
        ("a,b=1.5", "b=1.5", "has a weight '1.5' that is not a whole number"),
        ("a:11211,a", "a", "is a duplicate of 'a:11211' (entry 1): the same host and port"),
        ("A,a", "a", "is a duplicate of 'A' (entry 1): the same host and port"),
        ("a:0", "a:0", "has port '0'"),
        ("a:http", "a:http", "has port 'http'"),
        (":11211", ":11211", "has no host"),
        ("::1", "::1", "looks like an IPv6 address without brackets"),
        ("a b", "a b", "has a space or control character"),
    ]

    @Test(arguments: bad.indices)
    func namesTheBadEntry(index: Int) {
        let (list, entry, reason) = Self.bad[index]
        #expect(throws: NodeSpecError.self) { try NodeList.parse(list: list) }
        do {
            _ = try NodeList.parse(list: list)
        } catch {
            #expect(error.entry == entry, "\(list)")
            #expect(error.reason == reason, "\(list)")
        }
    }

    @Test func fileErrorsNameTheLine() {
        do {
            _ = try NodeList.parse(fileText: "a\n# c\nb 0\n")
            Issue.record("accepted weight 0")
        } catch {
            #expect(error.line == 3)
            #expect(error.entry == "b=0")
        }
        do {
            _ = try NodeList.parse(fileText: "a\nb\na\n")
            Issue.record("accepted a duplicate")
        } catch {
            #expect(error.line == 3)
            #expect(error.reason == "is a duplicate of 'a' (line 1)")
        }
    }

    /// Hostile input: binary junk and a huge list fail with a message, never a crash.
    @Test func hostileInput() {
        #expect(throws: NodeSpecError.self) { try NodeList.parse(list: "a\u{0}b") }
        #expect(throws: NodeSpecError.self) { try NodeList.parse(fileText: "\u{1B}[31mred\n") }
        let huge = (0...NodeList.maximumNodes).map { "n\($0)" }.joined(separator: ",")
        #expect(throws: NodeSpecError.self) { try NodeList.parse(list: huge) }
    }
}

import ScaleCore

/// One server on a ring: `HOST[:PORT][=WEIGHT]` as a user writes it.
public struct RingNode: Sendable, Equatable {
    /// The entry as written, without the weight (`cache-a:11211`, `cache-a`, `[::1]:11212`): the
    /// label in every output, and the string the 64-bit algorithms hash to place the node.
    public var name: String
    /// The host without IPv6 brackets, as libmemcached stores it.
    public var host: String
    /// The port; 11211 (memcached's) when the entry has none, as libmemcached does for port 0.
    public var port: Int
    public var weight: Int

    public static let memcachedPort = 11211

    public init(name: String, host: String, port: Int = RingNode.memcachedPort, weight: Int = 1) {
        self.name = name
        self.host = host
        self.port = port
        self.weight = weight
    }

    /// `host` for port 11211 and `host:port` otherwise: the prefix of ketama's point strings
    /// (`host-0`, `host:11212-0`), exactly as libmemcached's `update_continuum` prints them.
    public var ketamaPrefix: String { ketamaPrefix(.libmemcached) }

    /// The prefix of ketama's point strings under `names`: with `.hostPort` always `host:port`,
    /// the server address libketama hashes (`10.0.0.1:11211-0`).
    public func ketamaPrefix(_ names: KetamaNames) -> String {
        port == RingNode.memcachedPort && names == .libmemcached ? host : "\(host):\(port)"
    }

    /// Two entries for the same server: the same host (DNS names are case-insensitive) and port.
    var identity: String { "\(host.lowercased())|\(port)" }
}

/// A node list that cannot be used, naming the entry at fault.
public struct NodeSpecError: Error, Equatable, Sendable {
    /// The entry as written (`b:11211=0`); empty when the list itself is at fault.
    public var entry: String
    /// 1-based line of a nodes file, when the list came from one.
    public var line: Int?
    public var reason: String
    public var fix: String
}

/// Parses node lists: `--nodes a:11211,b:11211=2` and nodes files (one entry a line, an
/// optional weight after `=` or whitespace, `#` comments).
public enum NodeList {
    public static let maximumNodes = 10_000
    public static let maximumWeight = 1_000_000
    static let weightFix = "a weight is a whole number from 1 to \(maximumWeight) after '=' (host:port=3)"

    /// `a:11211,b:11211=2,[::1]:11212`.
    public static func parse(list: String) throws(NodeSpecError) -> [RingNode] {
        var nodes: [RingNode] = []
        let entries = list.split(separator: ",", omittingEmptySubsequences: false)
        for (index, raw) in entries.enumerated() {
            let entry = raw.trimmingCharacters
            if entry.isEmpty {
                if entries.count == 1 { break }
                throw NodeSpecError(entry: "", line: nil, reason: "entry \(index + 1) of \(entries.count) is empty",
                                    fix: "remove the extra comma")
            }
            nodes.append(try parse(entry: entry, line: nil))
        }
        return try validated(nodes, lines: nil)
    }

    /// A nodes file: `host:port`, `host:port=3` or `host:port 3` a line; blank lines and `#` comments skipped.
    public static func parse(fileText: String) throws(NodeSpecError) -> [RingNode] {
        var nodes: [RingNode] = []
        var lines: [Int] = []
        var number = 0
        for raw in fileText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var text = Substring(raw)
            if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
            let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard !words.isEmpty else { continue }
            var entry = String(words[0])
            if words.count == 2, !entry.contains("=") {
                entry += "=" + words[1]
            } else if words.count > 1 {
                throw NodeSpecError(entry: String(text.trimmingCharacters), line: number,
                                    reason: "has \(words.count) words", fix: "write one entry a line: host:port, host:port=WEIGHT or host:port WEIGHT")
            }
            nodes.append(try parse(entry: entry, line: number))
            lines.append(number)
        }
        return try validated(nodes, lines: lines)
    }

    static func parse(entry: String, line: Int?) throws(NodeSpecError) -> RingNode {
        func fail(_ reason: String, _ fix: String) -> NodeSpecError {
            NodeSpecError(entry: entry, line: line, reason: reason, fix: fix)
        }
        var address = Substring(entry)
        var weight = 1
        if let eq = entry.lastIndex(of: "=") {
            address = entry[..<eq]
            let text = entry[entry.index(after: eq)...]
            guard let value = Int(text) else {
                if text.hasPrefix("-"), Int(text.dropFirst()) != nil { throw fail("has a negative weight", weightFix) }
                throw fail(text.isEmpty ? "has '=' but no weight" : "has a weight '\(text)' that is not a whole number", weightFix)
            }
            guard value != 0 else { throw fail("has weight 0", weightFix + "; remove the node to take it out") }
            guard value > 0 else { throw fail("has a negative weight", weightFix) }
            guard value <= maximumWeight else { throw fail("has a weight above \(maximumWeight)", weightFix) }
            weight = value
        }
        guard !address.isEmpty else { throw fail("has no host", "write host, host:port or [ipv6]:port") }
        guard !address.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F || $0 == UInt8(ascii: ",") }) else {
            throw fail("has a space or control character", "write host, host:port or [ipv6]:port")
        }
        var host = address
        var portText: Substring?
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { throw fail("has '[' without ']'", "write an IPv6 address as [::1]:11211") }
            host = address[address.index(after: address.startIndex)..<close]
            let rest = address[address.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":") else { throw fail("has text after ']'", "write an IPv6 address as [::1]:11211") }
                portText = rest.dropFirst()
            }
        } else if let colon = address.lastIndex(of: ":") {
            guard address.firstIndex(of: ":") == colon else {
                throw fail("looks like an IPv6 address without brackets", "write it as [\(address)]:11211")
            }
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        }
        guard !host.isEmpty else { throw fail("has no host", "write host, host:port or [ipv6]:port") }
        var port = RingNode.memcachedPort
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                throw fail("has port '\(portText)'", "a port is a whole number from 1 to 65535")
            }
            port = value
        }
        return RingNode(name: String(address), host: String(host), port: port, weight: weight)
    }

    static func validated(_ nodes: [RingNode], lines: [Int]?) throws(NodeSpecError) -> [RingNode] {
        guard !nodes.isEmpty else {
            throw NodeSpecError(entry: "", line: nil, reason: "the node list is empty", fix: "name at least one node, e.g. \(Parameter.nodes) cache-a:11211,cache-b:11211")
        }
        guard nodes.count <= maximumNodes else {
            throw NodeSpecError(entry: "", line: nil, reason: "has \(nodes.count) nodes, more than \(maximumNodes)", fix: "split the ring")
        }
        var seen: [String: Int] = [:]
        for (index, node) in nodes.enumerated() {
            if let first = seen[node.identity] {
                let firstName = nodes[first].name
                let place = lines.map { "line \($0[first])" } ?? "entry \(first + 1)"
                throw NodeSpecError(entry: node.name, line: lines?[index],
                                    reason: "is a duplicate of '\(firstName)' (\(place))" + (firstName == node.name ? "" : ": the same host and port"),
                                    fix: "list each server once; give it a weight (=2) to give it more of the ring")
            }
            seen[node.identity] = index
        }
        return nodes
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and CR.
    var trimmingCharacters: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\r" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}

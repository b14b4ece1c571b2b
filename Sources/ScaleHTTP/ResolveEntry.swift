/// A `--resolve` entry as libcurl reads it, `[+]HOST:PORT:ADDRESS[,ADDRESS…]`: the name (a
/// leading `+`, libcurl's "keep trying", is not part of it; compared without case), the port
/// and the addresses, brackets removed. The one parser of that syntax, for checking an entry
/// and for reading the addresses it gives.
public struct ResolveEntry: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var addresses: [String]

    public init?(_ entry: String) {
        let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, let port = Int(parts[1]), (1...65_535).contains(port) else { return nil }
        let host = parts[0].hasPrefix("+") ? parts[0].dropFirst() : parts[0]
        guard !host.isEmpty, !parts[2].isEmpty else { return nil }
        self.host = String(host)
        self.port = port
        var addresses: [String] = []
        for item in parts[2].split(separator: ",") {
            let bare = String(item.hasPrefix("[") && item.hasSuffix("]") ? item.dropFirst().dropLast() : item)
            if !addresses.contains(bare) { addresses.append(bare) }
        }
        self.addresses = addresses
    }

    /// Whether the entry answers for `host`:`port` (libcurl compares names without case).
    public func answers(host other: String, port otherPort: Int) -> Bool {
        port == otherPort && host.lowercased() == other.lowercased()
    }
}

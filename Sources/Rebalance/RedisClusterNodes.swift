public import ScaleCore

/// A Redis Cluster master as `redis-cli --cluster rebalance` sees it.
public struct RedisMaster: Sendable, Equatable {
    /// What redis-cli prints for it: `ip:port` (or the name given with --nodes).
    public var name: String
    /// The 40-character node id, when known (`--weight` may abbreviate it).
    public var id: String?
    /// Slots it serves, ascending.
    public var slots: [Int]

    public init(name: String, id: String? = nil, slots: [Int]) {
        self.name = name
        self.id = id
        self.slots = slots
    }
}

/// Parses `CLUSTER NODES` output (`redis-cli cluster nodes`): one node per line,
/// `<id> <ip:port@cport[,hostname]> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`.
/// Masters come back in the order redis-cli loads them when pointed at the node that printed
/// this output: the `myself` line first, then the others in the order listed.
public enum RedisClusterNodes {
    public static let slotCount = 16384

    public static func parse(_ bytes: [UInt8], source: String) throws(ScaleError) -> [RedisMaster] {
        var myself: RedisMaster?
        var others: [RedisMaster] = []
        var covered = Array(repeating: false, count: slotCount)
        var sawLine = false
        for (number, line) in TextLines.split(bytes).enumerated() {
            let location = "\(source):\(number + 1)"
            let text = try TextLines.decode(line, at: location).trimmingSpaces
            if text.isEmpty { continue }
            sawLine = true
            let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count >= 8 else {
                throw .input("expected at least 8 fields (id, address, flags, master, ping, pong, epoch, link state), found \(fields.count)",
                             at: location, fix: "give the output of 'redis-cli -h HOST -p PORT cluster nodes'")
            }
            let flags = fields[2].split(separator: ",").map(String.init)
            // redis-cli skips replicas: a "slave" flag or a master id other than "-".
            if flags.contains("slave") || fields[3] != "-" { continue }
            if flags.contains("fail") || flags.contains("fail?") || flags.contains("handshake") || flags.contains("noaddr") {
                throw .input("master \(fields[0].prefix(8)) is flagged \(fields[2])", at: location,
                             fix: "fix the cluster first (redis-cli --cluster check); redis-cli refuses to rebalance it too")
            }
            // ip:port@cport[,hostname] → ip:port
            var address = Substring(fields[1])
            if let comma = address.firstIndex(of: ",") { address = address[..<comma] }
            if let at = address.firstIndex(of: "@") { address = address[..<at] }
            var slots: [Int] = []
            for entry in fields.dropFirst(8) {
                if entry.hasPrefix("[") {
                    throw .input("slot \(entry) is being migrated or imported", at: location,
                                 fix: "finish or fix the migration first (redis-cli --cluster fix); redis-cli refuses to rebalance open slots")
                }
                let bounds = entry.split(separator: "-", maxSplits: 1).map { Int($0) }
                guard let low = bounds.first ?? nil, let high = bounds.count == 2 ? bounds[1] : Optional(low),
                      low >= 0, high >= low, high < slotCount else {
                    throw .input("'\(entry)' is not a slot or slot range (0–16383)", at: location)
                }
                for slot in low...high {
                    guard !covered[slot] else {
                        throw .input("slot \(slot) is served by two masters", at: location, fix: "fix the cluster first (redis-cli --cluster fix)")
                    }
                    covered[slot] = true
                    slots.append(slot)
                }
            }
            let master = RedisMaster(name: String(address), id: fields[0], slots: slots.sorted())
            if flags.contains("myself") && myself == nil { myself = master } else { others.append(master) }
        }
        guard sawLine else { throw .input("no CLUSTER NODES lines", at: source, fix: "pipe 'redis-cli -h HOST -p PORT cluster nodes' into it") }
        let uncovered = covered.lazy.filter { !$0 }.count
        guard uncovered == 0 else {
            throw .input("\(uncovered) of 16384 slots are not served by any master", at: source,
                         fix: "fix the cluster first (redis-cli --cluster fix); redis-cli refuses to rebalance it too")
        }
        return (myself.map { [$0] } ?? []) + others
    }

    /// Masters from `--nodes NAME=SLOTS,…`: slot counts laid out as contiguous ranges in the
    /// order given (as `redis-cli --cluster create` lays them out), adding up to 16384.
    public static func fromCounts(_ pairs: [(key: String, value: String)]) throws(ScaleError) -> [RedisMaster] {
        var counts: [(name: String, count: Int)] = []
        for (name, value) in pairs {
            guard let count = Int(value), count >= 0, count <= slotCount else {
                throw .usage("'\(value)' is not a slot count for \(name)", about: .nodes, fix: "write NAME=SLOTS, e.g. a=5461,b=5462,c=5461,d=0")
            }
            guard !counts.contains(where: { $0.name == name }) else { throw .usage("\(name) is listed twice", about: .nodes) }
            counts.append((name, count))
        }
        let total = counts.reduce(0) { $0 + $1.count }
        guard total == slotCount else {
            throw .usage("the slot counts add up to \(total), not 16384", about: .nodes, fix: "give every master's current slot count; they must cover all 16384 slots")
        }
        var masters: [RedisMaster] = []
        var next = 0
        for (name, count) in counts {
            masters.append(RedisMaster(name: name, slots: Array(next..<next + count)))
            next += count
        }
        return masters
    }
}

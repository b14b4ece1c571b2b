/// libmemcached's weighted ketama (`MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED`, distribution
/// `MEMCACHED_DISTRIBUTION_CONSISTENT_WEIGHTED`, MD5 for keys and points), byte for byte as
/// libmemcached 1.1's `update_continuum` builds it and `dispatch_host` reads it:
///
/// - server s gets `floor((float)w/(float)W × 160/4 × n + 1e-10) × 4` points, in 32-bit float;
/// - its point strings are `host-i` (port 11211) or `host:port-i`, for i in 0 ..< points/4;
/// - MD5 of a point string gives 4 points: the little-endian UInt32s at digest bytes 0, 4, 8, 12;
/// - points sort by (value, server index); a key's hash is the little-endian UInt32 of MD5(key)
///   bytes 0–3, owned by the first point ≥ it, wrapping to the first point.
public final class KetamaRing: ConsistentHash {
    public static let libmemcachedPoints = 160
    /// The most servers libmemcached 1.1 takes in a ketama ring: adding the 101st fails the assert
    /// `memcached_server_count(ptr) * MEMCACHED_POINTS_PER_SERVER <= MEMCACHED_CONTINUUM_SIZE`
    /// (n × 100 ≤ 100 × 100) in `update_continuum` and aborts the client, whatever the weights.
    public static let libmemcachedMaximumServers = 100

    public let algorithm = Algorithm.ketama
    public let nodes: [RingNode]
    public let pointsPerServer: Int
    public let names: KetamaNames
    public let continuum: Continuum<UInt32>
    /// Points each server got (a multiple of 4; the float rounding can take 4 away).
    public let pointCounts: [Int]
    /// Points each server would get in exact arithmetic, floor(w/W × points/4 × n) × 4: where
    /// `pointCounts` is lower, libmemcached's 32-bit float landed just below a whole number.
    public let exactPointCounts: [Int]

    public init(nodes: [RingNode], pointsPerServer: Int = KetamaRing.libmemcachedPoints, names: KetamaNames = .libmemcached) {
        self.nodes = nodes
        self.pointsPerServer = pointsPerServer
        self.names = names
        let total = nodes.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
        let counts = nodes.map { Self.pointCount(weight: $0.weight, totalWeight: total, servers: nodes.count, pointsPerServer: pointsPerServer) }
        var points: [(value: UInt32, owner: UInt32)] = []
        points.reserveCapacity(counts.reduce(0, +))
        for (index, node) in nodes.enumerated() {
            for words in Self.pointWords(node, groups: counts[index] / 4, names: names) {
                for value in [words.w0, words.w1, words.w2, words.w3] { points.append((value, UInt32(index))) }
            }
        }
        pointCounts = counts
        exactPointCounts = nodes.map {
            Int(UInt64($0.weight) * UInt64(pointsPerServer / 4) * UInt64(nodes.count) / total) * 4
        }
        continuum = Continuum(points: points, nodeCount: nodes.count)
    }

    /// libmemcached's point count for one server, in 32-bit float as C evaluates it:
    /// `pct * 160 / 4 * (float)live` rounds at every step, so weights 1,6,6,6,6 give 28 and 188
    /// points, not 32 and 192.
    public static func pointCount(weight: Int, totalWeight: UInt64, servers: Int, pointsPerServer: Int = libmemcachedPoints) -> Int {
        let pct = Float(weight) / Float(totalWeight)
        let groups = pct * Float(pointsPerServer) / 4 * Float(servers)
        return Int((Double(groups) + 0.0000000001).rounded(.down)) * 4
    }

    /// The MD5 digests of a server's point strings `prefix-0` … `prefix-(groups-1)`.
    static func pointWords(_ node: RingNode, groups: Int, names: KetamaNames) -> [MD5.Words] {
        var label = PointLabel(prefix: node.ketamaPrefix(names))
        return (0..<groups).map { i in label.with(index: i) { MD5.digest($0) } }
    }

    /// The key's ketama hash: MD5(key) bytes 0–3, little-endian.
    @inlinable
    public static func hash(_ key: UnsafeRawBufferPointer) -> UInt32 {
        MD5.digest(key).w0
    }

    public func owner(of key: UnsafeRawBufferPointer) -> Int {
        continuum.owner(for: Self.hash(key))
    }

    public func shares() -> Shares {
        Shares(ratios: continuum.shareRatios(), method: .arcs)
    }

    public var memoryBytes: Int { continuum.count * 8 }

    public var lookupCost: String {
        "1 MD5 + \(binarySearchSteps(continuum.count))-step search"
    }

    /// Servers the float rounding took points from: indices where `pointCounts` < `exactPointCounts`.
    public var roundedDown: [Int] {
        nodes.indices.filter { pointCounts[$0] < exactPointCounts[$0] }
    }
}

/// How ketama names a server's points, the strings whose MD5s place it on the ring.
public enum KetamaNames: String, CaseIterable, Sendable {
    /// libmemcached's: `host-i` on port 11211, `host:port-i` on any other port.
    case libmemcached
    /// libketama's (and clients that copy it): `host:port-i` on every port, port 11211 too,
    /// the server address as libketama's server file writes it.
    case hostPort = "host-port"
}

/// Steps of a binary search over `count` sorted points.
func binarySearchSteps(_ count: Int) -> Int {
    var steps = 0
    var n = count
    while n > 0 { steps += 1; n >>= 1 }
    return steps
}

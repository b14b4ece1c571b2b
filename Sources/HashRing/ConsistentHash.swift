public import ScaleCore

/// The one protocol every algorithm implements: nodes and weights in, `owner(of: key)` out.
/// Owners are indices into `nodes`. Bounded loads remembers the keys it has placed, so the
/// algorithms are classes and `owner(of:)` may change state.
public protocol ConsistentHash: AnyObject {
    var algorithm: Algorithm { get }
    var nodes: [RingNode] { get }
    /// The owner of a key's bytes.
    func owner(of key: UnsafeRawBufferPointer) -> Int
    /// Each node's share of the hash space, and how it was found.
    func shares() -> Shares
    /// Bytes of lookup state (points, tables, seeds), not counting node names.
    var memoryBytes: Int { get }
    /// What one lookup costs, in hashes and steps (`1 MD5 + 11-step binary search`).
    var lookupCost: String { get }
    /// A fresh copy with no remembered keys (only bounded loads has any).
    func reset() -> any ConsistentHash
}

extension ConsistentHash {
    public func owner(of key: [UInt8]) -> Int { key.withUnsafeBytes { owner(of: $0) } }

    public func owner(of key: String) -> Int {
        var copy = key
        return copy.withUTF8 { owner(of: UnsafeRawBufferPointer($0)) }
    }

    public func reset() -> any ConsistentHash { self }
}

public enum Algorithm: String, CaseIterable, Sendable {
    case ketama, vnodes, jump, rendezvous, maglev, multiprobe, bounded

    public var summary: String {
        switch self {
        case .ketama: return "libmemcached weighted ketama: 160 MD5 points per server at mean weight"
        case .vnodes: return "ring with N virtual nodes per unit of weight, placed by XXH64"
        case .jump: return "jump consistent hash (Lamping & Veach 2014) of XXH64(key)"
        case .rendezvous: return "rendezvous / highest random weight, score -w/ln(u)"
        case .maglev: return "Maglev lookup table of prime size M"
        case .multiprobe: return "multi-probe consistent hashing, k probes, one point per node"
        case .bounded: return "consistent hashing with bounded loads over the vnode ring"
        }
    }

    /// Whether the algorithm has weights; jump and multi-probe have none.
    public var supportsWeights: Bool { self != .jump && self != .multiprobe }
}

/// The knobs of every algorithm, with the published defaults.
public struct RingOptions: Sendable, Equatable {
    /// ketama: points per server at mean weight (libmemcached: 160, a multiple of 4);
    /// vnodes and bounded: virtual nodes per unit of weight.
    public var vnodes: Int?
    /// Maglev's lookup-table size M, a prime (the paper's 65537).
    public var tableSize: Int
    /// Multi-probe's probes per key (the paper's 21).
    public var probes: Int
    /// Bounded loads' capacity factor c: no node takes more than ⌈c·m·w/W⌉ of m keys.
    public var capacityFactor: Double
    /// ketama: libmemcached's point names, or libketama's with the port always in.
    public var ketamaNames: KetamaNames

    public static let defaultVnodes = 160

    public init(vnodes: Int? = nil, tableSize: Int = 65537, probes: Int = 21, capacityFactor: Double = 1.25,
                ketamaNames: KetamaNames = .libmemcached) {
        self.vnodes = vnodes
        self.ketamaNames = ketamaNames
        self.tableSize = tableSize
        self.probes = probes
        self.capacityFactor = capacityFactor
    }
}

/// Why a ring cannot be built from these nodes and options; the CLI turns it into exit 64.
public struct RingError: Error, Equatable, Sendable {
    /// The input at fault (vnodes, table size), or the node list.
    public var parameter: Parameter
    public var reason: String
    public var fix: String
}

/// Each node's share of the hash space (ratios summing to 1) and how it was found.
public struct Shares: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        /// From the ring's arcs, exactly (ketama, vnodes).
        case arcs
        /// From the lookup table's entries, exactly (Maglev).
        case table
        /// The closed-form expectation over uniformly random keys (jump, rendezvous, multi-probe).
        case expectation
        /// By placing this many generated keys in order (bounded loads, whose owners depend on order).
        case simulation(keys: Int)

        public var text: String {
            switch self {
            case .arcs: return "exact, from the ring's arcs"
            case .table: return "exact, from the lookup table"
            case .expectation: return "exact expectation over uniform keys"
            case .simulation(let keys): return "simulated with \(keys) generated keys"
            }
        }
    }

    public var ratios: [Double]
    public var method: Method

    public init(ratios: [Double], method: Method) {
        self.ratios = ratios
        self.method = method
    }
}

/// Builds the ring for an algorithm, refusing options that do not fit it.
public enum RingFactory {
    /// Points a ring may have: 4 Mi points keep a ring and its sort under about 100 MB.
    public static let maximumPoints = 1 << 22

    public static func make(_ algorithm: Algorithm, nodes: [RingNode], options: RingOptions = RingOptions()) throws(RingError) -> any ConsistentHash {
        guard !nodes.isEmpty else { throw RingError(parameter: .nodes, reason: "the node list is empty", fix: "name at least one node") }
        if !algorithm.supportsWeights, let weighted = nodes.first(where: { $0.weight != nodes[0].weight }) {
            throw RingError(parameter: .nodes, reason: "\(algorithm.rawValue) has no weights, but '\(weighted.name)' has weight \(weighted.weight) and '\(nodes[0].name)' \(nodes[0].weight)",
                            fix: "drop the weights, or use ketama, vnodes, rendezvous, maglev or bounded")
        }
        switch algorithm {
        case .ketama:
            let points = options.vnodes ?? KetamaRing.libmemcachedPoints
            guard points >= 4, points % 4 == 0, points <= 1 << 16 else {
                throw RingError(parameter: .vnodes, reason: "ketama takes points per server in multiples of 4 (each MD5 gives 4 points), from 4 to 65536; got \(points)",
                                fix: "use 160 to match libmemcached")
            }
            try checkTotal(Double(points) * Double(nodes.count))
            let ring = KetamaRing(nodes: nodes, pointsPerServer: points, names: options.ketamaNames)
            guard ring.continuum.count > 0 else {
                throw RingError(parameter: .vnodes, reason: "\(points) points per server rounds every server down to no points", fix: "use 160 to match libmemcached")
            }
            return ring
        case .vnodes, .bounded:
            let vnodes = options.vnodes ?? RingOptions.defaultVnodes
            guard vnodes >= 1, vnodes <= 1 << 16 else {
                throw RingError(parameter: .vnodes, reason: "virtual nodes per unit of weight run from 1 to 65536; got \(vnodes)", fix: "try 160")
            }
            try checkTotal(Double(vnodes) * Double(nodes.reduce(0) { $0 + $1.weight }))
            let ring = VnodeRing(nodes: nodes, vnodesPerWeight: vnodes)
            if algorithm == .vnodes { return ring }
            guard options.capacityFactor >= 1, options.capacityFactor <= 100 else {
                throw RingError(parameter: .capacityFactor, reason: "the capacity factor c runs from 1 to 100; got \(options.capacityFactor)",
                                fix: "use 1.25 (Mirrokni et al.); c = 1 forces perfect balance at the cost of many moves")
            }
            return BoundedLoads(ring: ring, capacityFactor: options.capacityFactor)
        case .jump:
            return JumpHash(nodes: nodes)
        case .rendezvous:
            return Rendezvous(nodes: nodes)
        case .maglev:
            let size = options.tableSize
            guard size >= 3, size <= 1 << 24, isPrime(size) else {
                throw RingError(parameter: .tableSize, reason: "the Maglev table size must be a prime from 3 to \(1 << 24); got \(size)",
                                fix: "use 65537 (the paper's), or a prime near 100 times the node count: \(nextPrime(max(3, 100 * nodes.count)))")
            }
            guard size >= nodes.count else {
                throw RingError(parameter: .tableSize, reason: "a table of \(size) entries cannot hold \(nodes.count) nodes",
                                fix: "use a prime of at least 100 times the node count: \(nextPrime(100 * nodes.count))")
            }
            return MaglevTable(nodes: nodes, size: size)
        case .multiprobe:
            guard options.probes >= 1, options.probes <= 1000 else {
                throw RingError(parameter: .probes, reason: "probes run from 1 to 1000; got \(options.probes)", fix: "use 21 (Appleton & O'Reilly: peak-to-mean about 1.05)")
            }
            return MultiProbe(nodes: nodes, probes: options.probes)
        }
    }

    static func checkTotal(_ points: Double) throws(RingError) {
        guard points <= Double(maximumPoints) else {
            throw RingError(parameter: .vnodes, reason: "the ring would have \(Int(points)) points, more than \(maximumPoints)", fix: "use fewer virtual nodes")
        }
    }

    public static func isPrime(_ n: Int) -> Bool {
        guard n >= 2 else { return false }
        if n < 4 { return true }
        if n % 2 == 0 { return false }
        var d = 3
        while d * d <= n {
            if n % d == 0 { return false }
            d += 2
        }
        return true
    }

    public static func nextPrime(_ n: Int) -> Int {
        var candidate = max(2, n)
        while !isPrime(candidate) { candidate += 1 }
        return candidate
    }
}

/// Writes `name-index` into a reused byte buffer: the point strings of ketama (`host-3`) and
/// the vnode labels (`cache-a:6379-17`), without a String per point.
struct PointLabel {
    private var bytes: [UInt8]
    private let prefixCount: Int

    init(prefix: String) {
        bytes = Array(prefix.utf8) + [UInt8(ascii: "-")]
        prefixCount = bytes.count
    }

    mutating func with<R>(index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        bytes.removeSubrange(prefixCount...)
        if index == 0 { bytes.append(UInt8(ascii: "0")) } else {
            var digits: [UInt8] = []
            var n = index
            while n > 0 { digits.append(UInt8(ascii: "0") + UInt8(n % 10)); n /= 10 }
            bytes.append(contentsOf: digits.reversed())
        }
        return bytes.withUnsafeBytes(body)
    }
}

/// A uniform double in (0, 1) from 64 random bits: never 0, so ln(u) is finite.
@inlinable
func unitInterval(_ bits: UInt64) -> Double {
    (Double(bits >> 11) + 0.5) * 0x1p-53
}

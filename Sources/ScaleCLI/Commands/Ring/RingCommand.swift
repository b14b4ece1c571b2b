import HashRing
import ScaleCore

/// `scalectl ring plan|lookup|diff`: consistent-hash rings — how even, who owns a key, what
/// moves. The sub-commands live in RingPlanCommand.swift, RingLookupCommand.swift and
/// RingDiffCommand.swift; the node and algorithm options they share are here.
enum RingCommand {
    static let spec = CommandSpec(
        "ring",
        summary: "plan consistent-hash rings: balance, key owners, movement on change",
        discussion: """
        Client-side sharding (memcached clients, twemproxy, Redis clients), Envoy and Nginx hash \
        balancing and Cassandra-style vnodes all place keys on a consistent-hash ring. 'ring plan' \
        shows how evenly a ring spreads the hash space and how many vnodes reach a target balance, \
        'ring lookup' prints the owner of each key, and 'ring diff' shows what moves when nodes join, \
        leave or change weight. Nodes are written HOST[:PORT][=WEIGHT], comma-separated \
        (--nodes a:11211,b:11211,c:11211=2) or one a line in a file (--nodes-file; the weight after \
        '=' or a space; '#' starts a comment). Without a port a node is on 11211, as in libmemcached. \
        The default algorithm, ketama, is byte-exact with libmemcached 1.1's weighted ketama \
        (MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED): a server of weight w among n servers of total weight W \
        gets floor(w/W x 160/4 x n) x 4 points, computed in 32-bit float as libmemcached does; its \
        point strings are 'host-i' on port 11211 and 'host:port-i' otherwise; each MD5 gives 4 points \
        (the little-endian 32-bit words at digest bytes 0, 4, 8 and 12); a key hashes to the \
        little-endian word at MD5(key) bytes 0-3 and belongs to the first point at or above it, \
        wrapping to the first point. The float floor can give servers 4 points fewer than their \
        weight's exact share (156, not 160, for 25 equal servers); plan says so. libmemcached 1.1 \
        holds at most 100 ketama servers and aborts when a 101st is added: past 100, plan, lookup \
        and diff still answer, with a note. --ketama-names host-port hashes 'host:port-i' on every \
        port, port 11211 too, as libketama does with its 'ip:port' server names. The other algorithms hash with XXH64 (seed 0): vnodes (N points \
        per unit of weight at XXH64('NAME-i')), jump (Lamping and Veach 2014, no weights), rendezvous \
        (highest score -w/ln(u) wins), maglev (table of prime size M, default 65537), multiprobe (one \
        point per node, k probes, default 21, no weights) and bounded (bounded loads over the vnode \
        ring: no node holds more than ceil(c x m x w/W) of m keys, c default 1.25). A bad node list \
        (empty, a duplicate host and port, a weight that is zero, negative or not a whole number) exits \
        64 naming the entry.
        """,
        subcommands: [RingPlanCommand.spec, RingLookupCommand.spec, RingDiffCommand.spec]
    )

    /// The options every ring sub-command takes: where the nodes come from and the algorithm's knobs.
    enum NodeOption {
        static let nodes = OptionSpec("nodes", value: "NODES", help: "the nodes, comma-separated: HOST[:PORT][=WEIGHT],...")
        static let nodesFile = OptionSpec("nodes-file", value: "FILE", completion: .file, help: "read the nodes from a file, one HOST[:PORT][=WEIGHT] a line")
    }

    static let nodeOptions: [OptionSpec] = [NodeOption.nodes, NodeOption.nodesFile]

    enum AlgorithmOption {
        static let algorithm = OptionSpec("algorithm", short: "a", value: "NAME", allowed: Algorithm.allCases.map(\.rawValue), default: "ketama",
                                          help: "the placement algorithm: " + Algorithm.allCases.map(\.rawValue).joined(separator: ", "))
        static let vnodes = OptionSpec("vnodes", value: "N", help: "ketama: points per server at mean weight (default 160, as libmemcached; a multiple of 4); vnodes and bounded: points per unit of weight (default 160)",
                                       brief: "ring points per server (ketama, vnodes, bounded; default 160)")
        static let tableSize = OptionSpec("table-size", value: "M", default: "65537", help: "maglev: the lookup table's size, a prime")
        static let probes = OptionSpec("probes", value: "K", default: "21", help: "multiprobe: probes per key")
        static let capacityFactor = OptionSpec("capacity-factor", value: "C", default: "1.25", help: "bounded: no node holds more than C times its fair share of the keys")
        static let ketamaNames = OptionSpec("ketama-names", value: "STYLE", allowed: KetamaNames.allCases.map(\.rawValue), default: KetamaNames.libmemcached.rawValue,
                                            help: "ketama: the strings hashed into a server's points: libmemcached ('host-i' on port 11211, 'host:port-i' on other ports) or host-port ('host:port-i' on every port, as libketama hashes '10.0.0.1:11211-i')",
                                            brief: "ketama point names: libmemcached or host-port (libketama)")
    }

    static let algorithmOptions: [OptionSpec] = [AlgorithmOption.algorithm, AlgorithmOption.vnodes, AlgorithmOption.tableSize,
                                                 AlgorithmOption.probes, AlgorithmOption.capacityFactor, AlgorithmOption.ketamaNames]
}

/// Reading nodes and ring options from an invocation, with errors that name the entry.
enum RingInput {
    static let nodesFileLimit = 4 << 20

    static func nodes(_ invocation: Invocation, list: OptionSpec = RingCommand.NodeOption.nodes,
                      file: OptionSpec = RingCommand.NodeOption.nodesFile) throws(ScaleError) -> [RingNode] {
        let text = invocation.value(list)
        let path = invocation.value(file)
        switch (text, path) {
        case (nil, nil):
            throw .usage("no nodes given", at: "--\(list.long)", fix: "give --\(list.long) a:11211,b:11211 or --\(file.long) FILE")
        case (.some, .some):
            throw .usage("--\(list.long) and --\(file.long) both given", at: "--\(list.long)", fix: "give the nodes one way")
        case (let text?, nil):
            do { return try NodeList.parse(list: text) } catch { throw usage(error, at: "--\(list.long)") }
        case (nil, let path?):
            let bytes = try InputFile.read(path, limit: nodesFileLimit, what: "nodes file")
            do {
                return try NodeList.parse(fileText: String(decoding: bytes, as: UTF8.self))
            } catch {
                throw usage(error, at: error.line.map { "\(path):\($0)" } ?? path)
            }
        }
    }

    static func usage(_ error: NodeSpecError, at location: String) -> ScaleError {
        let what = error.entry.isEmpty ? error.reason : "node '\(error.entry)' \(error.reason)"
        return .usage(what, at: location, fix: error.fix)
    }

    static func algorithm(_ invocation: Invocation) -> Algorithm {
        invocation.value(RingCommand.AlgorithmOption.algorithm).flatMap(Algorithm.init(rawValue:)) ?? .ketama
    }

    static func options(_ invocation: Invocation) throws(ScaleError) -> RingOptions {
        var options = RingOptions()
        options.vnodes = try invocation.integer(RingCommand.AlgorithmOption.vnodes, range: 1...(1 << 16))
        options.tableSize = try invocation.integer(RingCommand.AlgorithmOption.tableSize, range: 3...(1 << 24)) ?? options.tableSize
        options.probes = try invocation.integer(RingCommand.AlgorithmOption.probes, range: 1...1000) ?? options.probes
        if let text = invocation.value(RingCommand.AlgorithmOption.capacityFactor) {
            guard let c = Double(text.trimmingSpaces), c >= 1, c <= 100 else {
                throw .usage("'\(text)' is not a capacity factor from 1 to 100", at: "--capacity-factor", fix: "use 1.25 (Mirrokni et al.)")
            }
            options.capacityFactor = c
        }
        options.ketamaNames = invocation.value(RingCommand.AlgorithmOption.ketamaNames).flatMap(KetamaNames.init(rawValue:)) ?? .libmemcached
        return options
    }

    static func ring(_ algorithm: Algorithm, nodes: [RingNode], options: RingOptions,
                     list: OptionSpec = RingCommand.NodeOption.nodes) throws(ScaleError) -> any ConsistentHash {
        do {
            return try RingFactory.make(algorithm, nodes: nodes, options: options)
        } catch {
            // HashRing names the parameter its error is about; the node list may have been --to.
            throw .usage(error.reason, about: error.parameter.name == RingCommand.NodeOption.nodes.long ? list.parameter : error.parameter, fix: error.fix)
        }
    }

    /// Notes that keep a reader from misreading the figures.
    static func notes(_ ring: any ConsistentHash) -> [String] {
        var notes: [String] = []
        if let ketama = ring as? KetamaRing, ketama.pointsPerServer != KetamaRing.libmemcachedPoints {
            notes.append("\(ketama.pointsPerServer) points per server is not what libmemcached builds (160): clients will not agree with this ring")
        }
        if let ketama = ring as? KetamaRing, ketama.pointCounts.contains(0) {
            let empty = ketama.nodes.indices.filter { ketama.pointCounts[$0] == 0 }.map { ketama.nodes[$0].name }
            notes.append("no points at all for \(empty.joined(separator: ", ")): its weight is too small a share of the total")
        }
        if let ketama = ring as? KetamaRing, ketama.names == .hostPort, ketama.nodes.contains(where: { $0.port == RingNode.memcachedPort }) {
            notes.append("points named host:port-i on port 11211 too, as libketama does; libmemcached names them host-i, so its clients place keys elsewhere")
        }
        return notes + clientLimitNotes(ring)
    }

    /// Where libmemcached clients cannot follow: a ketama ring with more servers than libmemcached
    /// holds. A note, not a refusal: other ketama clients take more.
    static func clientLimitNotes(_ rings: (any ConsistentHash)...) -> [String] {
        let servers = rings.compactMap { ($0 as? KetamaRing)?.nodes.count }.max() ?? 0
        let limit = KetamaRing.libmemcachedMaximumServers
        guard servers > limit else { return [] }
        return ["libmemcached 1.1 clients cannot load \(servers) ketama servers: they hold at most \(limit) (the continuum is sized for \(limit) servers) and abort on an internal assert when server \(limit + 1) is added; other ketama clients may take more"]
    }

    /// Why servers have fewer points than their weight's exact share: libmemcached's float floor.
    static func roundingNotes(_ ring: any ConsistentHash) -> [String] {
        guard let ketama = ring as? KetamaRing else { return [] }
        let down = ketama.roundedDown
        guard let first = down.first else { return [] }
        let n = ketama.nodes.count, groups = ketama.pointsPerServer / 4
        if down.count == n, Set(ketama.pointCounts).count == 1 {
            return ["every server gets \(ketama.pointCounts[first]) points, not \(ketama.exactPointCounts[first]): libmemcached computes floor(1/\(n) × \(ketama.pointsPerServer)/4 × \(n)) in 32-bit float, which comes to just under \(groups), so the floor drops a group of 4 points"]
        }
        let why = "libmemcached computes floor(w/W × \(ketama.pointsPerServer)/4 × n) in 32-bit float, which can land just under a whole number, so the floor drops a group of 4 points"
        let shown = down.prefix(5).map { "\(ketama.nodes[$0].name) \(ketama.pointCounts[$0]) not \(ketama.exactPointCounts[$0])" }
        return ["\(down.count) server\(down.count == 1 ? " gets" : "s get") 4 points fewer than the exact share of \(down.count == 1 ? "its" : "their") weight (\(shown.joined(separator: ", "))\(down.count > 5 ? ", …" : "")): \(why)"]
    }
}

/// What moves when a ring changes from one node list to another (a join, a leave, a
/// reweight): the part of the hash space (or of a key set) whose owner changes, from which
/// node to which, next to the lower bound ½·Σ|new share − old share| that any assignment
/// reaching the new shares must move. The excess over the bound is avoidable churn.
public struct Movement: Sendable {
    /// Every node of either list, old ones first, by name.
    public var nodes: [String]
    public var inOld: [Bool]
    public var inNew: [Bool]
    public var oldShares: [Double]
    public var newShares: [Double]
    /// Moves between different nodes, largest first.
    public var transfers: [(from: Int, to: Int, ratio: Double)]
    public var movedRatio: Double
    public var lowerBoundRatio: Double
    /// moved − lower bound (≥ 0, exactly 0 for a perfectly consistent change).
    public var avoidableRatio: Double
    /// What moved between two nodes that are in both lists.
    public var betweenSurvivorsRatio: Double
    /// How the space was measured; `.simulation` counts keys.
    public var method: Shares.Method
    /// Units behind the ratios (2^32, 2^64, table entries or keys).
    public var total: UInt128
    public var movedUnits: UInt128
    public var lowerBoundUnits: UInt128

    /// The hash space that moves. Ketama and vnode rings are compared arc by arc and Maglev
    /// entry by entry, exactly; the other algorithms (whose space is not a ring) by the owners
    /// of `sampleKeys` generated keys, placed in the same order on both sides.
    public static func space(from old: any ConsistentHash, to new: any ConsistentHash, sampleKeys: Int = 100_000) -> Movement {
        let map = UnionMap(old: old.nodes, new: new.nodes)
        if let a = old as? KetamaRing, let b = new as? KetamaRing {
            return map.movement(Continuum.transfer(from: a.continuum, to: b.continuum), total: Continuum<UInt32>.space, method: .arcs)
        }
        if let a = old as? VnodeRing, let b = new as? VnodeRing {
            return map.movement(Continuum.transfer(from: a.continuum, to: b.continuum), total: Continuum<UInt64>.space, method: .arcs)
        }
        if let a = old as? MaglevTable, let b = new as? MaglevTable, a.table.count == b.table.count {
            var matrix = [[UInt128]](repeating: [UInt128](repeating: 0, count: b.nodes.count), count: a.nodes.count)
            for (x, y) in zip(a.table, b.table) { matrix[Int(x)][Int(y)] += 1 }
            return map.movement(matrix, total: UInt128(a.table.count), method: .table)
        }
        var counter = KeyMovementCounter(old: old.reset(), new: new.reset())
        for i in 0..<sampleKeys { SampleKeys.key(i).withUnsafeBytes { counter.add($0) } }
        var result = counter.result()
        result.method = .simulation(keys: sampleKeys)
        return result
    }
}

/// Counts the owners of keys under the old and the new ring, key by key (`ring diff --keys-file`).
public struct KeyMovementCounter {
    let old: any ConsistentHash
    let new: any ConsistentHash
    var matrix: [[UInt128]]
    var count: UInt128 = 0

    public init(old: any ConsistentHash, new: any ConsistentHash) {
        self.old = old
        self.new = new
        matrix = [[UInt128]](repeating: [UInt128](repeating: 0, count: new.nodes.count), count: old.nodes.count)
    }

    public mutating func add(_ key: UnsafeRawBufferPointer) {
        matrix[old.owner(of: key)][new.owner(of: key)] += 1
        count += 1
    }

    public func result() -> Movement {
        UnionMap(old: old.nodes, new: new.nodes).movement(matrix, total: count, method: .simulation(keys: Int(count)))
    }
}

/// Matches the nodes of two lists by server identity (host and port) into one list.
struct UnionMap {
    var names: [String] = []
    var oldIndex: [Int] = []
    var newIndex: [Int] = []
    var inOld: [Bool] = []
    var inNew: [Bool] = []

    init(old: [RingNode], new: [RingNode]) {
        var position: [String: Int] = [:]
        for node in old {
            position[node.identity] = names.count
            oldIndex.append(names.count)
            names.append(node.name)
            inOld.append(true)
            inNew.append(false)
        }
        for node in new {
            if let at = position[node.identity] {
                newIndex.append(at)
                inNew[at] = true
            } else {
                newIndex.append(names.count)
                names.append(node.name)
                inOld.append(false)
                inNew.append(true)
            }
        }
    }

    /// `matrix[i][j]`: units owned by old node i and new node j.
    func movement(_ matrix: [[UInt128]], total: UInt128, method: Shares.Method) -> Movement {
        let n = names.count
        var oldUnits = [UInt128](repeating: 0, count: n)
        var newUnits = [UInt128](repeating: 0, count: n)
        var moves: [(from: Int, to: Int, units: UInt128)] = []
        var moved: UInt128 = 0
        var survivors: UInt128 = 0
        for (i, row) in matrix.enumerated() {
            for (j, units) in row.enumerated() where units > 0 {
                let from = oldIndex[i], to = newIndex[j]
                oldUnits[from] += units
                newUnits[to] += units
                if from != to {
                    moves.append((from, to, units))
                    moved += units
                    if inNew[from] && inOld[to] { survivors += units }
                }
            }
        }
        var bound: UInt128 = 0
        for k in 0..<n where newUnits[k] > oldUnits[k] { bound += newUnits[k] - oldUnits[k] }
        let scale = total == 0 ? 0 : 1 / Double(total)
        moves.sort { $0.units != $1.units ? $0.units > $1.units : ($0.from, $0.to) < ($1.from, $1.to) }
        return Movement(nodes: names, inOld: inOld, inNew: inNew,
                        oldShares: oldUnits.map { Double($0) * scale }, newShares: newUnits.map { Double($0) * scale },
                        transfers: moves.map { ($0.from, $0.to, Double($0.units) * scale) },
                        movedRatio: Double(moved) * scale, lowerBoundRatio: Double(bound) * scale,
                        avoidableRatio: Double(moved - bound) * scale, betweenSurvivorsRatio: Double(survivors) * scale,
                        method: method, total: total, movedUnits: moved, lowerBoundUnits: bound)
    }
}

/// A sorted ring of points over a 2^32 (ketama) or 2^64 (vnodes) hash space. A hash belongs to
/// the first point whose value is ≥ the hash, wrapping past the last point to the first — the
/// rule libmemcached's `dispatch_host` uses — so point k owns the arc (value[k-1], value[k]]
/// and point 0 also owns everything past the last point.
public struct Continuum<Point: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    public let values: [Point]
    public let owners: [UInt32]
    public let nodeCount: Int
    /// A radix index over the top `indexBits` bits of the hash: `bucketStart[k]` is the first
    /// point at or above k·2^(bits−indexBits), so a lookup searches only the one or two points
    /// of its bucket instead of the whole ring (about 4 bytes a point).
    @usableFromInline let bucketStart: [UInt32]
    @usableFromInline let indexShift: Int

    /// Sorts points by (value, owner index), as libmemcached's `continuum_item_cmp` does, so
    /// equal values resolve to the lower server index.
    public init(points: [(value: Point, owner: UInt32)], nodeCount: Int) {
        var keys = points.map { (UInt128($0.value) << 32) | UInt128($0.owner) }
        keys.sort()
        values = keys.map { Point(truncatingIfNeeded: $0 >> 32) }
        owners = keys.map { UInt32(truncatingIfNeeded: $0) }
        self.nodeCount = nodeCount
        var indexBits = 1
        while (1 << indexBits) < keys.count, indexBits < 20 { indexBits += 1 }
        indexShift = Point.bitWidth - indexBits
        var starts = [UInt32](repeating: 0, count: (1 << indexBits) + 1)
        var k = 0
        for bucket in 0...(1 << indexBits) {
            let floor = UInt128(bucket) << indexShift
            while k < values.count, UInt128(values[k]) < floor { k += 1 }
            starts[bucket] = UInt32(k)
        }
        bucketStart = starts
    }

    public var count: Int { values.count }

    /// The size of the hash space: 2^32 or 2^64.
    public static var space: UInt128 { UInt128(1) << Point.bitWidth }

    /// The index of the first point with value ≥ `hash`, wrapping to 0 past the last point:
    /// the radix index narrows it to one bucket, then a short scan finds it.
    @inlinable
    public func index(for hash: Point) -> Int {
        let bucket = Int(truncatingIfNeeded: hash >> Point(indexShift))
        return bucketStart.withUnsafeBufferPointer { starts in
            values.withUnsafeBufferPointer { points in
                var i = Int(starts[bucket])
                let end = Int(starts[bucket + 1])
                while i < end, points[i] < hash { i += 1 }
                return i == points.count ? 0 : i
            }
        }
    }

    @inlinable
    public func owner(for hash: Point) -> Int {
        Int(owners[index(for: hash)])
    }

    /// Each node's total arc length in hash-space units; the totals sum to the space exactly.
    public func arcTotals() -> [UInt128] {
        var totals = [UInt128](repeating: 0, count: nodeCount)
        guard let last = values.last, let first = values.first else { return totals }
        totals[Int(owners[0])] += Self.space - UInt128(last) + UInt128(first)
        for k in 1..<values.count {
            totals[Int(owners[k])] += UInt128(values[k] - values[k - 1])
        }
        return totals
    }

    /// Each node's share of the hash space, from the arcs.
    public func shareRatios() -> [Double] {
        let space = Double(Self.space)
        return arcTotals().map { Double($0) / space }
    }

    /// The hash space that changes owner from `old` to `new`, as a matrix [old owner][new owner]
    /// in hash-space units, found by walking the union of both rings' points: between two
    /// consecutive boundaries each ring has one owner (its first point at or after the boundary).
    public static func transfer(from old: Continuum, to new: Continuum) -> [[UInt128]] {
        var matrix = [[UInt128]](repeating: [UInt128](repeating: 0, count: new.nodeCount), count: old.nodeCount)
        guard !old.values.isEmpty, !new.values.isEmpty else { return matrix }
        var i = 0, j = 0
        var previous: UInt128 = 0
        var started = false
        // Boundaries in increasing order; each closes the interval (previous, boundary].
        while i < old.count || j < new.count {
            let a = i < old.count ? UInt128(old.values[i]) : UInt128.max
            let b = j < new.count ? UInt128(new.values[j]) : UInt128.max
            let boundary = min(a, b)
            let oldOwner = i < old.count ? Int(old.owners[i]) : Int(old.owners[0])
            let newOwner = j < new.count ? Int(new.owners[j]) : Int(new.owners[0])
            // The first interval is [0, boundary] and also takes the wrap-around past the last point.
            let length = started ? boundary - previous : boundary + 1
            matrix[oldOwner][newOwner] += length
            started = true
            previous = boundary
            while i < old.count, UInt128(old.values[i]) == boundary { i += 1 }
            while j < new.count, UInt128(new.values[j]) == boundary { j += 1 }
        }
        // Past the last boundary both rings wrap to their first points.
        let tail = space - 1 - previous
        if tail > 0 { matrix[Int(old.owners[0])][Int(new.owners[0])] += tail }
        return matrix
    }
}

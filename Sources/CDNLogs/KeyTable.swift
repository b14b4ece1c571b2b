import CPrefetch
import Glibc
import ScaleCore

/// Tallies by byte-string key with bounded memory: exact up to `limit` distinct keys, then a
/// Space-Saving heavy-hitters sketch (Metwally, Agrawal, El Abbadi 2005). Once full, a new key
/// takes the place of the key with the smallest request weight and inherits that weight as its
/// error; its tally starts from zero. So for every key kept, tally ≤ true count ≤ tally + error,
/// and any key not kept has at most `floor` requests (the smallest weight in the table).
///
/// Open addressing with linear probing; each slot holds 32 bits of the hash and the entry
/// index, so most misses never touch the key bytes. Keys live in one arena; what a lookup needs
/// of an entry besides its tally (where its key is, its links) is one 16-byte `EntryHead`, so a
/// lookup of a table too big for the caches waits for three lines: slot, head, key.
final class KeyTable: @unchecked Sendable {
    /// Longer keys (a 1 MB URL) are cut to this many bytes.
    static let maxKeyLength = 2048

    let limit: Int
    /// The hash's secret: the same for every table of an analysis, so they merge by stored hashes.
    let hashKey: HashKey
    @exclusivity(unchecked) private(set) var count = 0
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var mask: Int
    @exclusivity(unchecked) private var entryCapacity: Int
    @exclusivity(unchecked) private(set) var values: UnsafeMutablePointer<Tally>
    @exclusivity(unchecked) private var hashes: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var heads: UnsafeMutablePointer<EntryHead>
    /// Requests a key inherited from the key it replaced (Space-Saving's error). Its weight,
    /// which orders the heap, is this plus the requests counted for it: `weight(i)`.
    @exclusivity(unchecked) private(set) var errors: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var arena: UnsafeMutablePointer<UInt8>
    @exclusivity(unchecked) private var arenaUsed = 0
    @exclusivity(unchecked) private var arenaCapacity: Int
    @exclusivity(unchecked) private var arenaGarbage = 0
    // Sketch mode: a min-heap of entries by weight, and each entry's place in it.
    @exclusivity(unchecked) private(set) var isSketch = false
    @exclusivity(unchecked) private var heap: [Int32] = []
    @exclusivity(unchecked) private var heapPosition: [Int32] = []
    /// Requests of keys that were pushed out: an upper bound for any key not in the table.
    private(set) var evictions: UInt64 = 0

    /// Where an entry's key is, and, in the URL table, the two entries of other tables the key
    /// always maps to (its prefix and extension), so a repeated URL needs no further lookups.
    struct EntryHead: BitwiseCopyable {
        /// Arena offset << 16 | key length (at most `maxKeyLength`).
        var key: UInt64
        /// Prefix and extension entries; -1 until known.
        var link: SIMD2<Int32>
        var offset: Int { Int(truncatingIfNeeded: key >> 16) }
        var length: Int { Int(truncatingIfNeeded: key & 0xFFFF) }
    }

    init(limit: Int, hashKey: HashKey) {
        _ = Self.mapLargeBlocks
        self.limit = max(limit, 1)
        self.hashKey = hashKey
        entryCapacity = min(self.limit, 64)
        mask = 127
        slots = .allocate(capacity: mask + 1)
        slots.initialize(repeating: 0, count: mask + 1)
        values = Self.allocate(entryCapacity)
        hashes = Self.allocate(entryCapacity)
        heads = Self.allocate(entryCapacity)
        errors = Self.allocate(entryCapacity)
        arenaCapacity = 4096
        arena = Self.allocate(arenaCapacity)
    }

    deinit {
        slots.deallocate()
        Glibc.free(values); Glibc.free(hashes); Glibc.free(heads); Glibc.free(errors); Glibc.free(arena)
    }

    /// The entry arrays and the arena grow with realloc (their elements are plain bytes, which
    /// `BitwiseCopyable` makes the compiler check): glibc moves a large block by remapping its
    /// pages, not by copying it and faulting in fresh ones, which was most of what growing a
    /// 190k-URL table cost.
    ///
    /// Only blocks glibc mmaps move that way, and its threshold for that rises to the size of
    /// any mmapped block freed (up to 32 MB): after that, growing a table's 4–16 MB arrays
    /// copied them inside the heap and left the old pages there, which put 10–15 MB on a
    /// 1.1 GB log's peak RSS (194–213 MB over runs; 188–197 MB with the threshold fixed).
    /// A fixed threshold stops the rise, once for the process.
    private static let mapLargeBlocks: Void = scale_map_large_blocks()

    private static func allocate<T: BitwiseCopyable>(_ n: Int) -> UnsafeMutablePointer<T> {
        guard let raw = Glibc.malloc(max(n, 1) * MemoryLayout<T>.stride) else { fatalError("out of memory") }
        return raw.bindMemory(to: T.self, capacity: n)
    }

    private static func reallocate<T: BitwiseCopyable>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> UnsafeMutablePointer<T> {
        guard let raw = Glibc.realloc(p, max(n, 1) * MemoryLayout<T>.stride) else { fatalError("out of memory") }
        return raw.bindMemory(to: T.self, capacity: n)
    }

    /// The smallest weight in a full table: no key outside it has more requests.
    var floor: UInt64 { max(restoredFloor, isSketch && !heap.isEmpty ? weight(Int(heap[0])) : 0) }

    /// Space-Saving weight: the requests counted for the key plus those it inherited.
    @inline(__always)
    func weight(_ i: Int) -> UInt64 { errors[i] &+ values[i].totalRequests }

    /// The floor of tables merged in from partial files.
    var restoredFloor: UInt64 = 0

    /// Whether any count here is an estimate (this table, or one merged into it, overflowed).
    var isEstimate: Bool { isSketch || restoredFloor > 0 || evictions > 0 }

    /// The largest error of any key kept.
    var maxError: UInt64 {
        var m: UInt64 = 0
        for i in 0..<count where errors[i] > m { m = errors[i] }
        return m
    }

    func key(at i: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: arena + heads[i].offset, count: heads[i].length))
    }

    func keySlice(at i: Int) -> ByteSlice {
        ByteSlice(base: UnsafePointer(arena + heads[i].offset), count: heads[i].length)
    }

    /// The prefix and extension entries the URL at entry `i` maps to (-1 until known).
    @inline(__always)
    func link(_ i: Int) -> SIMD2<Int32> { heads[i].link }

    @inline(__always)
    func setLink(_ i: Int, _ link: SIMD2<Int32>) { heads[i].link = link }

    // MARK: - The hot path

    /// The entry for `key`, inserting it (or, when full, replacing the lightest key) if new.
    /// The caller adds to `values[i]` and then calls `counted(i)`.
    @inline(__always)
    func entry(_ key: UnsafePointer<UInt8>, _ length: Int) -> Int {
        entry(key, length, hash: hash(key, length))
    }

    /// The hash `entry(_:_:hash:)` wants: of the key as stored (cut to `maxKeyLength`).
    @inline(__always)
    func hash(_ key: UnsafePointer<UInt8>, _ length: Int) -> UInt64 {
        hashBytes(key, min(length, Self.maxKeyLength), hashKey)
    }

    @inline(__always)
    func entry(_ key: UnsafePointer<UInt8>, _ length: Int, hash h: UInt64) -> Int {
        let n = min(length, Self.maxKeyLength)
        let found = find(key, n, hash: h)
        return found >= 0 ? found : insert(key, n, h)
    }

    /// The entry of the key (already cut to `maxKeyLength`), or -1. Only reads the table.
    @inline(__always)
    private func find(_ key: UnsafePointer<UInt8>, _ n: Int, hash h: UInt64) -> Int {
        let tag = h >> 32
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let slot = slots[s]
            if slot == 0 { return -1 }
            if slot >> 32 == tag {
                let i = Int(slot & 0xFFFF_FFFF) - 1
                let head = heads[i]
                if head.length == n && bytesEqual(arena + head.offset, key, n) { return i }
            }
            s = (s + 1) & mask
        }
    }

    // A batch of lookups asks for the lines each will read in three stages, every key of the
    // batch in turn, so their cache misses overlap and hide behind other work: `prefetchSlot`,
    // then `prefetchEntry` (reads the slot), then `prefetchKey` (reads the entry's head).

    @inline(__always)
    func prefetchSlot(hash h: UInt64) { scale_prefetch(slots + (Int(truncatingIfNeeded: h) & mask)) }

    /// Reads the home slot of `h` and asks for the entry it names: its head, and the lines of
    /// its tally a count of class `c` writes. Returns that entry + 1, or 0 for an empty slot.
    @inline(__always)
    func prefetchEntry(hash h: UInt64, classIndex c: Int) -> Int {
        let slot = slots[Int(truncatingIfNeeded: h) & mask]
        guard slot != 0 else { return 0 }
        let i = Int(slot & 0xFFFF_FFFF) - 1
        scale_prefetch(heads + i)
        scale_prefetch(values + i)
        scale_prefetch(UnsafeRawPointer(values + i) + Tally.classOffset(c))
        return i + 1
    }

    /// Reads the head of the entry `prefetchEntry` returned and asks for its key's first and
    /// last bytes (a key may straddle two lines).
    @inline(__always)
    func prefetchKey(entry plusOne: Int) {
        guard plusOne > 0 else { return }
        let head = heads[plusOne - 1]
        scale_prefetch(arena + head.offset)
        scale_prefetch(arena + head.offset + max(head.length - 1, 0))
    }

    /// After requests were added to `values[i]`: keeps the sketch's heap in order.
    @inline(__always)
    func counted(_ i: Int) {
        if isSketch { siftDown(Int(heapPosition[i])) }
    }

    // MARK: - Inserting, growing, evicting

    /// Inserts a key not in the table (`n` at most `maxKeyLength`). The slots grow when more
    /// than `fill` quarters of them would be used.
    private func insert(_ key: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, fill: Int = 2) -> Int {
        if count == limit {
            return replaceLightest(key, n, h)
        }
        if count == entryCapacity { growEntries() }
        if (count + 1) * 4 > (mask + 1) * fill { rehash(to: (mask + 1) * 2) }
        let i = count
        count += 1
        values.advanced(by: i).initialize(to: Tally())
        hashes[i] = h
        errors[i] = 0
        storeKey(i, key, n)
        placeSlot(i, h)
        return i
    }

    private func storeKey(_ i: Int, _ key: UnsafePointer<UInt8>, _ n: Int) {
        if arenaUsed + n > arenaCapacity {
            if arenaGarbage > arenaUsed / 2 { compactArena() }
            if arenaUsed + n > arenaCapacity {
                var capacity = arenaCapacity * 2
                while arenaUsed + n > capacity { capacity *= 2 }
                arena = Self.reallocate(arena, capacity)
                arenaCapacity = capacity
            }
        }
        if n > 0 { (arena + arenaUsed).update(from: key, count: n) }
        heads[i] = EntryHead(key: UInt64(arenaUsed) << 16 | UInt64(n), link: SIMD2(-1, -1))
        arenaUsed += n
    }

    private func compactArena() {
        let fresh: UnsafeMutablePointer<UInt8> = Self.allocate(arenaCapacity)
        var used = 0
        for i in 0..<count {
            let n = heads[i].length
            if n > 0 { (fresh + used).update(from: arena + heads[i].offset, count: n) }
            heads[i].key = UInt64(used) << 16 | UInt64(n)
            used += n
        }
        Glibc.free(arena)
        arena = fresh
        arenaUsed = used
        arenaGarbage = 0
    }

    private func placeSlot(_ i: Int, _ h: UInt64) {
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = (h >> 32) << 32 | UInt64(i + 1)
    }

    private func growEntries() {
        let capacity = min(limit, entryCapacity * 2)
        func grow<T: BitwiseCopyable>(_ p: inout UnsafeMutablePointer<T>) {
            p = Self.reallocate(p, capacity)
        }
        grow(&values); grow(&hashes); grow(&heads); grow(&errors)
        entryCapacity = capacity
    }

    private func rehash(to size: Int) {
        slots.deallocate()
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        for i in 0..<count { placeSlot(i, hashes[i]) }
    }

    /// Removes entry `i`'s slot, shifting the probe chain back so lookups stay correct.
    private func removeSlot(_ i: Int) {
        var s = Int(truncatingIfNeeded: hashes[i]) & mask
        while Int(slots[s] & 0xFFFF_FFFF) != i + 1 { s = (s + 1) & mask }
        var hole = s
        var next = (hole + 1) & mask
        while slots[next] != 0 {
            let j = Int(slots[next] & 0xFFFF_FFFF) - 1
            let home = Int(truncatingIfNeeded: hashes[j]) & mask
            // Move the entry back into the hole if its home is not between the hole and it.
            let distanceToNext = (next - home) & mask
            let distanceToHole = (hole - home) & mask
            if distanceToHole <= distanceToNext {
                slots[hole] = slots[next]
                hole = next
            }
            next = (next + 1) & mask
        }
        slots[hole] = 0
    }

    private func replaceLightest(_ key: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64) -> Int {
        if !isSketch { buildHeap() }
        let i = Int(heap[0])
        evictions &+= 1
        removeSlot(i)
        arenaGarbage += heads[i].length
        errors[i] = weight(i)
        values[i] = Tally()
        hashes[i] = h
        storeKey(i, key, n)
        placeSlot(i, h)
        return i
    }

    // MARK: - The min-heap of sketch mode

    private func buildHeap() {
        isSketch = true
        heap = (0..<count).map { Int32($0) }
        heapPosition = (0..<count).map { Int32($0) }
        var k = count / 2 - 1
        while k >= 0 { siftDown(k); k -= 1 }
    }

    @inline(__always)
    private func lighter(_ a: Int32, _ b: Int32) -> Bool {
        let wa = weight(Int(a)), wb = weight(Int(b))
        return wa < wb || (wa == wb && a < b)
    }

    private func siftDown(_ start: Int) {
        var k = start
        let n = heap.count
        heap.withUnsafeMutableBufferPointer { h in
            heapPosition.withUnsafeMutableBufferPointer { pos in
                while true {
                    let l = 2 * k + 1
                    if l >= n { break }
                    var c = l
                    if l + 1 < n, lighter(h[l + 1], h[l]) { c = l + 1 }
                    if !lighter(h[c], h[k]) { break }
                    h.swapAt(c, k)
                    pos[Int(h[k])] = Int32(k)
                    pos[Int(h[c])] = Int32(c)
                    k = c
                }
            }
        }
    }

    // MARK: - Merging

    /// Adds every key of `other` (another thread's table, or a partial file's).
    func merge(_ other: KeyTable) {
        merge(other, 0..<other.count, lacking: nil)
        evictions &+= other.evictions
        restoredFloor = max(restoredFloor, other.floor)
    }

    /// Below this many keys a merge is not worth a thread.
    static let parallelMergeMinimum = 16_384

    /// `merge(_:)` on up to `threads` threads: the keys this table has are found and added in
    /// parallel (finding only reads the table, and each key adds to an entry no other key
    /// adds to), then the keys it lacks are inserted on this thread. Only while no key can be
    /// evicted (the table is exact and has room for all of `other`'s keys) and both tables hash
    /// with one secret; otherwise, or for small tables, the merge runs on this thread.
    func merge(_ other: KeyTable, threads: Int) {
        let n = other.count
        let parts = min(threads, n / Self.parallelMergeMinimum)
        guard parts > 1, !isSketch, count + n <= limit, other.hashKey == hashKey else { return merge(other) }
        let lacking = LackingKeys(n)
        defer { lacking.release() }
        var helpers: [PosixThread] = []
        for part in 1..<parts {
            let range = part * n / parts..<(part + 1) * n / parts
            guard let thread = WorkerThread.start({ self.merge(other, range, lacking: lacking) }) else {
                // No thread to spare: this one does the part.
                merge(other, range, lacking: lacking)
                continue
            }
            helpers.append(thread)
        }
        merge(other, 0..<n / parts, lacking: lacking)
        for thread in helpers { thread.join() }
        // The lacking keys are new here and distinct (the other table holds each once): each
        // is inserted without a lookup, its home slot asked for a few keys ahead. The slots
        // may fill to 3/4 here: growing them would re-place every key, for a table that is
        // mostly read from now on (the next insertion elsewhere grows them).
        var missing: [Int32] = []
        for j in 0..<n where lacking.flags[j] { missing.append(Int32(j)) }
        let ahead = 8
        for k in missing.indices {
            if k + ahead < missing.count { prefetchSlot(hash: other.hashes[Int(missing[k + ahead])]) }
            let j = Int(missing[k])
            let key = other.keySlice(at: j)
            let i = insert(key.base ?? UnsafePointer(arena), key.count, other.hashes[j], fill: 3)
            Tally.add(other.values + j, to: values + i)
            errors[i] &+= other.errors[j]
            counted(i)
        }
        evictions &+= other.evictions
        restoredFloor = max(restoredFloor, other.floor)
    }

    /// Which of the other table's keys a parallel merge did not find (one flag per key, each
    /// written by the one thread that looks the key up).
    private final class LackingKeys: @unchecked Sendable {
        let flags: UnsafeMutablePointer<Bool>
        init(_ n: Int) {
            flags = .allocate(capacity: max(n, 1))
            flags.initialize(repeating: false, count: max(n, 1))
        }
        func release() { flags.deallocate() }
    }

    /// Adds the keys `range` of `other`; with `lacking`, a key this table does not have is
    /// flagged there instead of inserted.
    private func merge(_ other: KeyTable, _ range: Range<Int>, lacking: LackingKeys?) {
        // The other table kept each key's hash: with the same secret, lookups reuse it (else the
        // keys are hashed again). Its keys are merged in order, each lookup's lines asked for in
        // three stages `distance` keys ahead of it (slot, then entry, then key and tally), so
        // every stage has other lookups' work to hide behind: at the end of an analysis this
        // runs alone, and stages run back to back waited for most lines.
        let sameKey = other.hashKey == hashKey
        let n = range.upperBound
        let distance = 8, ring = 64
        let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: ring)
        let stage = UnsafeMutablePointer<Int>.allocate(capacity: ring)
        hashes.initialize(repeating: 0, count: ring)
        stage.initialize(repeating: 0, count: ring)
        defer { hashes.deallocate(); stage.deallocate() }
        var j = range.lowerBound - 3 * distance
        while j < n {
            let a = j + 3 * distance
            if a < n {
                let key = other.keySlice(at: a)
                let h = sameKey ? other.hashes[a] : hash(key.base ?? UnsafePointer(arena), key.count)
                hashes[a & (ring - 1)] = h
                prefetchSlot(hash: h)
            }
            let b = j + 2 * distance
            if b >= range.lowerBound, b < n { stage[b & (ring - 1)] = prefetchEntry(hash: hashes[b & (ring - 1)], classIndex: 0) }
            let c = j + distance
            if c >= range.lowerBound, c < n { prefetchKeyAndTally(entry: stage[c & (ring - 1)]) }
            if j >= range.lowerBound {
                let key = other.keySlice(at: j)
                let base = key.base ?? UnsafePointer(arena)
                let i: Int
                if let lacking {
                    i = find(base, min(key.count, Self.maxKeyLength), hash: hashes[j & (ring - 1)])
                    if i < 0 { lacking.flags[j] = true; j += 1; continue }
                } else {
                    i = entry(base, key.count, hash: hashes[j & (ring - 1)])
                }
                Tally.add(other.values + j, to: values + i)
                errors[i] &+= other.errors[j]
                counted(i)
            }
            j += 1
        }
    }

    /// `prefetchKey`, and every line of the entry's tally (a merge adds to all of its fields).
    @inline(__always)
    private func prefetchKeyAndTally(entry plusOne: Int) {
        guard plusOne > 0 else { return }
        prefetchKey(entry: plusOne)
        let tally = UnsafeRawPointer(values + (plusOne - 1))
        var offset = 64
        while offset < MemoryLayout<Tally>.size {
            scale_prefetch(tally + offset)
            offset += 64
        }
        scale_prefetch(tally + (MemoryLayout<Tally>.size - 1))
    }

    /// Adds one stored entry (from a partial file).
    func restore(key: [UInt8], tally: Tally, error: UInt64) {
        let i = key.withUnsafeBufferPointer { b in entry(b.baseAddress ?? UnsafePointer(arena), b.count) }
        values[i].merge(tally)
        errors[i] &+= error
        counted(i)
    }

    func restoreEvictions(_ n: UInt64) { evictions &+= n }

    /// Entry indices, in no particular order.
    var indices: Range<Int> { 0..<count }
}

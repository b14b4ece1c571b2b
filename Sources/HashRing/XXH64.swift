/// XXH64 (xxHash, 64-bit; spec: github.com/Cyan4973/xxHash doc/xxhash_spec.md), the 64-bit
/// hash for the vnode ring, Maglev, multi-probe, rendezvous and jump keys. Chosen over XXH3
/// for being a fraction of the code with a complete, stable specification and published test
/// vectors, over FNV-1a for its avalanche (FNV-1a leaves names that differ only in the last
/// characters, like `node-17`, close together), and because Envoy's ring-hash and Maglev load
/// balancers use it too.
public enum XXH64 {
    @usableFromInline static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    @usableFromInline static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    @usableFromInline static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    @usableFromInline static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    @usableFromInline static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    public static func hash(_ text: String, seed: UInt64 = 0) -> UInt64 {
        var copy = text
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    /// The hash of a 64-bit value's 8 little-endian bytes (used to combine a key hash with a node).
    @inlinable
    public static func hash(word: UInt64, seed: UInt64) -> UInt64 {
        var h = seed &+ p5 &+ 8
        h ^= round(0, word.littleEndian)
        h = (h.rotl(27) &* p1) &+ p4
        return avalanche(h)
    }

    @inlinable
    public static func hash(_ input: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let length = input.count
        guard let base = input.baseAddress, length > 0 else { return avalanche(seed &+ p5) }
        var p = 0
        var h: UInt64
        if length >= 32 {
            var v1 = seed &+ p1 &+ p2, v2 = seed &+ p2, v3 = seed, v4 = seed &- p1
            while p + 32 <= length {
                v1 = round(v1, load64(base, p))
                v2 = round(v2, load64(base, p + 8))
                v3 = round(v3, load64(base, p + 16))
                v4 = round(v4, load64(base, p + 24))
                p += 32
            }
            h = v1.rotl(1) &+ v2.rotl(7) &+ v3.rotl(12) &+ v4.rotl(18)
            h = mergeRound(h, v1)
            h = mergeRound(h, v2)
            h = mergeRound(h, v3)
            h = mergeRound(h, v4)
        } else {
            h = seed &+ p5
        }
        h &+= UInt64(length)
        while p + 8 <= length {
            h ^= round(0, load64(base, p))
            h = (h.rotl(27) &* p1) &+ p4
            p += 8
        }
        if p + 4 <= length {
            h ^= UInt64(UInt32(littleEndian: base.loadUnaligned(fromByteOffset: p, as: UInt32.self))) &* p1
            h = (h.rotl(23) &* p2) &+ p3
            p += 4
        }
        while p < length {
            h ^= UInt64(base.load(fromByteOffset: p, as: UInt8.self)) &* p5
            h = h.rotl(11) &* p1
            p += 1
        }
        return avalanche(h)
    }

    @inlinable @inline(__always)
    static func load64(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable @inline(__always)
    static func round(_ acc: UInt64, _ lane: UInt64) -> UInt64 {
        (acc &+ lane &* p2).rotl(31) &* p1
    }

    @inlinable @inline(__always)
    static func mergeRound(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        ((acc ^ round(0, value)) &* p1) &+ p4
    }

    @inlinable @inline(__always)
    static func avalanche(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= p2
        h ^= h >> 29
        h &*= p3
        h ^= h >> 32
        return h
    }
}

extension UInt64 {
    @inlinable @inline(__always)
    func rotl(_ s: UInt64) -> UInt64 { (self << s) | (self >> (64 - s)) }
}

import ScaleCore

/// The secret of the key tables' hash, drawn from the OS once per analysis. Anyone who can
/// send requests to a site can choose the URLs in its logs; without a secret they can choose
/// URLs that all land in one probe chain and make counting quadratic (160k such lines took
/// a minute). All tables of one analysis share a key: threads' tables merge by stored hashes.
public struct HashKey: Sendable, Equatable {
    let seed: UInt64
    let k1: UInt64, k2: UInt64, k3: UInt64

    /// A key from the OS's random source (getrandom): the default for every analysis.
    public static func random() -> HashKey {
        var g = SystemRandomNumberGenerator()
        return HashKey(seed: g.next(), k1: g.next(), k2: g.next(), k3: g.next())
    }

    /// A fixed key, for tests that must not depend on one.
    public init(fixed: UInt64) {
        var g = SplitMix64(seed: fixed)
        self.init(seed: g.next(), k1: g.next(), k2: g.next(), k3: g.next())
    }

    init(seed: UInt64, k1: UInt64, k2: UInt64, k3: UInt64) {
        self.seed = seed; self.k1 = k1; self.k2 = k2; self.k3 = k3
    }
}

/// The 128-bit product of `a` and `b`, folded to 64 bits. With `a` and `b` each XOR-ed with a
/// secret, an input difference turns into an output difference nobody can predict, which a
/// multiply by a constant (the old hash: `h = (h ^ w) * M`) does not: a flip of bit 63
/// before it is the same flip after it, whatever `h` was.
@inline(__always)
func foldedMultiply(_ a: UInt64, _ b: UInt64) -> UInt64 {
    let (high, low) = a.multipliedFullWidth(by: b)
    return high ^ low
}

/// A keyed 64-bit hash of a byte string: wyhash's construction as Go's runtime uses it for
/// its maps (runtime/hash64.go, memhashFallback), with every secret drawn at random. Sixteen
/// bytes per multiply, and three independent lanes above 48 bytes, so long URLs hash faster
/// than eight bytes at a time.
@inline(__always)
func hashBytes(_ p: UnsafeRawPointer, _ n: Int, _ key: HashKey) -> UInt64 {
    var seed = key.seed
    var a: UInt64, b: UInt64
    if n <= 16 {
        if n >= 8 {
            a = p.loadUnaligned(as: UInt64.self)
            b = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            a = UInt64(p.loadUnaligned(as: UInt32.self))
            b = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
        } else if n > 0 {
            let bytes = p.assumingMemoryBound(to: UInt8.self)
            a = UInt64(bytes[0]) | UInt64(bytes[n >> 1]) << 8 | UInt64(bytes[n - 1]) << 16
            b = 0
        } else {
            a = 0; b = 0
        }
    } else {
        var q = p
        var left = n
        if left > 48 {
            var seed1 = seed, seed2 = seed
            repeat {
                seed = foldedMultiply(q.loadUnaligned(as: UInt64.self) ^ key.k1, q.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ seed)
                seed1 = foldedMultiply(q.loadUnaligned(fromByteOffset: 16, as: UInt64.self) ^ key.k2, q.loadUnaligned(fromByteOffset: 24, as: UInt64.self) ^ seed1)
                seed2 = foldedMultiply(q.loadUnaligned(fromByteOffset: 32, as: UInt64.self) ^ key.k3, q.loadUnaligned(fromByteOffset: 40, as: UInt64.self) ^ seed2)
                q += 48
                left -= 48
            } while left > 48
            seed ^= seed1 ^ seed2
        }
        while left > 16 {
            seed = foldedMultiply(q.loadUnaligned(as: UInt64.self) ^ key.k1, q.loadUnaligned(fromByteOffset: 8, as: UInt64.self) ^ seed)
            q += 16
            left -= 16
        }
        // The last sixteen bytes, overlapping ones already mixed in: no byte loop.
        a = q.loadUnaligned(fromByteOffset: left - 16, as: UInt64.self)
        b = q.loadUnaligned(fromByteOffset: left - 8, as: UInt64.self)
    }
    return foldedMultiply(0x1D8E_4E27_C47D_124F ^ UInt64(truncatingIfNeeded: n), foldedMultiply(a ^ key.k1, b ^ seed))
}

/// Byte equality without a libc call: keys and literals are short, and a call per comparison
/// cost more than the comparison itself.
@inline(__always)
func bytesEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    if n >= 8 {
        var i = 0
        while i + 8 <= n {
            if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        // The last eight bytes, overlapping: no byte loop.
        return i == n || a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    var i = 0
    while i < n {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

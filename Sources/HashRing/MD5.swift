/// MD5 (RFC 1321), written out here because ketama is defined on it: libmemcached places
/// servers and hashes keys with MD5, so being byte-exact with it means computing the same
/// digest. Not for security. The 64 steps are unrolled so a short key costs one call with no
/// allocation: lookups hash millions of keys.
public enum MD5 {
    /// The digest as four little-endian words: word k is the UInt32 at digest bytes 4k…4k+3,
    /// which is exactly how ketama reads its points and key hashes.
    public struct Words: Equatable, Sendable {
        public var w0: UInt32, w1: UInt32, w2: UInt32, w3: UInt32

        @inlinable
        public init(w0: UInt32, w1: UInt32, w2: UInt32, w3: UInt32) {
            self.w0 = w0
            self.w1 = w1
            self.w2 = w2
            self.w3 = w3
        }

        /// The 16 digest bytes in order.
        public var bytes: [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(16)
            for word in [w0, w1, w2, w3] {
                for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
            }
            return out
        }

        /// Lower-case hex, as `md5sum` prints it.
        public var hex: String {
            let digits = Array("0123456789abcdef".utf8)
            var out: [UInt8] = []
            for byte in bytes { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    public static func digest(_ bytes: [UInt8]) -> Words {
        bytes.withUnsafeBytes { digest($0) }
    }

    public static func digest(_ text: String) -> Words {
        var copy = text
        return copy.withUTF8 { digest(UnsafeRawBufferPointer($0)) }
    }

    @inlinable
    public static func digest(_ message: UnsafeRawBufferPointer) -> Words {
        var state = (UInt32(0x67452301), UInt32(0xefcdab89), UInt32(0x98badcfe), UInt32(0x10325476))
        let count = message.count
        var offset = 0
        if let base = message.baseAddress {
            while count - offset >= 64 {
                compress(&state, base + offset)
                offset += 64
            }
        }
        // The tail, the 0x80 marker and the bit length go into one or two final blocks.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { tail in
            let tailBase = UnsafeMutableRawPointer(tail.baseAddress!)
            tailBase.initializeMemory(as: UInt8.self, repeating: 0, count: 128)
            let rest = count - offset
            if rest > 0, let base = message.baseAddress {
                tailBase.copyMemory(from: base + offset, byteCount: rest)
            }
            tailBase.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
            let blocks = rest < 56 ? 1 : 2
            let bitLength = UInt64(truncatingIfNeeded: count) &* 8
            tailBase.storeBytes(of: bitLength.littleEndian, toByteOffset: blocks * 64 - 8, as: UInt64.self)
            compress(&state, UnsafeRawPointer(tailBase))
            if blocks == 2 { compress(&state, UnsafeRawPointer(tailBase + 64)) }
            return Words(w0: state.0, w1: state.1, w2: state.2, w3: state.3)
        }
    }

    @inlinable @inline(__always)
    static func F(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
        b &+ (a &+ ((b & c) | (~b & d)) &+ m &+ k).rotl(s)
    }

    @inlinable @inline(__always)
    static func G(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
        b &+ (a &+ ((b & d) | (c & ~d)) &+ m &+ k).rotl(s)
    }

    @inlinable @inline(__always)
    static func H(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
        b &+ (a &+ (b ^ c ^ d) &+ m &+ k).rotl(s)
    }

    @inlinable @inline(__always)
    static func I(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ m: UInt32, _ k: UInt32, _ s: UInt32) -> UInt32 {
        b &+ (a &+ (c ^ (b | ~d)) &+ m &+ k).rotl(s)
    }

    /// One 64-byte block (RFC 1321 section 3.4).
    @inlinable @inline(__always)
    static func compress(_ state: inout (UInt32, UInt32, UInt32, UInt32), _ block: UnsafeRawPointer) {
        let m0 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
        let m1 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
        let m2 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
        let m3 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
        let m4 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        let m5 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 20, as: UInt32.self))
        let m6 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 24, as: UInt32.self))
        let m7 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 28, as: UInt32.self))
        let m8 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 32, as: UInt32.self))
        let m9 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 36, as: UInt32.self))
        let m10 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 40, as: UInt32.self))
        let m11 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 44, as: UInt32.self))
        let m12 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 48, as: UInt32.self))
        let m13 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 52, as: UInt32.self))
        let m14 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 56, as: UInt32.self))
        let m15 = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 60, as: UInt32.self))
        var a = state.0, b = state.1, c = state.2, d = state.3
        a = F(a, b, c, d, m0, 0xd76aa478, 7)
        d = F(d, a, b, c, m1, 0xe8c7b756, 12)
        c = F(c, d, a, b, m2, 0x242070db, 17)
        b = F(b, c, d, a, m3, 0xc1bdceee, 22)
        a = F(a, b, c, d, m4, 0xf57c0faf, 7)
        d = F(d, a, b, c, m5, 0x4787c62a, 12)
        c = F(c, d, a, b, m6, 0xa8304613, 17)
        b = F(b, c, d, a, m7, 0xfd469501, 22)
        a = F(a, b, c, d, m8, 0x698098d8, 7)
        d = F(d, a, b, c, m9, 0x8b44f7af, 12)
        c = F(c, d, a, b, m10, 0xffff5bb1, 17)
        b = F(b, c, d, a, m11, 0x895cd7be, 22)
        a = F(a, b, c, d, m12, 0x6b901122, 7)
        d = F(d, a, b, c, m13, 0xfd987193, 12)
        c = F(c, d, a, b, m14, 0xa679438e, 17)
        b = F(b, c, d, a, m15, 0x49b40821, 22)
        a = G(a, b, c, d, m1, 0xf61e2562, 5)
        d = G(d, a, b, c, m6, 0xc040b340, 9)
        c = G(c, d, a, b, m11, 0x265e5a51, 14)
        b = G(b, c, d, a, m0, 0xe9b6c7aa, 20)
        a = G(a, b, c, d, m5, 0xd62f105d, 5)
        d = G(d, a, b, c, m10, 0x02441453, 9)
        c = G(c, d, a, b, m15, 0xd8a1e681, 14)
        b = G(b, c, d, a, m4, 0xe7d3fbc8, 20)
        a = G(a, b, c, d, m9, 0x21e1cde6, 5)
        d = G(d, a, b, c, m14, 0xc33707d6, 9)
        c = G(c, d, a, b, m3, 0xf4d50d87, 14)
        b = G(b, c, d, a, m8, 0x455a14ed, 20)
        a = G(a, b, c, d, m13, 0xa9e3e905, 5)
        d = G(d, a, b, c, m2, 0xfcefa3f8, 9)
        c = G(c, d, a, b, m7, 0x676f02d9, 14)
        b = G(b, c, d, a, m12, 0x8d2a4c8a, 20)
        a = H(a, b, c, d, m5, 0xfffa3942, 4)
        d = H(d, a, b, c, m8, 0x8771f681, 11)
        c = H(c, d, a, b, m11, 0x6d9d6122, 16)
        b = H(b, c, d, a, m14, 0xfde5380c, 23)
        a = H(a, b, c, d, m1, 0xa4beea44, 4)
        d = H(d, a, b, c, m4, 0x4bdecfa9, 11)
        c = H(c, d, a, b, m7, 0xf6bb4b60, 16)
        b = H(b, c, d, a, m10, 0xbebfbc70, 23)
        a = H(a, b, c, d, m13, 0x289b7ec6, 4)
        d = H(d, a, b, c, m0, 0xeaa127fa, 11)
        c = H(c, d, a, b, m3, 0xd4ef3085, 16)
        b = H(b, c, d, a, m6, 0x04881d05, 23)
        a = H(a, b, c, d, m9, 0xd9d4d039, 4)
        d = H(d, a, b, c, m12, 0xe6db99e5, 11)
        c = H(c, d, a, b, m15, 0x1fa27cf8, 16)
        b = H(b, c, d, a, m2, 0xc4ac5665, 23)
        a = I(a, b, c, d, m0, 0xf4292244, 6)
        d = I(d, a, b, c, m7, 0x432aff97, 10)
        c = I(c, d, a, b, m14, 0xab9423a7, 15)
        b = I(b, c, d, a, m5, 0xfc93a039, 21)
        a = I(a, b, c, d, m12, 0x655b59c3, 6)
        d = I(d, a, b, c, m3, 0x8f0ccc92, 10)
        c = I(c, d, a, b, m10, 0xffeff47d, 15)
        b = I(b, c, d, a, m1, 0x85845dd1, 21)
        a = I(a, b, c, d, m8, 0x6fa87e4f, 6)
        d = I(d, a, b, c, m15, 0xfe2ce6e0, 10)
        c = I(c, d, a, b, m6, 0xa3014314, 15)
        b = I(b, c, d, a, m13, 0x4e0811a1, 21)
        a = I(a, b, c, d, m4, 0xf7537e82, 6)
        d = I(d, a, b, c, m11, 0xbd3af235, 10)
        c = I(c, d, a, b, m2, 0x2ad7d2bb, 15)
        b = I(b, c, d, a, m9, 0xeb86d391, 21)

        state.0 &+= a
        state.1 &+= b
        state.2 &+= c
        state.3 &+= d
    }
}

extension UInt32 {
    @inlinable @inline(__always)
    func rotl(_ s: UInt32) -> UInt32 { (self << s) | (self >> (32 - s)) }
}

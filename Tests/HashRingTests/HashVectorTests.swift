import Testing
import HashRing
import TestSupport

/// MD5 against RFC 1321's test suite (appendix A.5), and around the padding boundaries against
/// coreutils' md5sum; XXH64 against the sanity vectors published with xxHash.
@Suite struct HashVectorTests {
    static let rfc1321: [(String, String)] = [
        ("", "d41d8cd98f00b204e9800998ecf8427e"),
        ("a", "0cc175b9c0f1b6a831c399e269772661"),
        ("abc", "900150983cd24fb0d6963f7d28e17f72"),
        ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
        ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
        ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
        ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
    ]

    @Test(arguments: rfc1321.indices)
    func md5MatchesRFC1321(index: Int) {
        let (message, digest) = Self.rfc1321[index]
        #expect(MD5.digest(message).hex == digest, "MD5(\"\(message)\")")
    }

    /// One and two final blocks: lengths either side of 56 and 64 bytes, and a multi-block message.
    @Test func md5MatchesMd5sumAroundBlockBoundaries() {
        for length in [55, 56, 57, 63, 64, 65, 119, 120, 128, 1000] {
            let message = String((0..<length).map { Character(Unicode.Scalar(UInt8(97 + $0 % 26))) })
            let result = Subprocess.run(["md5sum"], input: message)
            #expect(result.status == 0)
            let expected = String(result.output.prefix(32))
            #expect(MD5.digest(message).hex == expected, "length \(length)")
        }
    }

    @Test func ketamaReadsLittleEndianWords() {
        // MD5("a") = 0cc175b9 c0f1b6a8 31c399e2 69772661: bytes 0–3 read little-endian.
        let words = MD5.digest("a")
        #expect(words.w0 == 0xb975c10c)
        #expect(words.w1 == 0xa8b6f1c0)
        #expect(words.w2 == 0xe299c331)
        #expect(words.w3 == 0x61267769)
    }

    /// xxHash's sanity buffer: 101 bytes, byte i = top byte of a 32-bit generator that starts
    /// at PRIME32_1 and squares itself.
    static let sanityBuffer: [UInt8] = {
        var generator: UInt32 = 2654435761
        var bytes: [UInt8] = []
        for _ in 0..<101 {
            bytes.append(UInt8(generator >> 24))
            generator = generator &* generator
        }
        return bytes
    }()

    static let xxh64Vectors: [(length: Int, seed: UInt64, hash: UInt64)] = [
        (0, 0, 0xEF46DB3751D8E999), (0, 2654435761, 0xAC75FDA2929B17EF),
        (1, 0, 0x4FCE394CC88952D8), (1, 2654435761, 0x739840CB819FA723),
        (4, 0, 0x9256E58AA397AEF1), (4, 2654435761, 0x9D5FFDFB928AB4B),
        (8, 0, 0xF74CB1451B32B8CF), (8, 2654435761, 0x9C44B77FBCC302C5),
        (14, 0, 0xCFFA8DB881BC3A3D), (14, 2654435761, 0x5B9611585EFCC9CB),
        (32, 0, 0xAF5753D39159EDEE), (32, 2654435761, 0xDCAB9233B8CA7B0F),
        (101, 0, 0x0EAB543384F878AD), (101, 2654435761, 0xCAA65939306F1E21),
    ]

    @Test(arguments: xxh64Vectors.indices)
    func xxh64MatchesTheSanityVectors(index: Int) {
        let vector = Self.xxh64Vectors[index]
        #expect(XXH64.hash(Array(Self.sanityBuffer.prefix(vector.length)), seed: vector.seed) == vector.hash,
                "length \(vector.length) seed \(vector.seed)")
    }

    @Test func xxh64OfShortStrings() {
        #expect(XXH64.hash("a") == 0xD24EC4F1A98C6E5B)
        #expect(XXH64.hash("abc") == 0x44BC2CF5AD770999)
        #expect(XXH64.hash("Nobody inspects the spammish repetition") == 0xFBCEA83C8A378BF1)
    }

    /// The 8-byte shortcut used to combine a key hash with a node seed is XXH64 of those 8 bytes.
    @Test func xxh64WordShortcutEqualsTheFullHash() {
        for word: UInt64 in [0, 1, 0xDEAD_BEEF_CAFE_F00D, .max] {
            var bytes: [UInt8] = []
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
            for seed: UInt64 in [0, 7, 2654435761] {
                #expect(XXH64.hash(word: word, seed: seed) == XXH64.hash(bytes, seed: seed))
            }
        }
    }
}

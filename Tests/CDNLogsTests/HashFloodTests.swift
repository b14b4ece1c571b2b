@testable import CDNLogs
import ScaleCore
import Testing

/// URLs chosen to collide in the key tables must not make counting quadratic: the tables'
/// hash is keyed with a secret, and nothing a report shows depends on that secret.
@Suite struct HashFloodTests {
    /// The unkeyed hash the tables used before (reproduced here as the witness): per word
    /// `h = (h ^ w) * M; h ^= h >> 29`.
    static func oldHash(_ bytes: [UInt8]) -> UInt64 {
        precondition(bytes.count % 8 == 0)
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        for i in stride(from: 0, to: bytes.count, by: 8) {
            var w: UInt64 = 0
            for k in 0..<8 { w |= UInt64(bytes[i + k]) << (8 * k) }
            h = (h ^ w) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        return h
    }

    /// 2^blocks keys with one value of the old hash, whatever its state: flipping bit 63 of a
    /// word flips only bit 63 of `(h ^ w) * M` (M is odd), the shift adds bit 34, and flipping
    /// bits 63 and 34 of the next word cancels both. Each 16-byte block has two such variants.
    static func collidingKeys(blocks: Int) -> [[UInt8]] {
        (0..<(1 << blocks)).map { n in
            var key = Array("/flood/a".utf8)
            for b in 0..<blocks {
                let flip = n >> b & 1 == 1
                var block = Array("aaaaaaaAaaaaaaaa".utf8)
                if flip { block[7] ^= 0x80; block[15] ^= 0x80; block[12] ^= 0x04 }
                key += block
            }
            return key
        }
    }

    /// Slots a linear-probing table of `slots` slots looks at to insert keys of these hashes,
    /// the way `KeyTable` places them (home slot = low bits).
    static func probes(_ hashes: [UInt64], slots: Int) -> Int {
        var used = [Bool](repeating: false, count: slots)
        var total = 0
        for h in hashes {
            var s = Int(truncatingIfNeeded: h) & (slots - 1)
            total += 1
            while used[s] { s = (s + 1) & (slots - 1); total += 1 }
            used[s] = true
        }
        return total
    }

    @Test func keysThatCollideForTheOldHashSpreadOutUnderAKey() {
        let keys = Self.collidingKeys(blocks: 12)
        #expect(Set(keys).count == 4096)
        #expect(Set(keys.map(Self.oldHash)).count == 1, "the witness: one hash for all 4096 keys")
        for fixed: UInt64 in [1, 2] {
            let key = HashKey(fixed: fixed)
            let hashes = keys.map { k in k.withUnsafeBytes { hashBytes($0.baseAddress!, $0.count, key) } }
            #expect(Set(hashes).count == keys.count)
            // Half full, random hashes need about 1.5 probes a key (Knuth); one chain needs 2048.
            let total = Self.probes(hashes, slots: 8192)
            #expect(total < 3 * keys.count, "\(total) probes for \(keys.count) keys")
        }
        // The old hash's chain, for scale: every key walks past all before it.
        #expect(Self.probes(keys.map(Self.oldHash), slots: 8192) == 4096 * 4097 / 2)
    }

    /// Every length class of the hash (0, 1–3, 4–7, 8–16, 17–48, over 48) reads only the
    /// key's bytes and depends on each of them.
    @Test func everyByteCountsAtEveryLength() {
        let key = HashKey(fixed: 7)
        var base = [UInt8](repeating: 0x61, count: 200)
        for n in 0...130 {
            let h = base.withUnsafeBytes { hashBytes($0.baseAddress!, n, key) }
            for i in 0..<n {
                base[i] ^= 0x01
                #expect(base.withUnsafeBytes { hashBytes($0.baseAddress!, n, key) } != h, "length \(n), byte \(i)")
                base[i] ^= 0x01
            }
            // Bytes after the key do not count.
            base[n] ^= 0xFF
            #expect(base.withUnsafeBytes { hashBytes($0.baseAddress!, n, key) } == h, "length \(n)")
            base[n] ^= 0xFF
        }
    }

    /// Two keys, one report: rows, their order, top-K choices, sketch errors and findings are
    /// the same — exact tables on two threads, and a sketch (keys evicted) on one.
    @Test(arguments: [(threads: 2, maxKeys: 1_000_000), (threads: 1, maxKeys: 40)])
    func reportsDoNotDependOnTheKey(threads: Int, maxKeys: Int) throws {
        let log = PartialMergeTests.sample().joined(separator: "\n") + "\n"
        let runs = try [HashKey(fixed: 1), HashKey(fixed: 2)].map { key in
            try analyze(log) { $0.threads = threads; $0.maxKeys = maxKeys; $0.blockSize = 4096; $0.hashKey = key }.statistics
        }
        #expect(runs[0].table(.url).isSketch == (maxKeys < 1000))
        PartialMergeTests.assertSame(runs[0], runs[1])
        for breakdown in Breakdown.allCases {
            #expect(runs[0].rows(breakdown, top: 5) == runs[1].rows(breakdown, top: 5), "\(breakdown)")
            #expect(runs[0].accuracy(breakdown) == runs[1].accuracy(breakdown), "\(breakdown)")
        }
    }

    /// Statistics of different keys merge by hashing the other's keys again: the same URL
    /// from both ends up in one row, not two.
    @Test func statisticsOfDifferentKeysMerge() throws {
        let lines = PartialMergeTests.sample()
        let whole = try analyze(lines.joined(separator: "\n") + "\n") { $0.hashKey = HashKey(fixed: 3) }.statistics
        let first = try analyze(lines[..<1500].joined(separator: "\n") + "\n") { $0.hashKey = HashKey(fixed: 4) }.statistics
        let second = try analyze(lines[1500...].joined(separator: "\n") + "\n") { $0.hashKey = HashKey(fixed: 5) }.statistics
        let read = try PartialFile.decode(PartialFile.encode(second), name: "b.scp", hashKey: HashKey(fixed: 6))
        first.merge(read)
        #expect(first.distinctURLs == whole.distinctURLs)
        PartialMergeTests.assertSame(first, whole)
    }
}

import Testing
import HashRing
import TestSupport

/// Jump consistent hash against Guava's published golden values
/// (HashingTest.testConsistentHash_linearCongruentialGeneratorCompatibility, which Guava keeps
/// "to see that implementations across languages are equivalent"), and against the paper's
/// C++ code compiled here.
@Suite struct JumpHashTests {
    @Test func matchesGuavaGoldens() {
        let golden100: [Int32] = [0, 55, 62, 8, 45, 59, 86, 97, 82, 59, 73, 37, 17, 56, 86, 21, 90, 37, 38, 83]
        for (input, bucket) in golden100.enumerated() {
            #expect(JumpHash.bucket(UInt64(input), buckets: 100) == bucket, "consistentHash(\(input), 100)")
        }
        #expect(JumpHash.bucket(10863919174838991, buckets: 11) == 6)
        #expect(JumpHash.bucket(2016238256797177309, buckets: 11) == 3)
        #expect(JumpHash.bucket(1673758223894951030, buckets: 11) == 5)
        #expect(JumpHash.bucket(2, buckets: 100001) == 80343)
        #expect(JumpHash.bucket(2201, buckets: 100001) == 22152)
        #expect(JumpHash.bucket(2202, buckets: 100001) == 15018)
    }

    static let paperCode = """
        #include <stdint.h>
        #include <stdio.h>
        /* Lamping & Veach 2014, figure 1, verbatim. */
        int32_t JumpConsistentHash(uint64_t key, int32_t num_buckets) {
            int64_t b = -1, j = 0;
            while (j < num_buckets) {
                b = j;
                key = key * 2862933555777941757ULL + 1;
                j = (b + 1) * (double(1LL << 31) / double((key >> 33) + 1));
            }
            return b;
        }
        int main() {
            uint64_t key = 0x9E3779B97F4A7C15ULL;
            for (int i = 0; i < 2000; i++) {
                key ^= key << 13; key ^= key >> 7; key ^= key << 17;
                int32_t buckets = (int32_t)(1 + (key % 5000));
                printf("%llu %d %d\\n", (unsigned long long)key, buckets, JumpConsistentHash(key, buckets));
            }
            return 0;
        }
        """

    @Test(.requires("/usr/bin/c++", package: "g++"))
    func matchesThePapersCode() throws {
        let dir = try ScratchDirectory()
        defer { dir.remove() }
        try dir.write("jump.cc", Self.paperCode)
        let build = Subprocess.run(["c++", "-O1", "-o", dir.path + "/jump", dir.path + "/jump.cc"])
        try #require(build.status == 0, "c++ failed: \(build.errors)")
        let run = Subprocess.run([dir.path + "/jump"])
        let lines = run.output.split(separator: "\n")
        #expect(lines.count == 2000)
        for line in lines {
            let parts = line.split(separator: " ")
            let key = UInt64(parts[0])!, buckets = Int32(parts[1])!, expected = Int32(parts[2])!
            #expect(JumpHash.bucket(key, buckets: buckets) == expected, "key \(key) buckets \(buckets)")
        }
    }

    /// Monotonicity (the paper's defining property): growing from n to n+1 buckets moves a key
    /// only into the new bucket.
    @Test func growingMovesKeysOnlyToTheNewBucket() {
        var key: UInt64 = 12345
        for _ in 0..<2000 {
            key = key &* 6364136223846793005 &+ 1442695040888963407
            for n: Int32 in [1, 2, 7, 50] {
                let before = JumpHash.bucket(key, buckets: n), after = JumpHash.bucket(key, buckets: n + 1)
                #expect(after == before || after == n)
            }
        }
    }
}

@testable import CDNLogs
import Testing

/// Merging the threads' URL tables runs on several threads once they are big: the counts
/// must be those of adding every key's requests by hand, whichever thread found the key.
@Suite struct KeyTableMergeTests {
    /// Keys `range`, key i counted `i % 7 + 1` times with `i` bytes each time.
    private func table(_ range: Range<Int>, limit: Int, key: HashKey, into expected: inout [String: (UInt64, UInt64)]) -> KeyTable {
        let t = KeyTable(limit: limit, hashKey: key)
        for i in range {
            let name = "/k/\(i)"
            let times = i % 7 + 1
            Array(name.utf8).withUnsafeBufferPointer { b in
                let e = t.entry(b.baseAddress!, b.count)
                for _ in 0..<times {
                    t.values[e].add(CacheClass.hit.rawValue, bytes: UInt64(i), origin: 0, unsafeMiss: false, expired: false, passCacheable: false)
                }
                t.counted(e)
            }
            let old = expected[name] ?? (0, 0)
            expected[name] = (old.0 + UInt64(times), old.1 + UInt64(times * i))
        }
        return t
    }

    /// Two tables of the given keys, one secret, the second merged into the first; with the
    /// true counts of every key.
    private func merged(_ first: Range<Int>, _ second: Range<Int>, limit: Int, threads: Int) -> (KeyTable, [String: (UInt64, UInt64)]) {
        let key = HashKey.random()
        var expected: [String: (UInt64, UInt64)] = [:]
        let a = table(first, limit: limit, key: key, into: &expected)
        a.merge(table(second, limit: limit, key: key, into: &expected), threads: threads)
        return (a, expected)
    }

    @Test func parallelMergeCountsEveryKeyOnce() {
        let (a, expected) = merged(0..<50_000, 25_000..<90_000, limit: 1_000_000, threads: 3)
        #expect(a.count == 90_000)
        #expect(!a.isEstimate)
        var seen = 0
        for i in a.indices {
            let name = a.keySlice(at: i).string
            let want = expected[name]
            #expect(want?.0 == a.values[i].totalRequests && want?.1 == a.values[i].bytes(.hit), "\(name)")
            seen += 1
        }
        #expect(seen == expected.count)
    }

    /// A merge that may evict keys (the limit is below the keys of both) keeps to one thread:
    /// the sketch's bounds hold for every key kept.
    @Test func mergePastTheLimitStaysWithinTheSketchBounds() {
        let (a, expected) = merged(0..<40_000, 20_000..<80_000, limit: 60_000, threads: 2)
        #expect(a.count == 60_000)
        #expect(a.isEstimate)
        for i in a.indices {
            let truth = expected[a.keySlice(at: i).string]!.0
            #expect(a.values[i].totalRequests <= truth && truth <= a.values[i].totalRequests + a.errors[i])
        }
    }
}

@testable import CDNLogs
import Testing

/// The prefetch of a tally's class counts uses a constant offset: it must be where `add`
/// writes them.
@Suite struct TallyLayoutTests {
    @Test func classOffsetIsWhereTheClassCountsAre() {
        for c in 0..<CacheClass.count {
            var t = Tally()
            t.add(c, bytes: 12_345, origin: 0, unsafeMiss: false, expired: false, passCacheable: false)
            withUnsafeBytes(of: &t) { raw in
                #expect(raw.loadUnaligned(fromByteOffset: Tally.classOffset(c), as: UInt64.self) == 1)
                #expect(raw.loadUnaligned(fromByteOffset: Tally.classOffset(c) + 8, as: UInt64.self) == 12_345)
            }
        }
    }

    /// `merge` adds word to word: every stored word must be one of the counted fields.
    @Test func mergeAddsEveryFieldAndOnlyThem() {
        #expect(MemoryLayout<Tally>.size == Tally.fieldCount * 8)
        let a = Tally(fields: ArraySlice((0..<UInt64(Tally.fieldCount)).map { $0 * 1_000 + 7 }))
        let b = Tally(fields: ArraySlice((0..<UInt64(Tally.fieldCount)).map { $0 + 1 }))
        var sum = a
        sum.merge(b)
        #expect(sum.fields == zip(a.fields, b.fields).map { $0 + $1 })
    }
}

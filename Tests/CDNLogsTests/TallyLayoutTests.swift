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
}

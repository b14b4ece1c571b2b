@testable import CDNLogs
import Testing

/// Which URLs a merged variant table follows once the threads' tables together pass
/// `maxURLs`: the first seen, in each table's order, the same on every run.
@Suite struct VariantTableMergeTests {
    @Test func mergeKeepsTheFirstURLsInOrder() {
        let extra = 50
        let other = VariantTable()
        var record = LogRecord()
        record.headerBits = 1 << HeaderField.cookie.rawValue
        for n in 0..<(VariantTable.maxURLs + extra) {
            var url = Array("/u\(n)".utf8)
            url.withUnsafeBufferPointer { b in
                withUnsafePointer(to: &record) { r in
                    other.add(urlHash: UInt64(n) &* 0x9E37_79B9_7F4A_7C15 | 1, url: ByteSlice(base: b.baseAddress, count: b.count), .miss,
                              origin: 0, record: r)
                }
            }
            url.removeAll()
        }
        // `other` itself stopped at maxURLs; merged into an empty table, exactly those come
        // first, in the order they were seen (a Dictionary walk would pick any of them).
        let merged = VariantTable()
        merged.merge(other)
        #expect(other.untrackedRequests == UInt64(extra))
        #expect(merged.entries.count == VariantTable.maxURLs)
        #expect(merged.entries.map { String(decoding: $0.url, as: UTF8.self) } == (0..<VariantTable.maxURLs).map { "/u\($0)" })
        #expect(merged.untrackedRequests == UInt64(extra))
    }
}

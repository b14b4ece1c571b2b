@testable import CDNLogs
import Testing

/// The parsers' byte searches (16 bytes a compare forwards, a word at a time backwards) find
/// what a byte-by-byte search finds, at every offset and length, among bytes chosen to trip
/// word tricks (the byte itself, its neighbours, bytes with the high bit set, zero).
@Suite struct ByteSearchTests {
    @Test func searchesAgreeWithAByteLoop() {
        var g = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x20, 0x21, 0x1F, 0xA0, 0x00, 0xFF, 0x22, 0x7F, 0x61]
        // The searches may read past the end: the buffer keeps the parsers' padding after it.
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 200 + ParseContext.padding)
        defer { buffer.deallocate() }
        for _ in 0..<3_000 {
            let count = Int.random(in: 0...200, using: &g)
            for i in 0..<(count + ParseContext.padding) { buffer[i] = alphabet.randomElement(using: &g)! }
            let from = Int.random(in: 0...count, using: &g)
            let start = UnsafePointer(buffer) + from, end = UnsafePointer(buffer) + count
            for byte: UInt8 in [0x20, 0x22, 0xA0, 0x00] {
                let first = (from..<count).first { buffer[$0] == byte }
                let last = (from..<count).last { buffer[$0] == byte }
                #expect(findByte(byte, from: start, end: end).map { $0 - UnsafePointer(buffer) } == first)
                #expect(findLastByte(byte, from: start, end: end).map { $0 - UnsafePointer(buffer) } == last)
            }
        }
    }

    /// A vocabulary word packed with overlapping loads equals the bytes packed one by one.
    @Test func packedWordsAreTheirBytes() {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 1...8, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) }
            var expected: UInt64 = 0
            for (j, b) in bytes.enumerated() { expected |= UInt64(b) << (8 * UInt64(j)) }
            #expect(bytes.withUnsafeBufferPointer { PackedWords.word($0.baseAddress!, bytes.count) } == expected)
        }
    }
}

import CPrefetch
import Glibc

/// One log format's line parser. Parsers are built once per input file and shared read-only by
/// the worker threads; per-thread mutable state lives in `ParseContext`.
protocol LineParser: Sendable {
    /// Fills `record` from `line` (no line end); nil on success.
    func parse(_ line: ByteSlice, into record: inout LogRecord, context: inout ParseContext) -> ParseFailure?
    /// Lines to skip without counting them as requests or as malformed (W3C `#` headers).
    func isComment(_ line: ByteSlice) -> Bool
    /// The table the parser classifies with: `LogRecord.valueEntry` indexes its entries.
    var vocabulary: CacheVocabulary { get }
}

extension LineParser {
    func isComment(_ line: ByteSlice) -> Bool { false }
}

/// Per-thread scratch space: where a parser joins a path and a query that the line keeps apart,
/// or unescapes a JSON string. Records are added in batches, so scratch is only reset between
/// batches; it is grown before a line is parsed, never during, so views into it stay valid
/// until the batch is counted.
struct ParseContext {
    /// Spare bytes after every buffer that lines are parsed from (see `findByte`).
    static let padding = 64

    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var used = 0
    /// The last `[time]` field parsed and its value: consecutive lines mostly share a second,
    /// and a day and zone, so a new second is its clock read against the last one's.
    let lastTimeText: UnsafeMutablePointer<UInt8>
    var lastTimeLength = 0
    var lastTime: Int64 = 0
    var lastClock = 0
    /// Where a template parser notes each field's value before applying them (written before read).
    let fieldValues: UnsafeMutablePointer<ByteSlice>

    init() {
        capacity = 1 << 16
        buffer = .allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        lastTimeText = .allocate(capacity: 32)
        lastTimeText.initialize(repeating: 0, count: 32)
        fieldValues = .allocate(capacity: LineTemplate.maxFields)
        fieldValues.initialize(repeating: .empty, count: LineTemplate.maxFields)
    }

    func release() {
        buffer.deallocate()
        lastTimeText.deallocate()
        fieldValues.deallocate()
    }

    /// Whether a line of `length` bytes fits in what is left without a reset.
    @inline(__always)
    func hasRoom(forLineOf length: Int) -> Bool { used + 2 * length + 64 <= capacity }

    /// Empties scratch (the views into it are no longer needed) with room for a line of `length`.
    mutating func reset(forLineOf length: Int) {
        used = 0
        let needed = 2 * length + 64
        if needed > capacity {
            buffer.deallocate()
            capacity = max(needed, capacity * 2)
            buffer = .allocate(capacity: capacity)
            buffer.initialize(repeating: 0, count: capacity)
        }
    }

    /// `Timestamps.commonLog`, remembered for the next line with the same text.
    @inline(__always)
    mutating func commonLogTime(_ s: ByteSlice) -> Int64? {
        let n = s.count
        // `dd/Mon/yyyy:` and what follows the clock (zone, fraction) as in the last text: only
        // `HH:MM:SS` (bytes 12 to 19) can differ. The last text parsed, so its clock is valid.
        if n == lastTimeLength, n >= 20, let p = s.base, bytesEqual(p, lastTimeText, 12), bytesEqual(p + 20, lastTimeText + 20, n - 20) {
            if bytesEqual(p + 12, lastTimeText + 12, 8) { return lastTime }
            if let clock = Timestamps.clock(p + 12) {
                lastTime += Int64(clock - lastClock)
                lastClock = clock
                (lastTimeText + 12).update(from: p + 12, count: 8)
                return lastTime
            }
        }
        guard let t = Timestamps.commonLog(s) else { return nil }
        if n <= 32 {
            lastTimeText.update(from: s.base!, count: n)
            lastTimeLength = n
            lastTime = t
            lastClock = Timestamps.clock(s.base! + 12)!
        }
        return t
    }

    /// `path` then `?query` (when the query is not empty or `-`), copied into scratch.
    @inline(__always)
    mutating func join(path: ByteSlice, query: ByteSlice) -> ByteSlice {
        var q = query
        if q.isDash { q = .empty }
        if q.count > 0, q[0] == 0x3F { q = q.dropFirst(1) }
        guard q.count > 0 else { return path }
        let start = buffer + used
        if path.count > 0 { memcpy(start, path.base!, path.count) }
        start[path.count] = 0x3F
        memcpy(start + path.count + 1, q.base!, q.count)
        let total = path.count + 1 + q.count
        used += total
        return ByteSlice(base: UnsafePointer(start), count: total)
    }

    /// Room for `count` bytes in scratch.
    @inline(__always)
    mutating func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        let start = buffer + used
        used += count
        return start
    }
}

/// The first `byte` in `[from, end)`: 16 bytes a compare for the first 64 (most fields are
/// short), then memchr for long stretches. It may read up to 15 bytes past `end`: every line
/// parsed lives in a block buffer with `ParseContext.padding` spare bytes.
@inline(__always)
func findByte(_ byte: UInt8, from: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
    let near = min(end, from + 64)
    if let q = scale_find_byte16(from, near, byte) { return q }
    guard near < end, let found = memchr(near, Int32(byte), end - near) else { return nil }
    return UnsafePointer(found.assumingMemoryBound(to: UInt8.self))
}

/// The last `byte` in `[from, end)`, a word at a time from the end, reading nothing outside
/// the range (before `from` may be before the buffer).
@inline(__always)
func findLastByte(_ byte: UInt8, from: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
    let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
    let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
    var e = end
    while e - from >= 8 {
        let x = UnsafeRawPointer(e - 8).loadUnaligned(as: UInt64.self) ^ pattern
        // The high bit of each byte that is zero, exactly (no borrow between bytes).
        let zeros = ~(((x & low7) &+ low7) | x | low7)
        if zeros != 0 { return e - 8 + (63 - zeros.leadingZeroBitCount) / 8 }
        e -= 8
    }
    while e > from {
        e -= 1
        if e.pointee == byte { return e }
    }
    return nil
}

/// A literal of a line template (` [`, `" "`) ready to be searched for in a line: the byte to
/// look for is its first that is not a space (`[` of ` [`, `"` of ` "`), since spaces are
/// everywhere in a log line and each false match costs a compare; a candidate is checked
/// against the literal's first eight bytes, packed in one word, with one load. The bytes live
/// with whoever made it (`base`).
struct LineLiteral {
    let base: UnsafePointer<UInt8>
    let length: Int
    let anchor: Int
    let anchorByte: UInt8
    let packed: UInt64
    let mask: UInt64
    /// It starts with a quote: a quote escaped with a backslash (`\"`, as Apache and
    /// varnishncsa write it) is not the end of the field.
    let escapable: Bool

    init(_ base: UnsafePointer<UInt8>, _ length: Int) {
        self.base = base
        self.length = length
        var anchor = 0
        while anchor < length, base[anchor] == 0x20 { anchor += 1 }
        self.anchor = anchor < length ? anchor : 0
        anchorByte = length > 0 ? base[self.anchor] : 0
        var packed: UInt64 = 0, mask: UInt64 = 0
        for i in 0..<min(length, 8) {
            packed |= UInt64(base[i]) << (8 * UInt64(i))
            mask |= 0xFF << (8 * UInt64(i))
        }
        self.packed = packed
        self.mask = mask
        escapable = length > 0 && base[0] == 0x22
    }

    /// Where the literal first is in `[from, end)`.
    @inline(__always)
    func find(from: UnsafePointer<UInt8>, end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8>? {
        var p = from + anchor
        while p < end {
            guard let hit = findByte(anchorByte, from: p, end: end) else { return nil }
            let candidate = hit - anchor
            if candidate + length > end { return nil }
            if matches(candidate), !escapable || !Self.escaped(candidate, from: from) { return candidate }
            p = hit + 1
        }
        return nil
    }

    /// The literal's bytes are at `c` (which has `length` bytes before the line's end, and the
    /// line's padding after it, so a whole word may be read).
    @inline(__always)
    private func matches(_ c: UnsafePointer<UInt8>) -> Bool {
        guard (UnsafeRawPointer(c).loadUnaligned(as: UInt64.self) ^ packed) & mask == 0 else { return false }
        return length <= 8 || bytesEqual(c + 8, base + 8, length - 8)
    }

    /// Whether the quote at `q` is escaped by an odd number of backslashes after `start`.
    @inline(__always)
    static func escaped(_ q: UnsafePointer<UInt8>, from start: UnsafePointer<UInt8>) -> Bool {
        var backslashes = 0
        var b = q - 1
        while b >= start, b.pointee == 0x5C { backslashes += 1; b -= 1 }
        return backslashes & 1 == 1
    }
}

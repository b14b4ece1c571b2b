/// Counts for one key of a breakdown (or for all requests): requests and bytes per cache class,
/// plus what the ratio definitions and the findings need. Everything adds up exactly, so
/// per-thread tallies and partial files merge to the same numbers one pass would give.
///
/// Layout matters on the hot path: the totals come first and each class's requests and bytes
/// sit side by side, so adding a request touches two adjacent cache lines, not four.
public struct Tally: Sendable, BitwiseCopyable {
    public var totalRequests: UInt64 = 0
    public var totalBytes: UInt64 = 0
    /// Bytes fetched from the origin: measured where the format logs them, else the bytes of
    /// MISS and PASS responses.
    public var originBytes: UInt64 = 0
    /// MISS on a method other than GET/HEAD: no cache stores those, so CloudFront's definition
    /// leaves them out of the cacheable requests.
    public var unsafeMissRequests: UInt64 = 0
    /// Requests, bytes for class 0, then class 1 …
    private var perClass = InlineArray<18, UInt64>(repeating: 0)
    public var unsafeMissBytes: UInt64 = 0
    /// Requests whose stored copy had expired (nginx EXPIRED, Cloudflare expired…).
    public var expiredRequests: UInt64 = 0
    /// PASS on GET/HEAD with a status a cache may store by default and a static-file extension.
    public var passCacheableRequests: UInt64 = 0
    public var passCacheableBytes: UInt64 = 0

    public init() {}

    @inline(__always)
    mutating func add(_ c: Int, bytes b: UInt64, origin: UInt64, unsafeMiss: Bool, expired: Bool, passCacheable: Bool) {
        totalRequests &+= 1
        totalBytes &+= b
        originBytes &+= origin
        perClass[2 &* c] &+= 1
        perClass[2 &* c &+ 1] &+= b
        if unsafeMiss { unsafeMissRequests &+= 1; unsafeMissBytes &+= b }
        if expired { expiredRequests &+= 1 }
        if passCacheable { passCacheableRequests &+= 1; passCacheableBytes &+= b }
    }

    public mutating func merge(_ o: Tally) {
        withUnsafeMutablePointer(to: &self) { target in
            withUnsafePointer(to: o) { Self.add($0, to: target) }
        }
    }

    /// Every field is a count that merges by adding, so a tally is `words` UInt64s added word
    /// to word, in place: merging big tables passed each 208-byte tally through a copy and
    /// added it field by field (TallyLayoutTests checks the layout).
    static let words = MemoryLayout<Tally>.size / MemoryLayout<UInt64>.stride

    @inline(__always)
    static func add(_ source: UnsafePointer<Tally>, to target: UnsafeMutablePointer<Tally>) {
        UnsafeRawPointer(source).withMemoryRebound(to: UInt64.self, capacity: words) { s in
            UnsafeMutableRawPointer(target).withMemoryRebound(to: UInt64.self, capacity: words) { t in
                for k in 0..<words { t[k] &+= s[k] }
            }
        }
    }

    /// Whether the fields agree as counting makes them agree (the classes add up to the totals;
    /// the parts are no larger than their wholes) and lie within `whole` (a run's totals).
    func isConsistent(within whole: Tally) -> Bool {
        var requests: UInt64 = 0, bytes: UInt64 = 0
        for c in 0..<CacheClass.count {
            let r = requests.addingReportingOverflow(self.requests(c)), b = bytes.addingReportingOverflow(self.bytes(c))
            guard !r.overflow, !b.overflow else { return false }
            requests = r.partialValue; bytes = b.partialValue
        }
        return requests == totalRequests && bytes == totalBytes
            && totalRequests <= whole.totalRequests && totalBytes <= whole.totalBytes && originBytes <= whole.originBytes
            && unsafeMissRequests <= totalRequests && expiredRequests <= totalRequests && passCacheableRequests <= totalRequests
            && unsafeMissBytes <= totalBytes && passCacheableBytes <= totalBytes
    }

    /// Where class `c`'s request and byte counts sit in a tally (for prefetching them).
    /// A constant, not `MemoryLayout.offset(of:)`: a lazily set static cost a `swift_once` call
    /// per line on the hot path. `perClass` follows the four totals (TallyTests checks it).
    @inline(__always)
    static func classOffset(_ c: Int) -> Int { 4 &* MemoryLayout<UInt64>.stride &+ 16 &* c }

    public func requests(_ c: CacheClass) -> UInt64 { perClass[2 * c.rawValue] }
    public func bytes(_ c: CacheClass) -> UInt64 { perClass[2 * c.rawValue + 1] }
    func requests(_ c: Int) -> UInt64 { perClass[2 * c] }
    func bytes(_ c: Int) -> UInt64 { perClass[2 * c + 1] }

    mutating func set(_ c: CacheClass, requests: UInt64, bytes: UInt64) {
        perClass[2 * c.rawValue] = requests
        perClass[2 * c.rawValue + 1] = bytes
    }

    /// HIT + STALE + REVAL.
    public var servedFromCache: UInt64 { requests(0) + requests(1) + requests(2) }

    /// The numbers in a fixed order, for partial files and equality.
    var fields: [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(Self.fieldCount)
        for c in 0..<CacheClass.count { out.append(requests(c)) }
        for c in 0..<CacheClass.count { out.append(bytes(c)) }
        out += [unsafeMissRequests, unsafeMissBytes, originBytes, expiredRequests, passCacheableRequests,
                passCacheableBytes, totalRequests, totalBytes]
        return out
    }

    static let fieldCount = 26

    init(fields f: ArraySlice<UInt64>) {
        var i = f.startIndex
        for c in 0..<CacheClass.count { perClass[2 * c] = f[i]; i += 1 }
        for c in 0..<CacheClass.count { perClass[2 * c + 1] = f[i]; i += 1 }
        unsafeMissRequests = f[i]; unsafeMissBytes = f[i + 1]; originBytes = f[i + 2]; expiredRequests = f[i + 3]
        passCacheableRequests = f[i + 4]; passCacheableBytes = f[i + 5]; totalRequests = f[i + 6]; totalBytes = f[i + 7]
    }
}

extension Tally: Equatable {
    public static func == (a: Tally, b: Tally) -> Bool { a.fields == b.fields }
}

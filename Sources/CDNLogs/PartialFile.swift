import CZlib
public import ScaleCore

/// `--partial out.scp`: a compact, versioned dump of `LogStatistics`, so machines that each read
/// a share of the logs can be merged into the report one run over everything would give
/// (`scalectl cdn merge *.scp`). Numbers are LEB128 varints (most are small or zero); the file
/// ends with the CRC-32 (zlib's, as gzip uses) of its contents, so a truncated or damaged file
/// is refused, not misread.
public enum PartialFile {
    static let magic = Array("SCALECTL-CDN-PARTIAL\n".utf8)
    /// 2 adds the inputs covered; 3 counts every cache-status value, not only unknown ones
    /// (`--by value`), so older files, whose value table is partial, are refused.
    public static let version: UInt64 = 3

    public static func isPartial(_ prefix: [UInt8]) -> Bool {
        prefix.count >= magic.count && Array(prefix.prefix(magic.count)) == magic
    }

    public static func encode(_ s: LogStatistics) -> [UInt8] {
        var w = Writer()
        w.bytes += magic
        w.number(version)
        w.number(UInt64(s.depth))
        w.signed(s.bucketSeconds)
        w.number(UInt64(s.maxKeys))
        w.string(s.filters)
        w.tally(s.totals)
        for t in s.statusClasses { w.tally(t) }
        for h in [s.hitLatency, s.missLatency, s.passLatency] {
            w.number(UInt64(h.counts.count))
            for c in h.counts { w.number(c) }
        }
        for n in [s.lines, s.commentLines, s.malformedLines, s.filteredLines, s.originMeasuredRequests, s.untimedRequests] { w.number(n) }
        w.signed(s.firstTime)
        w.signed(s.lastTime)
        let formats = s.formats.sorted { $0.key < $1.key }
        w.number(UInt64(formats.count))
        for (name, n) in formats { w.string(name); w.number(n) }
        w.number(UInt64(s.malformedSamples.count))
        for m in s.malformedSamples { w.string(m.input); w.number(m.line); w.string(m.reason); w.string(m.excerpt) }
        w.number(UInt64(s.tables.count))
        for t in s.tables {
            w.number(UInt64(t.count))
            w.number(t.evictions)
            w.number(t.floor)
            for i in t.indices {
                w.blob(t.key(at: i))
                w.number(t.weight(i))
                w.number(t.errors[i])
                w.tally(t.values[i])
            }
        }
        // The inputs covered, last (added in version 2).
        w.number(UInt64(s.inputs.count))
        for input in s.inputs { w.string(input.name); w.number(input.bytes); w.number(UInt64(input.digest)) }
        let digest = checksum(w.bytes)
        w.bytes += withUnsafeBytes(of: digest.littleEndian) { Array($0) }
        return w.bytes
    }

    /// Reads a partial file; `name` is used in messages. The file holds keys, not hashes: they
    /// are hashed with `hashKey` (give the key of the statistics it will be merged into).
    public static func decode(_ bytes: [UInt8], name: String, hashKey: HashKey = .random()) throws(ScaleError) -> LogStatistics {
        guard isPartial(bytes) else {
            throw .input("not a scalectl cdn partial file", at: name, fix: "write one with 'scalectl cdn hits \(Parameter.partial) FILE LOGS…'")
        }
        guard bytes.count >= magic.count + 4 else { throw damaged(name) }
        let body = Array(bytes.dropLast(4))
        let stored = bytes.suffix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        guard UInt32(littleEndian: stored) == checksum(body) else { throw damaged(name) }
        var r = Reader(bytes: body, offset: magic.count)
        let version = (try? r.number()) ?? 0
        guard version == Self.version else {
            throw .input("partial file version \(version) is not supported (this scalectl writes version \(Self.version))", at: name,
                         fix: "write the partials and merge them with the same scalectl version")
        }
        do throws(Reader.Failure) {
            // The settings within what `cdn hits` accepts, before anything is sized by them.
            let depth = try r.number(in: 1...32)
            let bucket = try r.signed()
            guard bucket >= 1, bucket <= 366 * 86_400 else { throw Reader.Failure() }
            let maxKeys = try r.number(in: 1...100_000_000)
            let s = LogStatistics(depth: depth, bucketSeconds: bucket, maxKeys: maxKeys, hashKey: hashKey)
            s.filters = try r.string()
            s.totals = try r.tally()
            for i in 0..<6 { s.statusClasses[i] = try r.tally() }
            var histograms: [LatencyHistogram] = []
            for _ in 0..<3 {
                // Checked before any conversion: a forged count would trap converting to Int.
                let n = try r.number(in: LatencyHistogram.bucketCount...LatencyHistogram.bucketCount)
                var counts: [UInt64] = []
                counts.reserveCapacity(n)
                for _ in 0..<n { counts.append(try r.number()) }
                histograms.append(LatencyHistogram(counts: counts))
            }
            s.hitLatency = histograms[0]; s.missLatency = histograms[1]; s.passLatency = histograms[2]
            s.lines = try r.number(); s.commentLines = try r.number(); s.malformedLines = try r.number()
            s.filteredLines = try r.number(); s.originMeasuredRequests = try r.number(); s.untimedRequests = try r.number()
            s.firstTime = try r.signed()
            s.lastTime = try r.signed()
            for _ in 0..<(try r.count()) { s.formats[try r.string()] = try r.number() }
            for _ in 0..<(try r.count()) {
                s.malformedSamples.append(MalformedLine(input: try r.string(), line: try r.number(), reason: try r.string(), excerpt: try r.string()))
            }
            guard try r.count() == s.tables.count else { throw Reader.Failure() }
            for t in s.tables {
                let n = try r.count()
                t.restoreEvictions(try r.number())
                t.restoredFloor = try r.number()
                for _ in 0..<n {
                    let key = try r.blob()
                    let weight = try r.number()
                    let error = try r.number()
                    let tally = try r.tally()
                    // A key's weight is its error plus its requests; anything else was altered.
                    guard weight == error &+ tally.totalRequests else { throw Reader.Failure() }
                    t.restore(key: key, tally: tally, error: error)
                }
            }
            for _ in 0..<(try r.count()) {
                let name = try r.string(), bytes = try r.number(), digest = try r.number()
                guard let digest = UInt32(exactly: digest) else { throw Reader.Failure() }
                s.inputs.append(InputCoverage(name: name, bytes: bytes, digest: digest))
            }
            guard r.offset == body.count, Self.isConsistent(s) else { throw Reader.Failure() }
            s.noteTotals()
            return s
        } catch {
            throw damaged(name)
        }
    }

    /// Whether the counts agree as counting makes them agree: every count is part of the lines
    /// or of the byte totals, which `LogStatistics.noteTotals` bounds. A file edited and given a
    /// fresh checksum fails here, not in a report's arithmetic.
    static func isConsistent(_ s: LogStatistics) -> Bool {
        let t = s.totals
        guard t.isConsistent(within: t), s.totals.totalRequests <= s.lines, s.malformedLines <= s.lines, s.commentLines <= s.lines,
              s.filteredLines <= s.lines, s.untimedRequests <= t.totalRequests, s.originMeasuredRequests <= t.totalRequests else { return false }
        let times = Timestamps.validSeconds
        guard (s.firstTime == .max && s.lastTime == .min) || (times.contains(s.firstTime) && times.contains(s.lastTime)) else { return false }
        var formats: UInt64 = 0
        for n in s.formats.values {
            let (sum, wrapped) = formats.addingReportingOverflow(n)
            guard !wrapped, sum <= t.totalRequests else { return false }
            formats = sum
        }
        for status in s.statusClasses where !status.isConsistent(within: t) { return false }
        for h in [s.hitLatency, s.missLatency, s.passLatency] {
            var sum: UInt64 = 0
            for c in h.counts {
                let (next, wrapped) = sum.addingReportingOverflow(c)
                guard !wrapped, next <= t.totalRequests else { return false }
                sum = next
            }
        }
        for table in s.tables {
            // A key's inherited error is requests counted before it: no more than all of them.
            for i in table.indices where !table.values[i].isConsistent(within: t) || table.errors[i] > t.totalRequests { return false }
        }
        // Time keys are bucket numbers whose start must be a date (reports print it).
        let time = s.table(.time)
        for i in time.indices {
            let key = time.key(at: i)
            guard key.count == 8 else { return false }
            let bucket = key.withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
            let (start, overflow) = bucket.multipliedReportingOverflow(by: s.bucketSeconds)
            guard !overflow, times.contains(start) else { return false }
        }
        return true
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in UInt32(crc32(0, b.baseAddress, UInt32(b.count))) }
    }

    private static func damaged(_ name: String) -> ScaleError {
        .input("the partial file is truncated or damaged", at: name, fix: "write it again with 'scalectl cdn hits \(Parameter.partial)'")
    }

    struct Writer {
        var bytes: [UInt8] = []

        mutating func number(_ v: UInt64) {
            var v = v
            while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            bytes.append(UInt8(v))
        }

        mutating func signed(_ v: Int64) { number(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
        mutating func blob(_ b: [UInt8]) { number(UInt64(b.count)); bytes += b }
        mutating func string(_ s: String) { blob(Array(s.utf8)) }
        mutating func tally(_ t: Tally) { for f in t.fields { number(f) } }
    }

    struct Reader {
        struct Failure: Error {}
        let bytes: [UInt8]
        var offset: Int

        mutating func number() throws(Failure) -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard offset < bytes.count, shift < 64 else { throw Failure() }
                let b = bytes[offset]
                offset += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }

        mutating func signed() throws(Failure) -> Int64 {
            let u = try number()
            return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
        }

        mutating func number(in range: ClosedRange<Int>) throws(Failure) -> Int {
            let n = try number()
            guard n >= UInt64(range.lowerBound), n <= UInt64(range.upperBound) else { throw Failure() }
            return Int(n)
        }

        mutating func count() throws(Failure) -> Int {
            let n = try number()
            guard n <= UInt64(bytes.count) else { throw Failure() }
            return Int(n)
        }

        mutating func blob() throws(Failure) -> [UInt8] {
            let n = try count()
            guard offset + n <= bytes.count else { throw Failure() }
            defer { offset += n }
            return Array(bytes[offset..<(offset + n)])
        }

        mutating func string() throws(Failure) -> String { String(decoding: try blob(), as: UTF8.self) }

        mutating func tally() throws(Failure) -> Tally {
            var f: [UInt64] = []
            f.reserveCapacity(Tally.fieldCount)
            for _ in 0..<Tally.fieldCount { f.append(try number()) }
            return Tally(fields: f[...])
        }
    }
}

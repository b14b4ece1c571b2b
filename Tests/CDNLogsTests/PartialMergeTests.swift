import CDNLogs
import ScaleCore
import Testing
import TestSupport

/// Partial results: four machines each read a quarter of a log, write a partial file, and the
/// merge equals one run over the whole log — every count, row, histogram and example.
@Suite struct PartialMergeTests {
    static func sample() -> [String] {
        var generator = SplitMix64(seed: 5)
        let words = ["HIT", "MISS", "EXPIRED", "BYPASS", "STALE", "-", "NEWWORD"]
        return (0..<4000).map { i in
            let r = generator.next()
            if i % 997 == 3 { return "not a log line \(i)" }
            return "192.0.2.\(r % 200) - - [23/Nov/2026:\(10 + i / 3600):\(i / 60 % 60 < 10 ? "0" : "")\(i / 60 % 60):\(i % 60 < 10 ? "0" : "")\(i % 60) +0000] \"GET /d\(r % 11)/f\(r % 301).\(["js", "mp4", "png", "html"][Int(r % 4)])?q=\(r % 40) HTTP/1.1\" 200 \(r % 100_000) \"-\" \"ua \(r % 7)\" 0.\(String(r % 900 + 100)) \(words[Int(r % 7)])"
        }
    }

    static func assertSame(_ a: LogStatistics, _ b: LogStatistics, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.totals == b.totals, sourceLocation: sourceLocation)
        #expect(a.statusClasses == b.statusClasses, sourceLocation: sourceLocation)
        #expect(a.hitLatency == b.hitLatency && a.missLatency == b.missLatency && a.passLatency == b.passLatency, sourceLocation: sourceLocation)
        #expect(a.lines == b.lines && a.malformedLines == b.malformedLines && a.filteredLines == b.filteredLines, sourceLocation: sourceLocation)
        #expect(a.firstTime == b.firstTime && a.lastTime == b.lastTime, sourceLocation: sourceLocation)
        #expect(a.formats == b.formats, sourceLocation: sourceLocation)
        #expect(a.unknownValues.map(\.name) == b.unknownValues.map(\.name), sourceLocation: sourceLocation)
        for breakdown in Breakdown.allCases {
            #expect(a.rows(breakdown, top: 100_000) == b.rows(breakdown, top: 100_000), "\(breakdown)", sourceLocation: sourceLocation)
        }
        #expect(a.findings() == b.findings(), sourceLocation: sourceLocation)
    }

    @Test func mergingFourSplitsEqualsOneRun() throws {
        let lines = Self.sample()
        let whole = try analyze(lines.joined(separator: "\n") + "\n", name: "all.log") { $0.malformedExamples = 3 }.statistics
        #expect(whole.requests > 3000)
        #expect(whole.malformedLines == 5)

        // Four uneven splits, each analysed on its own and written as a partial file.
        let cuts = [0, 700, 1900, 2500, lines.count]
        var merged: LogStatistics?
        for part in 0..<4 {
            let text = lines[cuts[part]..<cuts[part + 1]].joined(separator: "\n") + "\n"
            let s = try analyze(text, name: "part\(part).log") { $0.malformedExamples = 3 }.statistics
            let file = PartialFile.encode(s)
            #expect(PartialFile.isPartial(file))
            let read = try PartialFile.decode(file, name: "part\(part).scp")
            if let m = merged { m.merge(read) } else { merged = read }
        }
        let m = try #require(merged)
        Self.assertSame(m, whole)
        // Malformed examples keep their own file and line: lines 3, 1000, 1997, 2994 and 3991
        // (from 0) fall in the four parts at these 1-based lines.
        #expect(m.malformedSamples.map { "\($0.input):\($0.line)" } == ["part0.log:4", "part1.log:301", "part2.log:98", "part3.log:495", "part3.log:1492"])
        #expect(whole.malformedSamples.map(\.line) == [4, 1001, 1998])
    }

    @Test func aPartialRoundTripsExactly() throws {
        let s = try analyze(Self.sample().joined(separator: "\n") + "\n") { $0.depth = 2; $0.bucketSeconds = 300 }.statistics
        let read = try PartialFile.decode(PartialFile.encode(s), name: "x.scp")
        #expect(read.depth == 2 && read.bucketSeconds == 300)
        Self.assertSame(read, s)
        // Compact: varints keep it well under the raw 8 bytes per number.
        #expect(PartialFile.encode(s).count < s.rows(.url, top: 100_000).count * 100)
    }

    @Test func sketchesMergeWithTheirErrorBounds() throws {
        let lines = Self.sample()
        let whole = try analyze(lines.joined(separator: "\n") + "\n") { $0.maxKeys = 40 }.statistics
        let halves = [lines.prefix(2000), lines.suffix(2000)].map { Array($0) }
        let merged = try PartialFile.decode(PartialFile.encode(try analyze(halves[0].joined(separator: "\n") + "\n") { $0.maxKeys = 40 }.statistics), name: "a")
        merged.merge(try PartialFile.decode(PartialFile.encode(try analyze(halves[1].joined(separator: "\n") + "\n") { $0.maxKeys = 40 }.statistics), name: "b"))
        #expect(merged.totals == whole.totals, "totals never depend on the sketch")
        let accuracy = try #require(merged.accuracy(.url))
        #expect(accuracy.isSketch)
        // True counts from the text itself.
        var truth: [String: UInt64] = [:]
        for line in lines where line.contains("\"GET ") {
            truth[String(line.split(separator: " ")[6]), default: 0] += 1
        }
        for row in merged.rows(.url, top: 1000) {
            let real = truth[row.key] ?? 0
            #expect(row.tally.totalRequests <= real && real <= row.tally.totalRequests + row.error, "\(row.key)")
        }
    }

    @Test func damagedPartialsAreRefused() throws {
        let file = PartialFile.encode(try analyze(Self.sample().prefix(50).joined(separator: "\n") + "\n").statistics)
        for damaged in [Array(file.prefix(file.count / 2)), Array(file.prefix(30)), file.enumerated().map { $0.offset == 200 ? $0.element ^ 0x40 : $0.element }] {
            #expect(throws: ScaleError.self) { try PartialFile.decode(damaged, name: "bad.scp") }
        }
        do {
            _ = try PartialFile.decode(Array(file.prefix(file.count / 2)), name: "bad.scp")
        } catch {
            #expect(error.naming { "--\($0.name)" }.description == "bad.scp: the partial file is truncated or damaged; write it again with 'scalectl cdn hits --partial'")
        }
        #expect(throws: ScaleError.self) { try PartialFile.decode(Array("not a partial".utf8), name: "x") }
    }
}

/// gzip read in-process through zlib, checked against the same text uncompressed, with the
/// compressed files made by the real gzip command.
@Suite(.requires("/bin/gzip", package: "gzip"))
struct GzipTests {
    static func gzip(_ text: String) throws -> [UInt8] {
        let dir = try TemporaryDirectory(prefix: "scalectl-gzip")
        defer { dir.remove() }
        try dir.write("in", Array(text.utf8))
        let result = Subprocess.run(["/bin/sh", "-c", "gzip -c \(dir.path)/in | od -An -v -tu1"])
        return result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0) }
    }

    static func input(_ bytes: [UInt8], name: String = "x.log.gz") -> LogInput {
        LogInput(name: name) { () throws(ScaleError) -> any LogByteSource in
            try GzipSource(MemorySource(bytes, chunk: 1000), name: name)
        }
    }

    @Test func aGzipFileGivesTheSameCountsAsTheText() throws {
        let text = PartialMergeTests.sample().joined(separator: "\n") + "\n"
        let compressed = try Self.gzip(text)
        #expect(GzipSource.isGzip(compressed))
        #expect(compressed.count < text.utf8.count / 3)
        var options = AnalysisOptions()
        options.blockSize = 16 << 10
        let fromGzip = try LogAnalyzer.analyze([Self.input(compressed)], options: options).statistics
        let plain = try analyze(text).statistics
        PartialMergeTests.assertSame(fromGzip, plain)
    }

    @Test func concatenatedMembersAreReadInTurn() throws {
        let lines = PartialMergeTests.sample()
        let a = lines.prefix(1000).joined(separator: "\n") + "\n"
        let b = lines.dropFirst(1000).joined(separator: "\n") + "\n"
        let both = try Self.gzip(a) + Self.gzip(b)
        let s = try LogAnalyzer.analyze([Self.input(both)], options: AnalysisOptions()).statistics
        PartialMergeTests.assertSame(s, try analyze(a + b).statistics)
    }

    @Test func aTruncatedOrDamagedGzipIsAnError() throws {
        let compressed = try Self.gzip(PartialMergeTests.sample().joined(separator: "\n") + "\n")
        let cut = Array(compressed.prefix(compressed.count / 2))
        #expect {
            _ = try LogAnalyzer.analyze([Self.input(cut)], options: AnalysisOptions())
        } throws: { ($0 as? ScaleError)?.description == "x.log.gz: the gzip data ends early (truncated file); check the file with 'gzip -t'" }
        var damaged = compressed
        for i in 20..<60 { damaged[i] ^= 0xFF }
        #expect {
            _ = try LogAnalyzer.analyze([Self.input(damaged)], options: AnalysisOptions())
        } throws: { ($0 as? ScaleError)?.what.hasPrefix("the gzip data is damaged") == true }
    }
}

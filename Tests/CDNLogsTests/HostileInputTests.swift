import CDNLogs
import ScaleCore
import Testing

/// Input a log analyzer meets in the wild: cut-off lines, escaped quotes, spaces where awk
/// splits, invalid UTF-8, huge lines, empty and binary files. Every case is counted and
/// reported — never a crash, never a silently shifted column.
@Suite struct HostileInputTests {
    static func line(_ second: Int, _ path: String = "/a", ua: String = "curl/8.5.0", cache: String = "HIT", bytes: Int = 100) -> String {
        let s = second % 60, m = second / 60 % 60
        return "192.0.2.1 - - [23/Nov/2026:08:\(m < 10 ? "0" : "")\(m):\(s < 10 ? "0" : "")\(s) +0000] \"GET \(path) HTTP/1.1\" 200 \(bytes) \"-\" \"\(ua)\" \(cache)"
    }

    @Test func truncatedLinesAreCountedWithTheirLineNumbers() throws {
        let full = Self.line(0)
        let lines = [full, String(full.prefix(40)), Self.line(1, cache: "MISS"), String(full.prefix(70)), Self.line(2)]
        // The last line has no newline: a log being written.
        let result = try analyze(lines.joined(separator: "\n")) { $0.malformedExamples = 5 }
        let s = result.statistics
        #expect(classCounts(s) == ["HIT": 2, "MISS": 1])
        #expect(s.malformedLines == 2)
        #expect(s.malformedSamples.map(\.line) == [2, 4])
        #expect(s.malformedSamples.allSatisfy { $0.input == "test.log" })
    }

    @Test func escapedQuotesAndSpacesNeverShiftColumns() throws {
        let log = [
            // nginx writes a quote as \x22; Apache and varnishncsa as \".
            Self.line(0, "/q?s=\\x22a b\\x22", ua: "agent \\x22with quotes\\x22 and spaces", cache: "MISS"),
            Self.line(1, "/q2", ua: #"say \"hi\" \" tricky"#, cache: "HIT"),
            // A URL logged with raw spaces (nginx logs the request line as received).
            Self.line(2, "/a path with spaces.css", cache: "BYPASS"),
            // A user agent that ends in a backslash.
            Self.line(3, "/b", ua: #"trailing \\"#, cache: "MISS"),
        ].joined(separator: "\n") + "\n"
        let s = try analyze(log).statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["MISS": 2, "HIT": 1, "PASS": 1])
        let urls = Set(s.rows(.url, top: 10).map(\.key))
        #expect(urls == ["/q?s=\\x22a b\\x22", "/q2", "/a path with spaces.css", "/b"])
        #expect(s.rows(.ext, top: 10).contains { $0.key == "css" })
    }

    @Test func invalidUTF8AndControlBytesAreCountedAsBytes() throws {
        var bytes = Array(Self.line(0, cache: "MISS").utf8) + [0x0A]
        // A path with invalid UTF-8 and a NUL, a user agent with an escape sequence.
        bytes += Array("192.0.2.1 - - [23/Nov/2026:08:00:01 +0000] \"GET /\u{0}x".utf8) + [0xFF, 0xFE, 0xC3]
        bytes += Array(" HTTP/1.1\" 200 5 \"-\" \"\u{1B}[31mred\" HIT\r\n".utf8)
        let s = try analyze(bytes).statistics
        #expect(s.malformedLines == 0)
        #expect(classCounts(s) == ["MISS": 1, "HIT": 1], "CRLF line ends too")
        #expect(s.rows(.url, top: 5).contains { $0.key.hasPrefix("/\u{0}x\u{FFFD}") }, "invalid bytes shown as U+FFFD")
    }

    @Test(arguments: [4 << 10, 64 << 10, 1 << 20])
    func longLinesAreParsedWhole(length: Int) throws {
        let ua = String(repeating: "A", count: length)
        let url = "/" + String(repeating: "u", count: length)
        let log = [Self.line(0, cache: "MISS"), Self.line(1, ua: ua, cache: "HIT"), Self.line(2, url, cache: "BYPASS"), Self.line(3, cache: "MISS")]
            .joined(separator: "\n") + "\n"
        let s = try analyze(log) { $0.maxLineBytes = 64 << 10 }.statistics
        if length < 64 << 10 - 200 {
            #expect(s.malformedLines == 0)
            #expect(classCounts(s) == ["MISS": 2, "HIT": 1, "PASS": 1])
            // Keys are kept to 2 KiB: a megabyte URL still counts, under its first 2 KiB.
            #expect(s.rows(.uncacheable, top: 1).first?.key.count == min(url.count, 2048))
        } else {
            // Longer than a block: counted as malformed, the rest unharmed.
            #expect(s.malformedLines == 2)
            #expect(classCounts(s) == ["MISS": 2])
        }
        // With the default 8 MiB line limit, every one is read whole (blocks are 2 MiB).
        let whole = try analyze(log).statistics
        #expect(whole.malformedLines == 0)
        #expect(classCounts(whole) == ["MISS": 2, "HIT": 1, "PASS": 1])
    }

    @Test func aLineLongerThanABlockKeepsLaterLineNumbersRight() throws {
        let long = Self.line(0, ua: String(repeating: "x", count: 200_000))
        let log = [Self.line(1), long, Self.line(2, cache: "MISS"), "garbage", Self.line(3)].joined(separator: "\n") + "\n"
        let s = try analyze(log) {
            $0.maxLineBytes = 64 << 10
            $0.malformedExamples = 5
        }.statistics
        #expect(s.malformedSamples.map(\.line) == [2, 4])
        #expect(s.malformedSamples.first?.reason.contains("longer than") == true)
        #expect(classCounts(s) == ["HIT": 2, "MISS": 1])
    }

    /// Blocks grow to hold a line longer than themselves, up to the line limit; past it the
    /// line is skipped and the lines after it (even one cut across the next read) count whole,
    /// however the input arrives in pieces.
    @Test(arguments: [1, 777, 65_536], [4096, 64 << 10])
    func blocksGrowForLongLinesUpToTheLimit(chunk: Int, block: Int) throws {
        var lines: [String] = []
        for i in 0..<40 {
            let length = [10, 5000, 30_000, 70_000, 100 + i * 1500][i % 5]
            lines.append(Self.line(i, ua: String(repeating: "u", count: length), cache: i % 2 == 0 ? "HIT" : "MISS"))
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        var options = AnalysisOptions()
        options.threads = 2
        options.blockSize = block
        options.maxLineBytes = 64 << 10
        options.malformedExamples = 100
        let input = LogInput(name: "x.log") { MemorySource(bytes, chunk: chunk) }
        let s = try LogAnalyzer.analyze([input], options: options).statistics
        // Every fifth line, from the fourth, is 70,000 bytes of user agent: over the limit.
        #expect(s.malformedSamples.map(\.line) == stride(from: 4, through: 40, by: 5).map { UInt64($0) })
        #expect(s.malformedSamples.allSatisfy { $0.reason == "the line is longer than 64.0 KiB" })
        #expect(s.requests == 32)
        #expect(classCounts(s) == ["HIT": 16, "MISS": 16])
    }

    /// The end of a skipped line leaves a block holding only the start of the next line: that
    /// line is read on, not taken for another overlong one.
    @Test func theLineAfterASkippedOneIsReadWhole() throws {
        let prefix = Self.line(0, ua: "")
        let long = Self.line(0, ua: String(repeating: "x", count: 2 * 65_536 - 50 - prefix.utf8.count))
        let log = [long, Self.line(1), Self.line(2, cache: "MISS"), Self.line(3)].joined(separator: "\n") + "\n"
        let s = try analyze(log) {
            $0.maxLineBytes = 64 << 10
            $0.malformedExamples = 5
        }.statistics
        #expect(s.malformedSamples.map(\.line) == [1])
        #expect(classCounts(s) == ["HIT": 2, "MISS": 1])
    }

    @Test func anEmptyInputCountsNothing() throws {
        for text in ["", "\n\n\n", "   \n"] {
            let s = try analyze(text).statistics
            #expect(s.requests == 0)
            #expect(RatioDefinition.cache.hitRatio(s.totals) == nil)
        }
    }

    @Test func aBinaryFileIsAnErrorNamingTheClosestFormatAndLine() throws {
        var generator = SplitMix64(seed: 99)
        let bytes = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        do {
            _ = try analyze(bytes, name: "core.bin")
            Issue.record("a binary file must not pass as a log")
        } catch let error as ScaleError {
            #expect(error.location == "core.bin")
            #expect(error.what.hasPrefix("no known log format matches; the closest is "))
            #expect(error.what.contains(": line 1: "))
            #expect(error.exitCode == .unknown)
        }
        // Forced to a format, the same bytes are counted as malformed lines, without a crash.
        let s = try analyze(bytes) { $0.format = .nginx }.statistics
        #expect(s.requests == 0)
        #expect(s.malformedLines == s.lines)
        #expect(s.lines > 0)
    }

    @Test func aCombinedLogWithoutCacheStatusNamesWhatIsMissing() {
        let log = "\n192.0.2.1 - - [23/Nov/2026:08:00:00 +0000] \"GET / HTTP/1.1\" 200 5 \"-\" \"curl/8.5.0\"\n"
        #expect {
            _ = try analyze(log)
        } throws: { error in
            let e = error as! ScaleError
            return e.what == "no known log format matches; the closest is nginx: line 2: the combined layout, but no field holds cache-status values (nothing follows the user agent): \"192.0.2.1 - - [23/Nov/2026:08:00:00 +0000] \\\"GET / HTTP/1.1\\\" 200 5 \\\"-\\\" \\\"curl/8.5.0\\\"\""
        }
        // Forced, it is read: every request is NONE (no cache involved).
        let forced = try? analyze(log) { $0.format = .nginx }.statistics
        #expect(forced.map(classCounts) == ["NONE": 1])
    }

    /// The same bytes cut into blocks differently, read in other chunk sizes and parsed by other
    /// numbers of threads give the same statistics.
    @Test func blocksChunksAndThreadsDoNotChangeTheCounts() throws {
        var generator = SplitMix64(seed: 7)
        var lines: [String] = []
        let words = ["HIT", "MISS", "EXPIRED", "BYPASS", "STALE", "-", "REVALIDATED"]
        for i in 0..<3000 {
            let r = generator.next()
            lines.append(Self.line(i, "/p\(r % 97)/f\(r % 13).\(["js", "css", "png"][Int(r % 3)])?v=\(r % 5)",
                                   ua: String(repeating: "u", count: Int(r % 300)), cache: words[Int(r % 7)], bytes: Int(r % 10_000)))
            if i % 500 == 250 { lines.append("junk \(i)") }
        }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        var options = AnalysisOptions()
        options.threads = 1
        options.malformedExamples = 10
        let reference = try LogAnalyzer.analyze([.bytes("x.log", bytes)], options: options).statistics
        #expect(reference.requests == 3000)
        #expect(reference.malformedSamples.map(\.line) == [252, 753, 1254, 1755, 2256, 2757])
        for (block, threads, chunk) in [(4096, 4, 1 << 20), (10_000, 2, 777), (1 << 20, 3, 1), (8 << 20, 2, 65_536)] {
            options.blockSize = block
            options.threads = threads
            let input = LogInput(name: "x.log") { MemorySource(bytes, chunk: chunk) }
            let s = try LogAnalyzer.analyze([input], options: options).statistics
            #expect(s.totals == reference.totals, "block \(block), threads \(threads), chunk \(chunk)")
            #expect(s.malformedSamples == reference.malformedSamples)
            #expect(s.hitLatency == reference.hitLatency)
            for b in Breakdown.allCases {
                #expect(s.rows(b, top: 1000) == reference.rows(b, top: 1000), "\(b)")
            }
        }
    }
}

import Glibc
import ScaleCLI
import ScaleCore
import Testing
import TestSupport

/// Golden tests of `scalectl cdn`: exact stdout, stderr and exit status. The counts behind the
/// demo log are checked here against a plain text scan of the file (an independent count),
/// the machine formats against python3's json module and promtool.
@Suite struct CDNCommandTests {
    static let demo = "demo/cdn/nginx-access.log"

    /// Runs in-process; `swift test` runs from the repository root, where the examples'
    /// relative paths (demo/…) point. No test changes the working directory: tests run in parallel.
    func cdn(_ arguments: [String], stdin: [UInt8] = [], inputBlock: Int = 1 << 16, environment: [String: String] = [:]) -> (out: String, err: String, status: ExitCode) {
        let (console, status) = cdnConsole(arguments, stdin: stdin, inputBlock: inputBlock, environment: environment)
        return (console.output, console.errors, status)
    }

    func cdnConsole(_ arguments: [String], stdin: [UInt8] = [], inputBlock: Int = 1 << 16, environment: [String: String] = [:]) -> (CapturingConsole, ExitCode) {
        let console = CapturingConsole(environment: environment, standardInput: stdin)
        console.inputBlock = inputBlock
        let status = ScaleCLI.run(arguments: ["cdn"] + arguments, console: console)
        return (console, status)
    }

    /// Requests per nginx word in the demo log, by reading its last field.
    static func demoWords() -> [String: Int] {
        var words: [String: Int] = [:]
        for line in (readTextFile(RepositoryRoot.file(demo)) ?? "").split(separator: "\n") where line.hasSuffix("HIT") || line.contains("\" 0.") {
            words[String(line.split(separator: " ").last!), default: 0] += 1
        }
        return words
    }

    @Test func theDemoLogCountsMatchATextScan() throws {
        let words = Self.demoWords()
        let result = cdn(["hits", Self.demo, "-o", "json"])
        #expect(result.status == .ok)
        #expect(result.err == "")
        let check = Subprocess.run(["python3", "-c", """
            import json, sys
            d = json.load(sys.stdin)
            rows = {r["key"]: r["requests"] for r in d["results"]}
            s = d["summary"]
            print(rows["HIT"], rows["STALE"], rows["REVAL"], rows["MISS"], rows["PASS"], rows["NONE"], s["total_requests"], s["malformed_lines"], repr(s["overall_hit_ratio"]))
            """], input: result.out)
        let served = words["HIT", default: 0] + words["UPDATING", default: 0] + words["REVALIDATED", default: 0]
        let base = served + words["MISS", default: 0] + words["EXPIRED", default: 0] + words["BYPASS", default: 0]
        let expected = "\(words["HIT", default: 0]) \(words["UPDATING", default: 0]) \(words["REVALIDATED", default: 0]) "
            + "\(words["MISS", default: 0] + words["EXPIRED", default: 0]) \(words["BYPASS", default: 0]) \(words["-", default: 0]) "
            + "\(words.values.reduce(0, +)) 1 \(Double(served) / Double(base))\n"
        #expect(check.output == expected, "python3: \(check.errors)")
    }

    @Test(.requires("/usr/bin/promtool", package: "prometheus"))
    func prometheusOutputPassesPromtool() {
        let result = cdn(["hits", Self.demo, "--by", "class", "--by", "ext", "-o", "prometheus"])
        #expect(result.status == .ok)
        #expect(result.out.contains("scalectl_cdn_hits_requests{dimension=\"class\",key=\"HIT\"} 141\n"))
        // 146 served / 226 counted, as python3 prints 146/226.
        #expect(result.out.contains("# TYPE scalectl_cdn_hits_overall_hit_ratio gauge\nscalectl_cdn_hits_overall_hit_ratio 0.6460176991150443\n"))
        let check = Subprocess.run(["promtool", "check", "metrics"], input: result.out)
        #expect(check.status == 0, "promtool: \(check.output) \(check.errors)")
    }

    @Test func thresholdsSetTheExitStatus() {
        // The demo's hit ratio is 64.60%, its byte hit ratio 49.62%.
        let cases: [([String], ExitCode, String)] = [
            (["--warning", "90%"], .warning, "WARNING"),
            (["--warning", "90%", "--critical", "70%"], .critical, "CRITICAL"),
            (["--warning", "60%", "--critical", "50%"], .ok, "OK"),
            (["--warning", "0.5", "--threshold-on", "byte_hit_ratio"], .warning, "WARNING"),
            (["--critical", "49%", "--threshold-on", "byte_hit_ratio"], .ok, "OK"),
        ]
        for (flags, status, word) in cases {
            let result = cdn(["hits", Self.demo, "-o", "csv"] + flags)
            #expect(result.status == status, "\(flags)")
            #expect(result.out.hasSuffix(",\(word)\r\n") == false, "status is a summary field, not a row")
            let summary = cdn(["hits", Self.demo, "-o", "ndjson"] + flags).out.split(separator: "\n").last ?? ""
            #expect(summary.hasSuffix("\"status\": \"\(word)\"}"), "\(flags): \(summary)")
        }
        let inverted = cdn(["hits", Self.demo, "--warning", "50%", "--critical", "60%"])
        #expect(inverted.status == .usage)
        #expect(inverted.err == "scalectl: error: --critical: --critical 60.00% is above --warning 50.00%; a lower hit ratio is worse: give a critical threshold at or below the warning one\n")
        // Nothing to measure: UNKNOWN, said so.
        let empty = cdn(["hits", "-", "--warning", "90%", "-o", "json"], stdin: [])
        #expect(empty.status == .unknown)
        #expect(empty.out.contains("\"notes\": [\"-: empty input\", \"no requests to measure the hit ratio on: status UNKNOWN\"]"))
    }

    @Test func malformedLinesAreShownWithFileAndLine() {
        let result = cdn(["hits", Self.demo, "--show-malformed", "3", "-o", "json"])
        #expect(result.status == .ok)
        #expect(result.out.contains(#""malformed: demo/cdn/nginx-access.log:101: the line ends before a field the format has (truncated, or another layout): \"203.0.113.77 - - [23/Nov/2026:08:51:16 +0000] \\\"GET /search?q\"""#))
    }

    @Test func inputsThatCannotBeReadAreClearErrors() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cdn-cli")
        defer { dir.remove() }
        var generator: UInt64 = 1
        try dir.write("core.bin", (0..<4096).map { _ in generator = generator &* 6364136223846793005 &+ 1442695040888963407; return UInt8(generator >> 56) })
        let binary = cdn(["hits", dir.path + "/core.bin"])
        #expect(binary.status == .unknown)
        #expect(binary.out == "")
        #expect(binary.err.hasPrefix("scalectl: error: \(dir.path)/core.bin: no known log format matches; the closest is "))
        #expect(binary.err.contains(": line 1: "))
        #expect(binary.err.hasSuffix("; give the format with --log-format NAME (see 'scalectl cdn formats'), or the layout with --nginx-log-format / --apache-log-format\n"))

        let missing = cdn(["hits", dir.path + "/nope.log"])
        #expect(missing == ("", "scalectl: error: \(dir.path)/nope.log: cannot open: No such file or directory; check the path\n", .unknown))
        let directory = cdn(["hits", dir.path])
        #expect(directory.err == "scalectl: error: \(dir.path): is a directory; give the log files inside it, e.g. '\(dir.path)/*.log'\n")
        let glob = cdn(["hits", dir.path + "/*.log"])
        #expect(glob.err == "scalectl: error: \(dir.path)/*.log: no file matches; check the pattern\n")
        let format = cdn(["hits", Self.demo, "--log-format", "nginxx"])
        #expect(format.status == .usage)
        #expect(format.err.hasPrefix("scalectl: error: --log-format: 'nginxx' is not a valid NAME; did you mean 'nginx'?"))
        let layout = cdn(["hits", Self.demo, "--nginx-log-format", "$remote_addr$status"])
        #expect(layout.status == .usage)
        #expect(layout.err.hasPrefix("scalectl: error: --nginx-log-format: cannot read the log_format: $remote_addr and $status have nothing between them"))
        let since = cdn(["hits", Self.demo, "--since", "yesterday"])
        #expect(since.err == "scalectl: error: --since: 'yesterday' is neither a duration nor a time; write a duration back from now (1h, 30m, 2d) or a UTC time such as 2026-11-23T08:00 or 2026-11-23T08:00:00+01:00\n")
        let notPartial = cdn(["merge", Self.demo])
        #expect(notPartial.status == .usage)
        #expect(notPartial.err == "scalectl: error: demo/cdn/nginx-access.log: is not a partial file; give files written by 'scalectl cdn hits --partial', or use 'scalectl cdn hits' for logs\n")
    }

    @Test func timeFiltersCountWhatTheyKeep() {
        // Lines from 09:00:00 to 09:30:00 (UTC), by the timestamps in the text.
        let lines = (readTextFile(RepositoryRoot.file(Self.demo)) ?? "").split(separator: "\n")
        let words: Set<Substring> = ["HIT", "MISS", "EXPIRED", "UPDATING", "REVALIDATED", "BYPASS", "-"]
        let complete = lines.filter { words.contains($0.split(separator: " ").last ?? "") }
        let kept = complete.filter { $0.contains("[23/Nov/2026:09:") && $0.split(separator: ":")[2] < "30" }.count
        let result = cdn(["hits", Self.demo, "--since", "2026-11-23T09:00", "--until", "2026-11-23T09:30:00Z", "-o", "ndjson"])
        #expect(result.status == .ok)
        let summary = result.out.split(separator: "\n").last ?? ""
        #expect(summary.contains("\"total_requests\": \(kept),"), "\(summary)")
        #expect(summary.contains("\"filtered_lines\": \(240 - kept),"))
        // The same window written with an offset.
        let offset = cdn(["hits", Self.demo, "--since", "2026-11-23T10:00:00+01:00", "--until", "2026-11-23T10:30+01:00", "-o", "ndjson"])
        #expect(offset.out == result.out)
    }

    @Test func standardInputAndGzipGiveTheSameReport() throws {
        let plain = cdn(["hits", Self.demo, "--by", "ext", "-o", "json"])
        let bytes = Array((readTextFile(RepositoryRoot.file(Self.demo)) ?? "").utf8)
        let stdin = cdn(["hits", "-", "--by", "ext", "-o", "json"], stdin: bytes)
        #expect(stdin.status == .ok)
        #expect(stdin.out == plain.out.replacingOccurrences(Self.demo, "-"))
        // Standard input arriving a few bytes at a time, as from a slow pipe.
        #expect(cdn(["hits", "-", "--by", "ext", "-o", "json"], stdin: bytes, inputBlock: 7).out == stdin.out)
        let gz = cdn(["hits", Self.demo + ".gz", "--by", "ext", "-o", "json"])
        #expect(gz.out == plain.out.replacingOccurrences(Self.demo, Self.demo + ".gz"))
    }

    @Test(.requires("/usr/bin/zstd", package: "zstd"))
    func zstdFilesAreReadThroughTheZstdCommand() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cdn-zstd")
        defer { dir.remove() }
        let made = Subprocess.run(["zstd", "-q", RepositoryRoot.file(Self.demo), "-o", dir.path + "/access.log.zst"])
        #expect(made.status == 0, "\(made.errors)")
        let plain = cdn(["hits", Self.demo, "-o", "json"])
        let zst = cdn(["hits", dir.path + "/access.log.zst", "-o", "json"])
        #expect(zst.status == .ok, "\(zst.err)")
        #expect(zst.out == plain.out.replacingOccurrences(Self.demo, dir.path + "/access.log.zst"))
        // A damaged file is zstd's error, named.
        try dir.write("bad.zst", [0x28, 0xB5, 0x2F, 0xFD, 1, 2, 3, 4, 5, 6, 7, 8])
        let bad = cdn(["hits", dir.path + "/bad.zst"])
        #expect(bad.status == .unknown)
        #expect(bad.err.hasPrefix("scalectl: error: \(dir.path)/bad.zst: zstd could not decompress it: "))
    }

    /// `--partial -` writes the binary partial to stdout, byte for byte what a file gets.
    @Test func aPartialWrittenToStandardOutputIsTheFilesBytes() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cdn-stdout")
        let (console, status) = cdnConsole(["hits", Self.demo, "--partial", "-"])
        #expect(status == .ok)
        #expect(console.errors == "")
        #expect(cdn(["hits", Self.demo, "--partial", "\(dir.path)/x.scp"]).status == .ok)
        let file = readBinaryFile("\(dir.path)/x.scp") ?? []
        #expect(console.outputBytes == file)
        #expect(file.count > 1000)
    }

    /// `cdn why` on partial files: they keep no Vary or cookie variants, so the note says that
    /// instead of advising a log change, and the log's vary findings are not claimed.
    @Test func whyOnPartialFilesSaysVariantsAreNotKept() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cdn-why-partial")
        defer { dir.remove() }
        let log = RepositoryRoot.file("demo/cdn/nginx-vary.log")
        let format = "log_format cachevary '$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" "
            + "\"$http_user_agent\" $upstream_cache_status \"$sent_http_vary\" \"$upstream_http_set_cookie\"';"
        let direct = cdn(["why", log, "--nginx-log-format", format])
        #expect(direct.out.contains("fragmented by Vary: User-Agent (10 variants over 20 requests, hit ratio 50%)"))
        let partial = "\(dir.path)/vary.scp"
        #expect(cdn(["hits", log, "--nginx-log-format", format, "--partial", partial]).status == .ok)
        let why = cdn(["why", partial])
        #expect(why.status == .ok)
        #expect(why.out.contains("note: vary-fragmentation: partial files keep no Vary or cookie variants; run cdn why on the logs themselves to check them"))
        #expect(!why.out.contains("fragmented by"))
    }

    /// The issue's acceptance test: partials of four splits, merged, give the single-run report.
    @Test func mergingFourPartialsGivesTheSingleRunReport() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-cdn-merge")
        defer { dir.remove() }
        let lines = (readTextFile(RepositoryRoot.file(Self.demo)) ?? "").split(separator: "\n", omittingEmptySubsequences: false)
        let cuts = [0, 50, 110, 111, 241]
        var partials: [String] = []
        for i in 0..<4 {
            let name = "part\(i).log"
            try dir.write(name, Array((lines[cuts[i]..<cuts[i + 1]].joined(separator: "\n") + "\n").utf8))
            let partial = "\(dir.path)/part\(i).scp"
            let written = cdn(["hits", "\(dir.path)/\(name)", "--partial", partial, "--log-format", "nginx"])
            #expect(written == ("", "", .ok))
            partials.append(partial)
            // The trailer is the CRC-32 that python3's zlib computes.
            let crc = Subprocess.run(["python3", "-c", "import sys, zlib; d = open(sys.argv[1], 'rb').read(); print(zlib.crc32(d[:-4]) == int.from_bytes(d[-4:], 'little'))", partial])
            #expect(crc.output == "True\n", "\(crc.errors)")
        }
        let everything = ["--by", "class", "--by", "status", "--by", "ext", "--by", "prefix", "--by", "time", "--by", "url", "--by", "uncacheable", "-o", "json"]
        let single = cdn(["hits", Self.demo] + everything)
        let merged = cdn(["merge"] + partials + everything)
        #expect(merged.status == .ok)
        func body(_ json: String) -> String { String(json[..<(json.firstRange(of: "\"notes\"")?.lowerBound ?? json.endIndex)]) }
        #expect(body(merged.out) == body(single.out))
        // A merged partial merges again to the same.
        let combined = dir.path + "/all.scp"
        #expect(cdn(["merge"] + partials + ["--partial", combined]).status == .ok)
        #expect(body(cdn(["merge", combined] + everything).out) == body(single.out))
    }

    @Test func mixedFormatsInOneRun() {
        let result = cdn(["hits", Self.demo, "demo/cdn/cloudfront.log", "-o", "json"])
        #expect(result.status == .ok)
        #expect(result.out.contains("\"format\": \"nginx, cloudfront\""))
        #expect(result.out.contains("\"total_requests\": 252,"))
        #expect(result.out.contains("\"notes\": [\"demo/cdn/nginx-access.log: nginx: combined + $upstream_cache_status as field 11, field 10 read as $request_time\", \"demo/cdn/cloudfront.log: cloudfront standard, 33 fields\", \"1 malformed line skipped (cdn hits --show-malformed N shows them)\"]"))
    }

    /// Per-hour rows against sums over the text: requests, MISS (+EXPIRED), PASS (BYPASS),
    /// bytes, and the hit ratios by the default definition.
    @Test func timeBucketsMatchSumsOverTheText() {
        var hours: [String: (requests: Int, served: Int, miss: Int, pass: Int, bytes: Int, servedBytes: Int, missBytes: Int, passBytes: Int)] = [:]
        for line in (readTextFile(RepositoryRoot.file(Self.demo)) ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let word = fields.last, ["HIT", "MISS", "EXPIRED", "UPDATING", "REVALIDATED", "BYPASS", "-"].contains(word) else { continue }
            let hour = String(line.split(separator: ":")[1])
            let quoteSplit = line.split(separator: "\"")
            let size = Int(quoteSplit[2].split(separator: " ")[1])!
            var h = hours[hour] ?? (0, 0, 0, 0, 0, 0, 0, 0)
            h.requests += 1
            h.bytes += size
            switch word {
            case "HIT", "UPDATING", "REVALIDATED": h.served += 1; h.servedBytes += size
            case "MISS", "EXPIRED": h.miss += 1; h.missBytes += size
            case "BYPASS": h.pass += 1; h.passBytes += size
            default: break
            }
            hours[hour] = h
        }
        let total = hours.values.reduce(0) { $0 + $1.requests }
        var expected = "dimension,key,requests,share_ratio,hit_ratio,byte_hit_ratio,misses,passes,bytes,origin_bytes\r\n"
        for hour in hours.keys.sorted() {
            let h = hours[hour]!
            let ratio = Double(h.served) / Double(h.served + h.miss + h.pass)
            let byteRatio = Double(h.servedBytes) / Double(h.servedBytes + h.missBytes + h.passBytes)
            expected += "time,2026-11-23T\(hour):00:00Z,\(h.requests),\(Double(h.requests) / Double(total)),\(ratio),\(byteRatio),\(h.miss),\(h.pass),\(h.bytes),\(h.missBytes + h.passBytes)\r\n"
        }
        let result = cdn(["hits", Self.demo, "--by", "time", "--bucket", "1h", "-o", "csv"])
        #expect(result.out == expected)
        // On a terminal a sparkline follows; in a pipe it never does.
        #expect(!cdn(["hits", Self.demo, "--by", "time"]).out.contains("hit ratio per"))
    }

    @Test func whyAsJSONHasEveryFinding() {
        let result = cdn(["why", Self.demo, "-o", "json"])
        #expect(result.status == .ok)
        let check = Subprocess.run(["python3", "-c", "import json, sys; d = json.load(sys.stdin); print(sorted(r['finding'] for r in d['results']), d['summary']['findings'])"], input: result.out)
        #expect(check.output == "['cacheable-pass', 'query-fragmentation', 'short-ttl', 'static-misses'] 4\n", "\(check.errors)")
    }

    @Test func everyVendorValueIsListed() {
        let result = cdn(["formats", "-o", "csv"])
        let rows = result.out.split(separator: "\r\n").count - 1
        // The values docs/log-formats.md lists per vendor (Apache and HAProxy with the prefixes
        // scalectl adds; Apache with mod_cache's 14 decline reasons; Squid with the 13 TCP_CF_
        // spellings of its lookup outcomes).
        #expect(rows == 8 + 6 + 25 + 18 + 8 + 11 + 3 + 33 + 12 + 14, "nginx, varnish, apache, fastly, cloudfront, cloudflare, akamai, squid, ats, haproxy")
        #expect(cdn(["formats", "nope"]).status == .usage)
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}

/// The built binary, as a batch job runs it: a partial written to standard output (a Hadoop
/// Streaming mapper), merged by another process; no progress bar in a pipe.
@Suite struct CDNBinaryTests {
    @Test(.enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func partialThroughAPipeMergesToTheSameReport() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let dir = try TemporaryDirectory(prefix: "scalectl-cdn-bin")
        defer { dir.remove() }
        let log = RepositoryRoot.file("demo/cdn/nginx-access.log")
        let piped = Subprocess.run(["sh", "-c", "'\(bin)' cdn hits --partial - '\(log)' > '\(dir.path)/p.scp' && '\(bin)' cdn merge '\(dir.path)/p.scp' -o csv"])
        #expect(piped.status == 0, "\(piped.errors)")
        // CSV has no place for notes: they are on stderr, and nothing else is.
        #expect(piped.errors.split(separator: "\n").allSatisfy { $0.hasPrefix("scalectl: note: ") }, "\(piped.errors)")
        let direct = Subprocess.run([bin, "cdn", "hits", log, "-o", "csv"])
        #expect(direct.status == 0)
        #expect(piped.output == direct.output)
        let gate = Subprocess.run([bin, "cdn", "hits", log, "--critical", "90%"])
        #expect(gate.status == 2)
    }
}

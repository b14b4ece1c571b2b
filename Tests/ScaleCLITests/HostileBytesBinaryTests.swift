import Glibc
import ScaleCLI
import Testing
import TestSupport

/// Inputs that crashed the built binary, corrupted its heap or trapped on a number: each now ends
/// with a clear error (exit 3 or 64) or a counted malformed line, through the real process (a
/// trap shows there as a signal, 128 + n, which the in-process tests could not survive).
@Suite struct HostileBytesBinaryTests {
    static let enabled = BinaryTests.binary != nil || ServerRequirement.isCI

    /// Runs the binary in `dir` with `arguments`; the status, stdout and stderr.
    func scalectl(_ arguments: [String], in dir: TemporaryDirectory, input: String = "") throws -> ProcessResult {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        return Subprocess.run(["bash", "-c", "cd '\(dir.path)' && exec \"$@\"", "scalectl", bin] + arguments, input: input)
    }

    static func combined(_ i: Int, path: String = "/a", bytes: String = "100", extra: String = "") -> String {
        "192.0.2.1 - - [23/Nov/2026:08:00:\(i % 60 < 10 ? "0" : "")\(i % 60) +0000] \"GET \(path) HTTP/1.1\" 200 \(bytes) \"-\" \"curl/8.5.0\" HIT\(extra)\n"
    }

    /// 56 extra fields after the user agent made a 66-field template that the parser wrote past.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aCombinedLogWithTooManyFieldsIsRefusedNotOverflowed() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let extra = String(repeating: " x", count: 56)
        try dir.write("wide.log", Array((0..<20).map { Self.combined($0, extra: extra) }.joined().utf8))
        let result = try scalectl(["cdn", "hits", "wide.log"], in: dir)
        #expect(result.status == 3, "\(result.errors)")
        #expect(result.errors.contains("more than 64 fields"), "\(result.errors)")
    }

    /// A Squid line whose URL has no path: the target is the one-byte "/" that 8-byte loads scan.
    /// The over-read itself shows only under AddressSanitizer: `make test` replays the fuzzers'
    /// input for it (Fuzz/regressions/cdn-detect) in the ASan build. Here: the target is read as
    /// the path "/" of host example.com, not lost.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aSquidURLWithoutAPathIsCounted() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let lines = (0..<10).map { "1700000000.\(100 + $0)    12 192.0.2.1 TCP_HIT/200 512 GET http://example.com - HIER_NONE/- text/html\n" }
        try dir.write("access.log", Array(lines.joined().utf8))
        let result = try scalectl(["cdn", "hits", "access.log", "--log-format", "squid", "-o", "json", "--by", "url", "--by", "host"], in: dir)
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains(#"{"dimension": "url", "key": "/", "requests": 10,"#), "\(result.output)")
        #expect(result.output.contains(#"{"dimension": "host", "key": "example.com", "requests": 10,"#), "\(result.output)")
    }

    /// Numbers no response carries: the line is malformed (counted, with its reason), never a trap.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"),
          arguments: [
              // A byte count of 2^63 in a combined log.
              ("nginx", combined(1, bytes: "9223372036854775808")),
              // Cloudflare EdgeTimeToFirstByteMs of 2e16 ms.
              ("cloudflare", #"{"EdgeStartTimestamp":"2026-11-23T08:00:00Z","ClientRequestHost":"a","ClientRequestURI":"/x","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"hit","EdgeTimeToFirstByteMs":20000000000000000}"# + "\n"),
              // An epoch timestamp of 19 digits with a fraction.
              ("cloudflare", #"{"EdgeStartTimestamp":"9999999999999999999.5","ClientRequestHost":"a","ClientRequestURI":"/x","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"hit"}"# + "\n"),
          ])
    func outOfRangeNumbersInALogLineAreMalformed(format: String, hostile: String) throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let good = format == "nginx" ? Self.combined(0)
            : #"{"EdgeStartTimestamp":"2026-11-23T08:00:00Z","ClientRequestHost":"a","ClientRequestURI":"/x","EdgeResponseStatus":200,"EdgeResponseBytes":10,"CacheCacheStatus":"hit"}"# + "\n"
        try dir.write("x.log", Array((String(repeating: good, count: 9) + hostile).utf8))
        let result = try scalectl(["cdn", "hits", "x.log", "--log-format", format, "-o", "json"], in: dir)
        #expect(result.status < 64, "\(result.errors)")
        #expect(result.output.contains(#""requests": 9"#), "\(result.output)\(result.errors)")
        #expect(result.output.contains(#""malformed_lines": 1"#), "\(result.output)")
    }

    /// CloudFront time-taken of 2e13 seconds.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func anAbsurdCloudFrontTimeTakenIsMalformed() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let header = "#Version: 1.0\n#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status x-edge-result-type time-taken\n"
        let good = "2026-11-23\t08:00:00\tLAX1\t100\t192.0.2.1\tGET\td1.cloudfront.net\t/a\t200\tHit\t0.001\n"
        let bad = "2026-11-23\t08:00:01\tLAX1\t100\t192.0.2.1\tGET\td1.cloudfront.net\t/a\t200\tHit\t20000000000000\n"
        try dir.write("cf.log", Array((header + good + bad).utf8))
        let result = try scalectl(["cdn", "hits", "cf.log", "-o", "json"], in: dir)
        #expect(result.status < 64, "\(result.errors)")
        #expect(result.output.contains(#""malformed_lines": 1"#), "\(result.output)\(result.errors)")
    }

    /// Byte counts each within range whose sum passes 2^63: an error, not a wrapped total.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func byteTotalsPastTwoToTheSixtyThreeAreRefused() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        // 2^50 bytes a line: 8,200 lines pass 2^63.
        let line = Self.combined(1, bytes: "1125899906842624")
        try dir.write("big.log", Array(String(repeating: line, count: 8_200).utf8))
        let result = try scalectl(["cdn", "hits", "big.log"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("more than 2^63"), "\(result.errors)")
    }

    /// A partial file with a valid checksum whose depth or max-keys is huge is refused as damaged.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"), arguments: [1, 3])
    func aCraftedPartialFileIsRefused(field: Int) throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        try dir.write("a.log", Array((0..<5).map { Self.combined($0) }.joined().utf8))
        let written = try scalectl(["cdn", "hits", "a.log", "--partial", "a.scp"], in: dir)
        #expect(written.status == 0, "\(written.errors)")
        var bytes = try #require(readBinaryFile(dir.path + "/a.scp"))
        // After the magic line and the version varint: depth, bucket, max-keys. Rewrite one as
        // a 10-byte varint of 2^63 + 1 and fix the CRC-32, as a forger would.
        let magic = Array("SCALECTL-CDN-PARTIAL\n".utf8).count
        var offset = magic + 1
        for _ in 1..<field { while bytes[offset] & 0x80 != 0 { offset += 1 }; offset += 1 }
        var end = offset
        while bytes[end] & 0x80 != 0 { end += 1 }
        let huge: [UInt8] = [0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]
        bytes.replaceSubrange(offset...end, with: huge)
        try dir.write("forged.scp", Self.withFreshCRC(bytes))
        let result = try scalectl(["cdn", "merge", "forged.scp"], in: dir)
        #expect(result.status == 3, "\(result.errors)")
        #expect(result.errors.contains("truncated or damaged"), "\(result.errors)")
    }

    /// A time bucket key rewritten to Int64.max (and the CRC fixed): its start has no date and
    /// multiplying it by the bucket size overflows. Refused on load, never a trap in the report.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aPartialWithAnImpossibleTimeBucketIsRefused() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        try dir.write("a.log", Array(Self.combined(0).utf8))
        #expect(try scalectl(["cdn", "hits", "a.log", "--partial", "a.scp"], in: dir).status == 0)
        var bytes = try #require(readBinaryFile(dir.path + "/a.scp"))
        // 2026-11-23T08:00:00Z in 60 s buckets (the partial's default): its 8 little-endian bytes.
        let bucket = Int64(1_795_420_800 / 60)
        let key = withUnsafeBytes(of: bucket.littleEndian) { Array($0) }
        let at = try #require((0...(bytes.count - 8)).first { Array(bytes[$0..<($0 + 8)]) == key }, "the time key is in the file")
        bytes.replaceSubrange(at..<(at + 8), with: withUnsafeBytes(of: Int64.max.littleEndian) { Array($0) })
        try dir.write("forged.scp", Self.withFreshCRC(bytes))
        let result = try scalectl(["cdn", "merge", "forged.scp", "--by", "time"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("truncated or damaged"), "\(result.errors)")
    }

    /// A partial file's bytes with its CRC-32 trailer recomputed, as a forger would.
    static func withFreshCRC(_ bytes: [UInt8]) -> [UInt8] {
        let body = Array(bytes.dropLast(4))
        let crc = crc32(body)
        return body + [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 24)]
    }

    /// CRC-32 (IEEE, as zlib and gzip compute it), bit by bit: an independent implementation.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            crc ^= UInt32(b)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"),
          arguments: [(#""status": 1e300, "time": 5"#, "response.status"), (#""status": 200, "time": 1e300"#, "time 1e+300")])
    func aHARWithAbsurdNumbersIsRefused(response: String, named: String) throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let status = response.hasPrefix(#""status": 1e300"#) ? "1e300" : "200"
        let time = response.hasSuffix("1e300") ? "1e300" : "5"
        let har = #"{"log": {"entries": [{"startedDateTime": "2026-11-23T08:00:00Z", "time": \#(time), "request": {"method": "GET", "url": "https://example.com/", "headers": []}, "response": {"status": \#(status), "httpVersion": "HTTP/1.1", "headers": [{"name": "Cache-Control", "value": "max-age=60"}]}}]}}"#
        try dir.write("x.har", Array(har.utf8))
        let result = try scalectl(["cache", "audit", "--har", "x.har"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains(named), "\(result.errors)")
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aKafkaLagRowShorterThanItsColumnsIsAnError() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        // The PARTITION and offset columns come first here, TOPIC and GROUP last: a short row has them all but those.
        let table = "PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG TOPIC GROUP\n0 10 20 10 orders billing\n1 10 20\n"
        try dir.write("lag.txt", Array(table.utf8))
        let result = try scalectl(["backlog", "kafka-lag", "lag.txt"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("lag.txt:3"), "\(result.errors)")
        #expect(result.errors.contains("column"), "\(result.errors)")
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func kafkaLagsSummingPastInt64AreAnError() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let max = "9223372036854775807"
        let table = "GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\ng t 0 0 \(max) \(max)\ng t 1 0 \(max) \(max)\n"
        try dir.write("lag.txt", Array(table.utf8))
        let result = try scalectl(["backlog", "kafka-lag", "lag.txt"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("2^63"), "\(result.errors)")
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"),
          arguments: [("0,10\n60,1e300\n", "is not a count"), ("0,10\n1e300,5\n", "is not a timestamp")])
    func backlogSamplesWithAbsurdNumbersAreRefused(csv: String, message: String) throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let result = try scalectl(["backlog", "samples", "-"], in: dir, input: csv)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains(message), "\(result.errors)")
    }

    /// A drain of one message per 2^40 seconds on ordinary timestamps ends past the year 9999:
    /// the drain time is given, its date is null.
    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aDrainThatEndsPastTheYear9999HasNoDate() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let result = try scalectl(["backlog", "samples", "-", "-o", "json"], in: dir, input: "1700000000,1000000000\n1700000001,999999999.99999\n")
        #expect(result.status == 0, "\(result.errors)")
        #expect(result.output.contains(#""drains_at": null"#), "\(result.output)")
        #expect(result.output.contains(#""status": "DRAINING""#), "\(result.output)")
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aRabbitMQAnswerWithAbsurdConsumersIsRefused() throws {
        let body = #"[{"name": "orders", "vhost": "/", "messages": 5, "consumers": 1e300}]"#
        let server = try LoopbackHTTPServer(routes: ["/api/queues/%2F": .respond(status: 200, headers: [.init("Content-Type", "application/json")], body: Array(body.utf8))])
        defer { server.stop() }
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let result = try scalectl(["backlog", "rabbitmq+http://127.0.0.1:\(server.port)/%2F", "--rate-interval", "10ms"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("consumers is 1e+300"), "\(result.errors)")
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func aPrometheusAnswerWithAnAbsurdTimeIsRefused() throws {
        let body = #"{"status": "success", "data": {"resultType": "vector", "result": [{"metric": {"queue": "orders"}, "value": [1e300, "5"]}]}}"#
        let server = try LoopbackHTTPServer(routes: ["/api/v1/query": .respond(status: 200, headers: [.init("Content-Type", "application/json")], body: Array(body.utf8))])
        defer { server.stop() }
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        let result = try scalectl(["backlog", "prometheus+http://127.0.0.1:\(server.port)", "--query", "q"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("is not seconds since the epoch"), "\(result.errors)")
    }

    @Test(.enabled(if: enabled, "build the binary first (swift build)"))
    func rebalanceSizesPastUInt64AreRefused() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-hostile")
        defer { dir.remove() }
        try dir.write("a.csv", Array("t-0,1,2\nt-1,2,3\nt-2,3,1\n".utf8))
        // 9 EB each: their replicas add up past UInt64 (the old sum trapped), and one pair past 2^63.
        try dir.write("sizes.csv", Array("t-0,9000000000000000000\nt-1,9000000000000000000\nt-2,1\n".utf8))
        let result = try scalectl(["rebalance", "plan", "a.csv", "--sizes", "sizes.csv", "--brokers", "1,2,3,4"], in: dir)
        #expect(result.status == 3, "\(result.output)\(result.errors)")
        #expect(result.errors.contains("sizes.csv"), "\(result.errors)")
        #expect(result.errors.contains("2^63"), "\(result.errors)")
    }
}

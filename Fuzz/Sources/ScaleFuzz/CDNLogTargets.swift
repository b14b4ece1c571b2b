import CDNLogs
import CZlib
import ScaleCore

/// Access logs, gzip and partial files: everything `scalectl cdn` reads from disk or stdin.
extension FuzzTargets {
    static let cdnLogs: [FuzzTarget] = [
        FuzzTarget(name: "cdn-detect", input: "an access log of any format (format detection, then that format's parser)") { bytes in
            analyze(bytes, options: cdnOptions())
        },
        FuzzTarget(name: "cdn-format", input: "byte 0 picks the forced --log-format, byte 1 the read size; the rest is the log "
                   + "(cloudfront-realtime: its first line is the field list)") { bytes in
            guard bytes.count >= 2 else { return }
            var options = cdnOptions()
            let format = LogFormat.allCases[Int(bytes[0]) % LogFormat.allCases.count]
            options.format = format
            var log = Array(bytes[2...])
            if format == .cloudfrontRealtime {
                let (fields, rest) = splitFirstLine(log)
                options.cloudfrontFields = fields.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
                log = rest
            }
            analyze(log, options: options, chunk: Int(bytes[1]) * 61 + 1)
        },
        FuzzTarget(name: "cdn-template", input: "first line: an nginx log_format (with $) or Apache LogFormat; the rest is the log") { bytes in
            let (text, log) = splitFirstLine(bytes)
            var options = cdnOptions()
            do throws(TemplateError) {
                options.template = text.contains("$") ? try LineTemplate.nginx(text) : try LineTemplate.apache(text)
            } catch {
                return
            }
            analyze(log, options: options)
        },
        FuzzTarget(name: "cdn-gzip", input: "gzip (or zlib) bytes of an access log") { bytes in
            let input = LogInput(name: "fuzz.log.gz") { () throws(ScaleError) -> any LogByteSource in
                try GzipSource(MemorySource(bytes, chunk: 4093), name: "fuzz.log.gz")
            }
            _ = try? LogAnalyzer.analyze([input], options: cdnOptions())
        },
        FuzzTarget(name: "cdn-partial", input: "a cdn partial file (the harness fixes up the magic and the CRC so mutations reach the decoder)") { bytes in
            guard let statistics = try? PartialFile.decode(withValidFrame(bytes), name: "fuzz.scp") else { return }
            // What was decoded must encode to a file that decodes again.
            let again = PartialFile.encode(statistics)
            do {
                _ = try PartialFile.decode(again, name: "re-encoded")
            } catch {
                fatalError("a decoded partial file re-encodes to one that does not decode: \(error)")
            }
        },
    ]

    /// One worker and the smallest blocks, so each run is quick and lines cross block boundaries.
    static func cdnOptions() -> AnalysisOptions {
        var options = AnalysisOptions()
        options.threads = 1
        options.blockSize = 4096
        options.maxLineBytes = 16384
        options.maxKeys = 64
        options.malformedExamples = 3
        return options
    }

    static func analyze(_ log: [UInt8], options: AnalysisOptions, chunk: Int = .max) {
        _ = try? LogAnalyzer.analyze([LogInput(name: "fuzz.log") { MemorySource(log, chunk: chunk) }], options: options)
    }

    static let partialMagic = Array("SCALECTL-CDN-PARTIAL\n".utf8)

    /// The input with the partial-file magic in front (unless it is there) and its last four
    /// bytes replaced by the right CRC-32, as a file written by scalectl ends.
    static func withValidFrame(_ bytes: [UInt8]) -> [UInt8] {
        var body = bytes.starts(with: partialMagic) ? bytes : partialMagic + bytes
        if body.count >= partialMagic.count + 4 { body.removeLast(4) }
        let crc = body.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
        return body + withUnsafeBytes(of: crc.littleEndian, Array.init)
    }
}

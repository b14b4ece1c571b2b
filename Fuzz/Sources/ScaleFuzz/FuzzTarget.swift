import Glibc

/// One fuzz target: a name (also the folder of its corpus and regressions) and what it does
/// with one input. A target only has to survive: errors are expected, crashes are findings.
struct FuzzTarget: Sendable {
    let name: String
    /// What the input is, for `ScaleFuzz --list` and the README.
    let input: String
    let run: @Sendable ([UInt8]) -> Void
}

/// Every target, in the order `make fuzz` runs them.
enum FuzzTargets {
    static let all: [FuzzTarget] = cdnLogs + cacheAudit + core + availability + queues + [resp] + rebalance + ringAndProbe + [cli]

    static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Splits an input at its first newline: a header (a template, an expression, argv) and the bytes after it.
func splitFirstLine(_ bytes: [UInt8]) -> (first: String, rest: [UInt8]) {
    guard let newline = bytes.firstIndex(of: 0x0A) else { return (String(decoding: bytes, as: UTF8.self), []) }
    return (String(decoding: bytes[..<newline], as: UTF8.self), Array(bytes[(newline + 1)...]))
}

/// The input's lines as text, for parsers that take one value at a time.
func textLines(_ bytes: [UInt8]) -> [String] {
    bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
}

/// A line on stderr (the fuzzer's own output; Glibc's `stderr` is not concurrency-safe in Swift 6).
func printError(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

import Testing
import ScaleCore
import TestSupport

/// `backlog samples` and `backlog kafka-lag` read line-based text whose lines are far under
/// 64 KiB: a longer line is refused while the input is read (exit 3, naming file and line),
/// not after a 50 MB line has been loaded and parsed.
@Suite struct BacklogLongLineTests {
    static let bound = 64 << 10
    static let message = "the line is longer than 64.0 KiB; each line holds one record: is this the right file?"

    @Test(arguments: ["samples", "kafka-lag"])
    func aLineOverTheBoundIsRefusedWithItsNumber(command: String) {
        let input = "0,1\n60,2\n" + String(repeating: "7", count: Self.bound + 1) + "\n120,3\n"
        let result = run(["backlog", command, "-"], stdin: input)
        #expect(result.err == "scalectl: error: <stdin>:3: \(Self.message)\n")
        #expect(result.status == .unknown)
        #expect(result.out == "")
    }

    /// The bound counts the line's bytes: a CR before the LF and the LF itself do not count,
    /// so a line of exactly 64 KiB reaches the parser (which has its own complaint about it).
    @Test(arguments: ["\n", "\r\n", ""])
    func aLineOfExactlyTheBoundIsRead(ending: String) {
        let input = "0,1\n" + String(repeating: "7", count: Self.bound) + ending
        let result = run(["backlog", "samples", "-"], stdin: input)
        #expect(!result.err.contains("longer than"), "\(result.err.prefix(200))")
    }

    @Test func aFileNamesItselfAndTheLastLineCountsToo() throws {
        let dir = try TemporaryDirectory(prefix: "scalectl-longline")
        defer { dir.remove() }
        // No newline at the end: the last line is still measured.
        try dir.write("kafka.txt", Array(("GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\n" + String(repeating: "g", count: Self.bound + 2)).utf8))
        let result = run(["backlog", "kafka-lag", dir.path + "/kafka.txt"])
        #expect(result.err == "scalectl: error: \(dir.path)/kafka.txt:2: \(Self.message)\n")
        #expect(result.status == .unknown)
    }

    /// Through the binary: a 50 MB single line, from a file and from a pipe, is refused with
    /// exit 3 and a one-line message (not the line echoed back).
    @Test(.enabled(if: BinaryTests.binary != nil || ServerRequirement.isCI, "build the binary first (swift build)"))
    func fiftyMegabyteLineThroughTheBinary() throws {
        let bin = try #require(BinaryTests.binary, "no scalectl binary at .build/debug/scalectl")
        let dir = try TemporaryDirectory(prefix: "scalectl-longline")
        defer { dir.remove() }
        let line = String(repeating: "x", count: 50_000_000)
        try dir.write("samples.csv", Array(("timestamp,depth\n" + line + "\n").utf8))
        try dir.write("kafka.txt", Array(("GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG\n" + line).utf8))

        let samples = Subprocess.run([bin, "backlog", "samples", dir.path + "/samples.csv"])
        #expect(samples.status == 3)
        #expect(samples.errors == "scalectl: error: \(dir.path)/samples.csv:2: \(Self.message)\n")
        #expect(samples.output == "")

        let lag = Subprocess.run([bin, "backlog", "kafka-lag", dir.path + "/kafka.txt"])
        #expect(lag.status == 3)
        #expect(lag.errors == "scalectl: error: \(dir.path)/kafka.txt:2: \(Self.message)\n")

        let piped = Subprocess.run([bin, "backlog", "kafka-lag", "-"], input: line)
        #expect(piped.status == 3)
        #expect(piped.errors == "scalectl: error: <stdin>:1: \(Self.message)\n")
    }
}

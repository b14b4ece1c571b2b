@testable import CDNLogs
import Testing

/// Consecutive `[time]` fields that differ only in the clock are read against the last one
/// (`ParseContext.commonLogTime`): the seconds must be those a full parse gives, and a clock
/// that is not one must still make the line malformed. Expected instants from Python's
/// datetime: 2026-11-23T23:59:58Z is 1795478398, 2026-11-24T00:00:01Z is 1795478401.
@Suite struct CommonLogClockTests {
    @Test func clockChangesAgainstTheLastLine() throws {
        func line(_ time: String, _ status: String = "HIT") -> String {
            "192.0.2.1 - - [\(time)] \"GET /a.css HTTP/1.1\" 200 100 \"-\" \"curl/8.0\" \(status)\n"
        }
        let log = line("23/Nov/2026:23:59:58 +0000")
            + line("23/Nov/2026:23:59:59 +0000")
            + line("23/Nov/2026:23:59:59 +0000", "MISS")
            + line("23/Nov/2026:23:59:61 +0000")   // no such second: malformed
            + line("23/Nov/2026:24:00:00 +0000")   // no such hour: malformed
            + line("23/Nov/2026:23:5x:00 +0000")   // not digits: malformed
            + line("23/Nov/2026:23:59:60 +0000")   // a leap second: 23:59:59 + 1
            + line("24/Nov/2026:00:00:01 +0000")   // the next day
            + line("24/Nov/2026:01:00:01 +0100")   // the same instant in another zone
        let s = try analyze(log) { $0.bucketSeconds = 1 }.statistics
        #expect(s.malformedLines == 3)
        #expect(s.firstTime == 1_795_478_398)
        #expect(s.lastTime == 1_795_478_401)
        let rows = s.rows(.time, top: 100).map { ($0.key, $0.tally.totalRequests) }
        #expect(rows.map(\.0) == ["2026-11-23T23:59:58Z", "2026-11-23T23:59:59Z", "2026-11-24T00:00:00Z", "2026-11-24T00:00:01Z"])
        #expect(rows.map(\.1) == [1, 2, 1, 2])
    }

    @Test func clockAlone() {
        let text = Array("23:59:60x".utf8)
        text.withUnsafeBufferPointer { #expect(Timestamps.clock($0.baseAddress!) == 86_400) }
        for bad in ["24:00:00", "23:60:00", "23:59:61", "2x:00:00", "23-59-59"] {
            let bytes = Array(bad.utf8)
            bytes.withUnsafeBufferPointer { #expect(Timestamps.clock($0.baseAddress!) == nil, "\(bad)") }
        }
    }
}

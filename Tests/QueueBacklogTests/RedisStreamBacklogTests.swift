import Testing
import QueueBacklog

@Suite struct RedisStreamBacklogTests {
    /// Ten entries added, the group has read seven and acknowledged five: two pending, three
    /// not yet delivered. The oldest pending entry was added at 1638126030.001 s, the first
    /// undelivered at 1638126035.501 s; polled at 1638126040.001 s.
    @Test("per group: depth = lag + pending, deletions = entries-read − pending, two ages from entry IDs")
    func group() {
        let s = RedisStreamBacklog.sample(time: 1638126040.001, lag: 3, pending: 2, entriesAdded: 10, entriesRead: 7,
                                          oldestPendingID: "1638126030001-0", firstUndeliveredID: "1638126035501-3", consumers: 2)
        #expect(s.depth == 5)
        #expect(s.arrivedTotal == 10 && s.deletedTotal == 5)
        #expect(abs(s.oldestUnackedAgeSeconds! - 10) < 1e-6)
        #expect(abs(s.oldestAgeSeconds! - 4.5) < 1e-6)
        #expect(s.consumers == 2)
    }

    @Test("nothing waiting or pending is age 0, not unknown; without entries-read (Redis < 7) no counters")
    func emptyGroup() {
        let s = RedisStreamBacklog.sample(time: 100, lag: 0, pending: 0, entriesAdded: nil, entriesRead: nil,
                                          oldestPendingID: nil, firstUndeliveredID: nil, consumers: nil)
        #expect(s.depth == 0 && s.oldestAgeSeconds == 0 && s.oldestUnackedAgeSeconds == 0)
        #expect(s.arrivedTotal == nil && s.deletedTotal == nil)
        // Entries waiting whose IDs the server did not give: the age is unknown, never 0.
        let unknown = RedisStreamBacklog.sample(time: 100, lag: 4, pending: 1, entriesAdded: 5, entriesRead: 1,
                                                oldestPendingID: nil, firstUndeliveredID: nil, consumers: 1)
        #expect(unknown.oldestAgeSeconds == nil && unknown.oldestUnackedAgeSeconds == nil)
    }

    @Test("no consumer group: the length is the backlog, the first entry the oldest; a clock behind the ID is age 0")
    func noGroup() {
        let s = RedisStreamBacklog.sample(time: 50, length: 7, entriesAdded: 9, firstEntryID: "20000-0")
        #expect(s.depth == 7 && s.arrivedTotal == 9 && s.oldestAgeSeconds == 30)
        #expect(RedisStreamBacklog.sample(time: 10, length: 1, entriesAdded: nil, firstEntryID: "20000-0").oldestAgeSeconds == 0)
        #expect(RedisStreamBacklog.milliseconds(ofID: "1714550400000-0") == 1714550400000)
        #expect(RedisStreamBacklog.milliseconds(ofID: "x") == nil)
    }
}

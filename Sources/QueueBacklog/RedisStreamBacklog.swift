/// What a Redis stream's backlog is, from what XINFO, XPENDING and XRANGE report. The source
/// asks the server; this says what the answers mean.
///
/// With no consumer group the stream's length is the backlog and its first entry the oldest.
/// Per consumer group (Redis 7): depth = lag (entries not yet delivered to the group) + pending
/// (delivered, not acknowledged); arrivals are the stream's entries-added and deletions
/// (acknowledgements) the group's entries-read − pending, so two polls give rates.
public enum RedisStreamBacklog {
    /// The stream with no consumer group. `firstEntryID` is XINFO STREAM's first-entry.
    public static func sample(time: Double, length: Int64, entriesAdded: Int64?, firstEntryID: String?) -> BacklogSample {
        BacklogSample(time: time, depth: Double(length), arrivedTotal: entriesAdded.map(Double.init),
                      oldestAgeSeconds: age(ofID: firstEntryID, at: time))
    }

    /// One consumer group. `lag` is XINFO GROUPS' lag, counted by the caller when Redis gives
    /// nil (after XDEL past the group's position); `oldestPendingID` is XPENDING's smallest ID
    /// and `firstUndeliveredID` the first entry after the group's last-delivered-id.
    ///
    /// Two ages, named for what they are: the oldest entry not yet delivered (the backlog's head,
    /// what age alerts judge) and the oldest delivered but unacknowledged one (a few stuck
    /// messages can be much older than the head).
    public static func sample(time: Double, lag: Int64, pending: Int64, entriesAdded: Int64?, entriesRead: Int64?,
                              oldestPendingID: String?, firstUndeliveredID: String?, consumers: Int?) -> BacklogSample {
        let unackedAge = pending == 0 ? 0 : age(ofID: oldestPendingID, at: time)
        let waitingAge = lag == 0 ? 0 : age(ofID: firstUndeliveredID, at: time)
        var arrived: Double?, deleted: Double?
        if let entriesAdded, let entriesRead {
            arrived = Double(entriesAdded)
            deleted = Double(entriesRead) - Double(pending)
        }
        // In Double: integers from the server could overflow an Int sum.
        return BacklogSample(time: time, depth: Double(lag) + Double(pending), arrivedTotal: arrived, deletedTotal: deleted,
                             oldestAgeSeconds: waitingAge, oldestUnackedAgeSeconds: unackedAge, consumers: consumers)
    }

    /// Milliseconds of an entry ID `1714550400000-0`.
    public static func milliseconds(ofID id: String) -> Double? {
        guard let ms = id.split(separator: "-").first, let value = Double(ms) else { return nil }
        return value
    }

    /// Seconds from the entry's ID time to `time`; never negative (clocks differ by a little).
    static func age(ofID id: String?, at time: Double) -> Double? {
        id.flatMap(milliseconds(ofID:)).map { max(0, time - $0 / 1000) }
    }
}

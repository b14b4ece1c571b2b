import QueueBacklog
import ScaleCore
import ScaleNet

/// A Redis list or stream as a backlog. Lists (plain, Sidekiq's `queue:NAME`, Celery's list
/// named after the queue): depth = LLEN; with a timestamp field, the oldest item's age. Streams:
/// one queue per consumer group, asked with XINFO, XPENDING and XRANGE and read by
/// `RedisStreamBacklog`.
final class RedisQueueSource: BacklogSource {
    let label: String
    let address: SocketAddress
    let database: Int
    let key: String
    let username: String?
    let options: BacklogSourceOptions
    private var client: RedisClient?
    private(set) var hasCounters = false
    private(set) var notes: [String] = []
    /// How many entries are counted one by one when a group's lag is unknown (after XDEL).
    static let countLimit = 10_000

    init(_ url: BacklogSourceURL, options: BacklogSourceOptions) throws(ScaleError) {
        self.options = options
        self.username = url.username
        var segments = url.segments
        switch url.scheme {
        case "redis":
            guard !url.host.isEmpty else { throw .usage("no host", at: url.display, fix: "write redis://HOST:PORT/DB/KEY") }
            address = .tcp(host: url.host, port: url.port ?? 6379)
            guard segments.count >= 2, let db = Int(segments[0]), db >= 0 else {
                throw .usage("expected /DB/KEY after the host", at: url.display, fix: "write redis://HOST:PORT/DB/KEY, e.g. redis://127.0.0.1:6379/0/jobs")
            }
            database = db
            segments.removeFirst()
            key = segments.joined(separator: "/")
        case "redis+unix":
            guard url.host.isEmpty, segments.count >= 2 else {
                throw .usage("expected a socket path and a key", at: url.display, fix: "write redis+unix:///PATH/TO/redis.sock/KEY[?db=N]")
            }
            key = segments.removeLast()
            address = .unix(path: "/" + segments.joined(separator: "/"))
            guard let db = Int(url.query["db"] ?? "0"), db >= 0 else { throw .usage("bad ?db=", at: url.display) }
            database = db
        default:
            throw .usage("not a redis URL", at: url.display)
        }
        label = url.display
    }

    /// Sidekiq keeps queue NAME in the list `queue:NAME`; its retry, schedule and dead sets
    /// under their own names.
    var queueKey: String {
        guard options.layout == "sidekiq" else { return key }
        return ["retry", "schedule", "dead"].contains(key) ? key : "queue:" + key
    }

    func connect() throws(ScaleError) -> RedisClient {
        if let client { return client }
        let made = try RedisClient(address, timeout: options.timeout, username: username,
                                   password: options.secret("REDISCLI_AUTH"), database: database)
        client = made
        return made
    }

    func call(_ arguments: [String]) throws(ScaleError) -> RESPValue {
        let reply: RESPValue
        do { reply = try connect().call(arguments) } catch { client = nil; throw error }
        if case .error(let message) = reply {
            throw ScaleError(.input, "\(arguments[0]) \(queueKey): \(message)", at: label)
        }
        return reply
    }

    /// The server's clock (TIME), so ages are not skewed by the local clock.
    func serverTime() throws(ScaleError) -> Double {
        guard let parts = try call(["TIME"]).items, parts.count == 2,
              let s = parts[0].integerValue, let us = parts[1].integerValue else {
            throw ScaleError(.input, "unexpected TIME reply", at: label)
        }
        return Double(s) + Double(us) / 1e6
    }

    func poll(now: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)] {
        notes = []
        let time = try serverTime()
        let type = try call(["TYPE", queueKey]).text ?? "none"
        if type == "none" { try explainMissingKey() }
        switch (options.layout, type) {
        case ("stream", _), ("auto", "stream"):
            guard type == "stream" else {
                throw ScaleError(.input, "\(queueKey) is a \(type), not a stream", at: label)
            }
            return try pollStream(time: time)
        case (_, "list"), (_, "none"):
            return [(key, try pollList(time: time))]
        case (_, "zset"):
            return [(key, try pollSortedSet(time: time))]
        default:
            throw ScaleError(.input, "\(queueKey) is a \(type): backlog reads lists, streams and sorted sets", at: label,
                             fix: "name a list (LLEN), a stream with consumer groups or a sorted set (ZCARD)")
        }
    }

    /// Redis deletes a list when it empties, so a missing key is a drained queue or a wrong
    /// name. A queue-like key with a near name makes a typo likely: UNKNOWN, naming it; else
    /// depth 0 with a note saying so. The search is bounded (SCAN, at most `scanLimit` keys).
    func explainMissingKey() throws(ScaleError) {
        // A watch polls a drained list every round: scan for near names once, not each time
        // (a scan that failed on the connection is not kept, and is tried again).
        if nearKeys == nil { nearKeys = try scanForNearKeys() }
        let (typed, scanned) = nearKeys!
        guard typed.isEmpty else {
            throw ScaleError(.input, "key '\(queueKey)' does not exist; did you mean \(typed.joined(separator: " or "))?", at: label,
                             fix: "check the key: Redis deletes an empty list, but a near name holds a queue")
        }
        notes.append("\(label): key '\(queueKey)' does not exist: Redis deletes a list when it empties, so this is an empty queue or a wrong name"
                     + " (no list, stream or sorted set with a near name among \(scanned) keys scanned)")
    }

    /// Queue-like keys with a near name ('orders' (a list)), and how many keys were scanned.
    private var nearKeys: (typed: [String], scanned: Int)?

    private func scanForNearKeys() throws(ScaleError) -> (typed: [String], scanned: Int) {
        var near: [String] = []
        var cursor = "0"
        var scanned = 0
        repeat {
            guard let reply = try call(["SCAN", cursor, "COUNT", "1000"]).items, reply.count == 2, let next = reply[0].text else { break }
            let keys = reply[1].items?.compactMap(\.text) ?? []
            scanned += keys.count
            near += keys.filter { $0 != queueKey && EditDistance.distance($0, queueKey) <= max(2, queueKey.count / 4) }
            cursor = next
        } while cursor != "0" && scanned < Self.scanLimit
        var typed: [String] = []
        for candidate in near.sorted().prefix(5) {
            if let type = try call(["TYPE", candidate]).text, ["list", "stream", "zset"].contains(type) { typed.append("'\(candidate)' (a \(type))") }
        }
        return (typed, scanned)
    }

    /// Keys scanned for a near name when the queue's key is missing.
    static let scanLimit = 100_000

    func pollList(time: Double) throws(ScaleError) -> BacklogSample {
        guard let depth = try call(["LLEN", queueKey]).integerValue else {
            throw ScaleError(.input, "unexpected LLEN reply", at: label)
        }
        var age: Double?
        let field = options.timestampField ?? (options.layout == "sidekiq" ? "enqueued_at" : nil)
        if let field, depth > 0 {
            let index = options.oldestEnd == "left" ? "0" : "-1"
            if case .bulk(let item?) = try call(["LINDEX", queueKey, index]), let stamp = ItemTimestamp.read(item, field: field) {
                age = max(0, time - stamp)
            }
        }
        return BacklogSample(time: time, depth: Double(depth), oldestAgeSeconds: age)
    }

    /// A sorted set — Sidekiq's `retry`, `schedule` and `dead` sets: depth = ZCARD. With the
    /// sidekiq layout the scores are Unix times (when a job died or is due), so the lowest score
    /// dates the oldest entry.
    func pollSortedSet(time: Double) throws(ScaleError) -> BacklogSample {
        guard let depth = try call(["ZCARD", queueKey]).integerValue else {
            throw ScaleError(.input, "unexpected ZCARD reply", at: label)
        }
        var age: Double?
        if options.layout == "sidekiq", depth > 0,
           let first = try call(["ZRANGE", queueKey, "0", "0", "WITHSCORES"]).items, first.count == 2,
           let score = first[1].text.flatMap(Double.init) {
            age = max(0, time - score)
        }
        return BacklogSample(time: time, depth: Double(depth), oldestAgeSeconds: age)
    }

    /// A flat key/value reply (XINFO) as a dictionary.
    static func pairs(_ reply: RESPValue) -> [String: RESPValue] {
        guard let items = reply.items else { return [:] }
        var out: [String: RESPValue] = [:]
        var i = 0
        while i + 1 < items.count {
            if let name = items[i].text { out[name] = items[i + 1] }
            i += 2
        }
        return out
    }

    func pollStream(time: Double) throws(ScaleError) -> [(queue: String, sample: BacklogSample)] {
        let stream = Self.pairs(try call(["XINFO", "STREAM", queueKey]))
        let added = stream["entries-added"]?.integerValue
        let groups = (try call(["XINFO", "GROUPS", queueKey])).items ?? []
        if groups.isEmpty {
            hasCounters = added != nil
            // No length is no measurement: a depth of 0 here would be a false OK.
            guard let length = stream["length"]?.integerValue else { throw ScaleError(.input, "XINFO STREAM gave no length", at: label) }
            return [(key, RedisStreamBacklog.sample(time: time, length: length, entriesAdded: added,
                                                    firstEntryID: stream["first-entry"]?.items?.first?.text))]
        }
        var out: [(queue: String, sample: BacklogSample)] = []
        for group in groups {
            let info = Self.pairs(group)
            guard let name = info["name"]?.text else { continue }
            guard let pending = info["pending"]?.integerValue else {
                throw ScaleError(.input, "XINFO GROUPS gave no pending count for group '\(name)'", at: label)
            }
            let undelivered = "(" + (info["last-delivered-id"]?.text ?? "0-0")
            let lag: Int64
            if let known = info["lag"]?.integerValue {
                lag = known
            } else {
                // Nil after XDEL past the group's position (or before it read anything):
                // count the undelivered entries, up to a bound.
                lag = Int64((try call(["XRANGE", queueKey, undelivered, "+", "COUNT", String(Self.countLimit)]).items ?? []).count)
            }
            let oldestPending = pending > 0 ? try call(["XPENDING", queueKey, name]).items.flatMap { $0.count >= 2 ? $0[1].text : nil } : nil
            let firstUndelivered = lag > 0 ? try call(["XRANGE", queueKey, undelivered, "+", "COUNT", "1"]).items?.first?.items?.first?.text : nil
            let entriesRead = info["entries-read"]?.integerValue
            if added != nil, entriesRead != nil { hasCounters = true }
            out.append((key + "/" + name, RedisStreamBacklog.sample(time: time, lag: lag, pending: pending, entriesAdded: added, entriesRead: entriesRead,
                                                                    oldestPendingID: oldestPending, firstUndeliveredID: firstUndelivered,
                                                                    consumers: info["consumers"]?.integerValue.map { Int($0) })))
        }
        return out
    }
}

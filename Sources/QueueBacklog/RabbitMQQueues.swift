public import ScaleCore

/// Queues as RabbitMQ's management API describes them (`GET /api/queues/VHOST[/NAME]`), turned
/// into samples: depth = `messages` (ready + unacknowledged), arrived = `message_stats.publish`,
/// deleted = `ack` + `deliver_no_ack` + `get_no_ack` (every way a message leaves for good), the
/// oldest age from `head_message_timestamp` (only when publishers set the timestamp property,
/// and never on quorum queues). The API's own `…_details.rate` figures are ignored: they
/// flicker to 0 between statistics ticks; two polls of the cumulative counters do not.
public enum RabbitMQQueues {
    public struct Queue: Sendable, Equatable {
        public var vhost: String
        public var name: String
        public var sample: BacklogSample
        public var messagesReady: Double?
        public var messagesUnacknowledged: Double?
        public var consumerUtilisation: Double?

        public init(vhost: String, name: String, sample: BacklogSample, messagesReady: Double?,
                    messagesUnacknowledged: Double?, consumerUtilisation: Double?) {
            self.vhost = vhost
            self.name = name
            self.sample = sample
            self.messagesReady = messagesReady
            self.messagesUnacknowledged = messagesUnacknowledged
            self.consumerUtilisation = consumerUtilisation
        }
    }

    /// The `columns` to ask for, so a broker with many queues sends only what is read.
    public static let columns = "name,vhost,messages,messages_ready,messages_unacknowledged,consumers,consumer_utilisation,"
        + "head_message_timestamp,message_stats.publish,message_stats.ack,message_stats.deliver_no_ack,message_stats.get_no_ack"

    /// Parses one queue object or an array of them; `now` dates the samples.
    public static func parse(_ bytes: [UInt8], now: Double, source: String) throws(ScaleError) -> [Queue] {
        let document = try JSONParser.parse(bytes, file: source)
        let objects: [JSONValue]
        switch document {
        case .array(let items): objects = items
        case .object: objects = [document]
        default: throw .input("expected a queue object or an array of queues", at: source)
        }
        var out: [Queue] = []
        for object in objects {
            guard let name = object["name"]?.string else {
                throw .input("a queue without a name", at: source, fix: "check that the URL is the management API (port 15672)")
            }
            let stats = object["message_stats"]
            // Statistics are missing until the queue has seen a message: counters are then 0.
            func count(_ value: JSONValue?, _ field: String) throws(ScaleError) -> Double? {
                try InputRange.count(value?.double, field: "queue '\(name)': \(field)", source: source)
            }
            func counter(_ key: String) throws(ScaleError) -> Double { try count(stats?[key], "message_stats.\(key)") ?? 0 }
            let arrived = try counter("publish")
            let deleted = try counter("ack") + counter("deliver_no_ack") + counter("get_no_ack")
            let depth = try count(object["messages"], "messages") ?? 0
            let now = now
            var age: Double?
            if let head = object["head_message_timestamp"]?.double {
                guard InputRange.isInstant(head) else {
                    throw .input("queue '\(name)': head_message_timestamp \(Format.shortest(head)) is not a time", at: source)
                }
                age = max(0, now - head)
            }
            out.append(Queue(vhost: object["vhost"]?.string ?? "/", name: name,
                             sample: BacklogSample(time: now, depth: depth, arrivedTotal: arrived, deletedTotal: deleted,
                                                   oldestAgeSeconds: age,
                                                   consumers: try count(object["consumers"], "consumers").map { Int($0) }),
                             messagesReady: try count(object["messages_ready"], "messages_ready"),
                             messagesUnacknowledged: try count(object["messages_unacknowledged"], "messages_unacknowledged"),
                             consumerUtilisation: object["consumer_utilisation"]?.double))
        }
        return out
    }
}

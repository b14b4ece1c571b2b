public import ScaleCore

/// The answer to SQS `GetQueueAttributes` in the AWS JSON 1.0 protocol:
/// `{"Attributes":{"ApproximateNumberOfMessages":"5",…}}`. Depth = visible + in flight
/// (ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible), the messages not yet
/// deleted, as RabbitMQ's ready + unacknowledged; delayed messages are not yet deliverable and are
/// reported apart. SQS keeps no cumulative counters and no oldest age as queue attributes (the
/// age is a CloudWatch metric), so rates come from depth alone.
public enum SQSAttributes {
    public struct Queue: Sendable, Equatable {
        public var visible: Double
        public var inFlight: Double
        public var delayed: Double
        public var sample: BacklogSample

        public init(visible: Double, inFlight: Double, delayed: Double, sample: BacklogSample) {
            self.visible = visible
            self.inFlight = inFlight
            self.delayed = delayed
            self.sample = sample
        }
    }

    public static func parse(_ bytes: [UInt8], now: Double, source: String) throws(ScaleError) -> Queue {
        let document = try JSONParser.parse(bytes, file: source)
        if let type = document["__type"]?.string {
            let message = document["message"]?.string ?? document["Message"]?.string ?? ""
            throw .input("SQS refused: \(type.split(separator: "#").last ?? Substring(type)) \(message)".trimmingSpaces, at: source)
        }
        guard let attributes = document["Attributes"] else {
            throw .input("no Attributes in the GetQueueAttributes answer", at: source)
        }
        func count(_ name: String) throws(ScaleError) -> Double {
            guard let text = attributes[name]?.string ?? attributes[name]?.double.map({ Format.shortest($0) }) else { return 0 }
            guard let value = Double(text), value >= 0 else { throw .input("\(name) '\(text)' is not a count", at: source) }
            return value
        }
        let visible = try count("ApproximateNumberOfMessages")
        let inFlight = try count("ApproximateNumberOfMessagesNotVisible")
        let delayed = try count("ApproximateNumberOfMessagesDelayed")
        return Queue(visible: visible, inFlight: inFlight, delayed: delayed,
                     sample: BacklogSample(time: now, depth: visible + inFlight))
    }
}

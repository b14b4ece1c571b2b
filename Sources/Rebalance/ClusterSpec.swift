public import ScaleCore

/// The brokers an assignment should end up on, with their racks and weights.
public struct ClusterSpec: Sendable, Equatable {
    /// Target brokers, ascending.
    public var brokers: [Int]
    /// Rack of each broker; empty when racks are not given (rack-unaware).
    public var racks: [Int: String]
    /// Relative weights (capacities); a broker missing here weighs 1.
    public var weights: [Int: Double]

    public init(brokers: [Int], racks: [Int: String] = [:], weights: [Int: Double] = [:]) {
        self.brokers = brokers.sorted()
        self.racks = racks
        self.weights = weights
    }

    public func weight(of broker: Int) -> Double { brokers.contains(broker) ? (weights[broker] ?? 1) : 0 }

    public var rackAware: Bool { !racks.isEmpty }

    /// Distinct racks of the target brokers, sorted.
    public var rackNames: [String] { Array(Set(brokers.compactMap { racks[$0] })).sorted() }

    /// The target set from the current brokers and a target list, or brokers to add and remove;
    /// checks that racks and weights cover exactly what they must.
    public static func resolve(current: [Int], brokers: [Int]?, add: [Int], remove: [Int],
                               racks: [Int: String], weights: [Int: Double]) throws(ScaleError) -> ClusterSpec {
        var target: [Int]
        if let brokers {
            guard add.isEmpty, remove.isEmpty else {
                throw .usage("\(Parameter.brokers) cannot be combined with \(Parameter.add) or \(Parameter.remove)", about: .brokers,
                             fix: "give the whole target set with \(Parameter.brokers), or changes with \(Parameter.add)/\(Parameter.remove)")
            }
            target = brokers
        } else {
            target = current
            for broker in remove {
                guard let index = target.firstIndex(of: broker) else {
                    throw .usage("broker \(broker) holds no replicas", about: .remove,
                                 fix: "remove one of the brokers in the assignment: " + BrokerIDs.format(current))
                }
                target.remove(at: index)
            }
            for broker in add {
                guard !target.contains(broker) else {
                    throw .usage("broker \(broker) already holds replicas", about: .add, fix: "add a broker that is not in the assignment")
                }
                target.append(broker)
            }
        }
        guard !target.isEmpty else {
            throw .usage("no target brokers are left", about: brokers == nil ? .remove : .brokers, fix: "keep at least one broker")
        }
        let spec = ClusterSpec(brokers: target, racks: racks, weights: weights)
        if !racks.isEmpty {
            let missing = spec.brokers.filter { racks[$0] == nil }
            guard missing.isEmpty else {
                throw .usage("brokers without a rack: " + BrokerIDs.format(missing), about: .racks,
                             fix: "give every target broker a rack, e.g. \(missing[0])=RACK")
            }
        }
        for (broker, weight) in weights {
            guard spec.brokers.contains(broker) else {
                throw .usage("broker \(broker) is not a target broker", about: .weights, fix: "weigh only brokers in the target set")
            }
            guard weight.isFinite, weight > 0 else {
                throw .usage("broker \(broker) has weight \(Format.shortest(weight))", about: .weights, fix: "weights are positive numbers")
            }
        }
        return spec
    }
}

/// Broker id lists as users type them: `1,2,3`, `1-12`, `1-6,9`.
public enum BrokerIDs {
    public static func parse(_ text: String, about parameter: Parameter) throws(ScaleError) -> [Int] {
        var result: [Int] = []
        // A set beside the list: with ranges up to 100,000 ids, `result.contains` made a long
        // range quadratic (found by the units fuzzer: `9-53539` took seconds).
        var seen = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(part).trimmingSpaces
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map { Int(String($0).trimmingSpaces) }
            guard let low = bounds.first ?? nil, low >= 0, low <= Int(Int32.max),
                  let high = (bounds.count == 2 ? bounds[1] : Optional(low)), high >= low, high <= Int(Int32.max), high - low < 100_000 else {
                throw .usage("'\(item)' is not a broker id or range", about: parameter,
                             fix: "write ids and ranges separated by commas, e.g. 1,2,3 or 1-12")
            }
            for broker in low...high where seen.insert(broker).inserted { result.append(broker) }
        }
        return result
    }

    /// `1-6,9` for [1,2,3,4,5,6,9].
    public static func format(_ brokers: [Int]) -> String {
        let sorted = Array(Set(brokers)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end - index >= 2 ? "\(sorted[index])-\(sorted[end])" : (index...end).map { String(sorted[$0]) }.joined(separator: ","))
            index = end + 1
        }
        return parts.joined(separator: ",")
    }
}

/// `KEY=VALUE` lists, inline (`1=a,2=a,3=b`) or one pair per line from a file (`1=a` or `1,a`;
/// `#` comments and blank lines skipped).
public enum KeyValueList {
    public static func parse(_ text: String, about parameter: Parameter) throws(ScaleError) -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        let isFile = text.contains("\n")
        let lines = isFile ? text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) : [text]
        for (number, raw) in lines.enumerated() {
            var line = raw.trimmingSpaces
            if line.hasSuffix("\r") { line.removeLast() }
            if isFile && (line.isEmpty || line.hasPrefix("#")) { continue }
            let location = isFile ? "line \(number + 1)" : ""
            // `1=a,2=b` anywhere; in a file also CSV lines `1,a`.
            let items = line.contains("=") ? line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) : [line]
            for item in items {
                let separator: Character = item.contains("=") ? "=" : ","
                let parts = isFile || separator == "="
                    ? item.split(separator: separator, maxSplits: 1, omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                    : []
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw .usage("'\(item.trimmingSpaces)' is not KEY=VALUE", at: location, about: parameter,
                                 fix: "write pairs such as 1=a,2=b (or one per line in a file given as @FILE)")
                }
                pairs.append((parts[0], parts[1]))
            }
        }
        return pairs
    }

    /// Broker → rack.
    public static func racks(_ text: String, about parameter: Parameter) throws(ScaleError) -> [Int: String] {
        var racks: [Int: String] = [:]
        for (key, value) in try parse(text, about: parameter) {
            guard let broker = Int(key), broker >= 0 else {
                throw .usage("'\(key)' is not a broker id", about: parameter, fix: "write BROKER=RACK, e.g. 1=us-east-1a")
            }
            racks[broker] = value
        }
        return racks
    }

    /// Broker → weight.
    public static func weights(_ text: String, about parameter: Parameter) throws(ScaleError) -> [Int: Double] {
        var weights: [Int: Double] = [:]
        for (key, value) in try parse(text, about: parameter) {
            guard let broker = Int(key), broker >= 0 else {
                throw .usage("'\(key)' is not a broker id", about: parameter, fix: "write BROKER=WEIGHT, e.g. 7=2")
            }
            guard let weight = Double(value), weight.isFinite, weight > 0 else {
                throw .usage("'\(value)' is not a positive weight", about: parameter, fix: "write BROKER=WEIGHT, e.g. 7=2")
            }
            weights[broker] = weight
        }
        return weights
    }
}

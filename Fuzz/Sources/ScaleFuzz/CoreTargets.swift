import Availability
import HealthProbe
import Rebalance
import ScaleCore

/// ScaleCore's JSON reader and every small text grammar a flag or a file field goes through.
extension FuzzTargets {
    static let core: [FuzzTarget] = [
        FuzzTarget(name: "json", input: "a JSON document (byte 0 picks the limits and duplicate-key rule)") { bytes in
            guard let mode = bytes.first else { return }
            let body = Array(bytes.dropFirst())
            let options = JSONParser.Options(maxBytes: mode & 1 == 0 ? JSONParser.defaultMaxBytes : 4096,
                                             maxDepth: mode & 2 == 0 ? JSONParser.defaultMaxDepth : 8,
                                             duplicateKeys: mode & 4 == 0 ? .reject : .keep,
                                             allowByteOrderMark: mode & 8 != 0)
            _ = try? JSONParser.read(body, options: options)
            _ = try? JSONParser.readPrefix(body, from: Int(mode) % (body.count + 1), options: options)
            body.withUnsafeBytes { _ = JSONParser.read($0, options: options) }
        },
        FuzzTarget(name: "units", input: "one value per line: durations, sizes, ratios, availability ratios, status sets, broker lists, key=value lists") { bytes in
            for line in textLines(bytes) {
                _ = try? DurationUnits.parse(line)
                _ = try? SizeUnits.parse(line)
                _ = try? RatioUnits.parse(line)
                _ = try? RatioText.parse(line)
                _ = try? StatusSet(parsing: line)
                _ = try? BrokerIDs.parse(line, about: Parameter("brokers"))
                _ = try? KeyValueList.racks(line, about: Parameter("racks"))
                _ = try? KeyValueList.weights(line, about: Parameter("weights"))
            }
        },
    ]
}

import HashRing
import HealthProbe
import ScaleCore

/// Ring node lists, probe target lists and `--expect-json` checks.
extension FuzzTargets {
    static let ringAndProbe: [FuzzTarget] = [
        FuzzTarget(name: "ring-nodes", input: "a node list file; its first line also as a --nodes list") { bytes in
            _ = try? NodeList.parse(fileText: String(decoding: bytes, as: UTF8.self))
            _ = try? NodeList.parse(list: splitFirstLine(bytes).first)
        },
        FuzzTarget(name: "probe-targets", input: "a probe targets file; each line also as a single URL") { bytes in
            _ = try? TargetList.parse(bytes, source: "targets.txt")
            for line in textLines(bytes).prefix(64) { _ = try? ProbeTarget(url: line) }
        },
        FuzzTarget(name: "json-check", input: "first line: a --expect-json check; the rest: the response body it judges") { bytes in
            let (expression, body) = splitFirstLine(bytes)
            guard let check = try? JSONCheck(parsing: expression) else { return }
            _ = check.failure(body: body)
            _ = check.description
        },
    ]
}

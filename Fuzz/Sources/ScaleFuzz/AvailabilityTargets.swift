import Availability
import ScaleCore

/// The availability topology: the expression language and its JSON form, each then composed.
extension FuzzTargets {
    static let availability: [FuzzTarget] = [
        FuzzTarget(name: "topology-expression", input: "an availability topology expression (--topology)") { bytes in
            guard let topology = try? TopologyExpression.parse(String(decoding: bytes, as: UTF8.self)) else { return }
            compose(topology)
        },
        FuzzTarget(name: "topology-json", input: "a topology JSON file") { bytes in
            guard let topology = try? TopologyJSON.parse(bytes, file: "fuzz.json") else { return }
            compose(topology)
        },
    ]

    static func compose(_ topology: Topology) {
        guard (try? topology.validate()) != nil, let model = try? ComposeModel(topology) else { return }
        _ = model.contributions()
    }
}

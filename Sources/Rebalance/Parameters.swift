import ScaleCore

/// The inputs this library's errors are about; the CLI shows each as the flag that sets it.
extension Parameter {
    static let balance = Parameter("balance")
    static let sizes = Parameter("sizes")
    static let perTopic = Parameter("per-topic")
    static let nodes = Parameter("nodes")
    static let weight = Parameter("weight")
    static let useEmptyMasters = Parameter("use-empty-masters")
    static let brokers = Parameter("brokers")
    static let add = Parameter("add")
    static let remove = Parameter("remove")
    static let racks = Parameter("racks")
    static let weights = Parameter("weights")
}

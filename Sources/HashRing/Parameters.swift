import ScaleCore

/// The inputs this library's errors are about; the CLI shows each as the flag that sets it.
extension Parameter {
    static let nodes = Parameter("nodes")
    static let vnodes = Parameter("vnodes")
    static let capacityFactor = Parameter("capacity-factor")
    static let tableSize = Parameter("table-size")
    static let probes = Parameter("probes")
    static let targetBalance = Parameter("target-balance")
    static let algorithm = Parameter("algorithm")
}

import ScaleCore

/// The inputs this library's errors are about; the CLI shows each as the flag that sets it.
extension Parameter {
    static let metric = Parameter("metric")
    static let query = Parameter("query")
    static let interval = Parameter("interval")
    static let maxDepth = Parameter("max-depth")
    static let maxAge = Parameter("max-age")
}

import ScaleCore

/// The inputs this library's reasons name; the CLI shows each as the flag that sets it.
extension Parameter {
    static let maxBody = Parameter("max-body")
    static let expectJSON = Parameter("expect-json")
    static let failIfBody = Parameter("fail-if-body")
}

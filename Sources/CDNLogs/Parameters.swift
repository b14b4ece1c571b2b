import ScaleCore

/// The inputs this library's errors are about; the CLI shows each as the flag that sets it.
extension Parameter {
    static let logFormat = Parameter("log-format")
    static let nginxLogFormat = Parameter("nginx-log-format")
    static let apacheLogFormat = Parameter("apache-log-format")
    static let cloudfrontFields = Parameter("cloudfront-fields")
    static let partial = Parameter("partial")
    static let showMalformed = Parameter("show-malformed")
    static let maxMalformed = Parameter("max-malformed")
}

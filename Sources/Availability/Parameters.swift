import ScaleCore

/// The inputs this library's errors are about; the CLI shows each as the flag that sets it.
extension Parameter {
    static let slo = Parameter("slo")
    static let window = Parameter("window")
    static let downtime = Parameter("downtime")
    static let commonCause = Parameter("common-cause")
    static let detectionDelay = Parameter("detection-delay")
    static let mttr = Parameter("mttr")
    static let needs = Parameter("needs")
    static let load = Parameter("load")
    static let checkInterval = Parameter("interval")
    static let checkTimeout = Parameter("timeout")
    static let fall = Parameter("fall")
    static let rise = Parameter("rise")
    static let file = Parameter("file")
    static let metric = Parameter("metric")
    static let errorMetric = Parameter("error-metric")
    static let alertName = Parameter("alert-name")
}

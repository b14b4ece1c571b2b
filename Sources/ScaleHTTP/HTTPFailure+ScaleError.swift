public import ScaleCore

extension HTTPFailure {
    /// The failure as the CLI reports it: a target failure (exit 2), except a request that
    /// could not even be formed, which is a usage error (exit 64).
    public var scaleError: ScaleError {
        switch kind {
        case .invalidRequest:
            return .usage(message, at: url, fix: "check the URL and headers")
        case .tls where curlCode == 60:
            return ScaleError(.target, message, at: url,
                              fix: "pass a CA bundle that signs the server's certificate, or \(Parameter.insecure) to skip verification")
        default:
            return ScaleError(.target, "\(message) (\(kind.rawValue))", at: url)
        }
    }
}

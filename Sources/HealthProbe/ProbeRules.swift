public import ScaleCore

/// What makes a probe pass, and when a passing probe still deserves a WARNING or CRITICAL.
public struct ProbeRules: Sendable {
    public var expectedStatuses: StatusSet
    public var expectBody: BodyPattern?
    public var failIfBody: BodyPattern?
    public var expectJSON: JSONCheck?
    /// A probe slower than this (total seconds) is WARNING.
    public var warningSeconds: Double?
    /// A probe slower than this is CRITICAL.
    public var criticalSeconds: Double?
    /// A certificate expiring in fewer days is WARNING (`--tls-min-days W`).
    public var tlsWarningDays: Double?
    /// A certificate expiring in fewer days is CRITICAL (`--tls-min-days W,C`); an expired
    /// one always is.
    public var tlsCriticalDays: Double?

    public init(expectedStatuses: StatusSet = .default, expectBody: BodyPattern? = nil, failIfBody: BodyPattern? = nil,
                expectJSON: JSONCheck? = nil, warningSeconds: Double? = nil, criticalSeconds: Double? = nil,
                tlsWarningDays: Double? = nil, tlsCriticalDays: Double? = nil) {
        self.expectedStatuses = expectedStatuses
        self.expectBody = expectBody
        self.failIfBody = failIfBody
        self.expectJSON = expectJSON
        self.warningSeconds = warningSeconds
        self.criticalSeconds = criticalSeconds
        self.tlsWarningDays = tlsWarningDays
        self.tlsCriticalDays = tlsCriticalDays
    }

    /// Compiles the body patterns once, for judging many samples.
    public func judge() -> ProbeJudge { ProbeJudge(rules: self) }
}

/// The verdict on one probe.
public struct ProbeVerdict: Sendable, Equatable {
    /// Whether the target passed: it answered, with an expected status and body.
    public var up: Bool
    /// OK, WARNING or CRITICAL for this probe alone.
    public var status: ExitCode
    /// Why it is not OK (`refused`, `status 503`, `slow: 612ms > 500ms`); nil when OK.
    public var reason: String?
    /// Days until the earliest certificate expires (negative once expired); nil without TLS.
    public var tlsDaysLeft: Double?

    public init(up: Bool, status: ExitCode, reason: String? = nil, tlsDaysLeft: Double? = nil) {
        self.up = up
        self.status = status
        self.reason = reason
        self.tlsDaysLeft = tlsDaysLeft
    }
}

/// `ProbeRules` with its patterns compiled. Judging is a pure function of the sample, the
/// target's kind and the time (for certificate expiry).
public struct ProbeJudge {
    public let rules: ProbeRules
    private let expectBody: BodyPattern.Matcher?
    private let failIfBody: BodyPattern.Matcher?

    init(rules: ProbeRules) {
        self.rules = rules
        expectBody = rules.expectBody?.matcher()
        failIfBody = rules.failIfBody?.matcher()
    }

    public func verdict(on sample: ProbeSample, kind: ProbeTarget.Kind, nowEpochSeconds: Double) -> ProbeVerdict {
        let response: ProbeResponse
        switch sample.outcome {
        case .failure(let failure):
            let daysLeft = failure.certificateExpiry.map { ($0 - nowEpochSeconds) / 86_400 }
            return ProbeVerdict(up: false, status: .critical, reason: failure.reason(tlsDaysLeft: daysLeft), tlsDaysLeft: daysLeft)
        case .response(let r):
            response = r
        }
        let daysLeft = response.certificateExpiry.map { ($0 - nowEpochSeconds) / 86_400 }
        if kind.speaksHTTP, let down = httpProblem(response) {
            return ProbeVerdict(up: false, status: .critical, reason: down, tlsDaysLeft: daysLeft)
        }
        var status = ExitCode.ok
        var reasons: [String] = []
        let total = response.timings.total
        if let critical = rules.criticalSeconds, total > critical {
            status = status.worse(.critical)
            reasons.append("slow: \(DurationUnits.human(total)) > \(DurationUnits.human(critical))")
        } else if let warning = rules.warningSeconds, total > warning {
            status = status.worse(.warning)
            reasons.append("slow: \(DurationUnits.human(total)) > \(DurationUnits.human(warning))")
        }
        if let days = daysLeft {
            let shown = Format.decimal(abs(days), places: 1)
            if days <= 0 {
                status = status.worse(.critical)
                reasons.append(CertificateProblem.expired(daysLeft: days))
            } else if let critical = rules.tlsCriticalDays, days < critical {
                status = status.worse(.critical)
                reasons.append("certificate expires in \(shown) days")
            } else if let warning = rules.tlsWarningDays, days < warning {
                status = status.worse(.warning)
                reasons.append("certificate expires in \(shown) days")
            }
        }
        return ProbeVerdict(up: true, status: status, reason: reasons.isEmpty ? nil : reasons.joined(separator: "; "),
                            tlsDaysLeft: daysLeft)
    }

    /// Why an HTTP answer does not count as up, in the order a person would check.
    private func httpProblem(_ response: ProbeResponse) -> String? {
        if !rules.expectedStatuses.contains(response.status) { return "status \(response.status)" }
        if let expectBody, !expectBody.matches(response.body) { return "body mismatch" }
        if let failIfBody, failIfBody.matches(response.body) { return "body matched \(Parameter.failIfBody)" }
        if let check = rules.expectJSON {
            // A cut body is not JSON, and saying so would blame the server for our limit.
            if response.truncated { return "body larger than \(Parameter.maxBody) \(response.bytes) bytes: \(Parameter.expectJSON) not checked" }
            if let problem = check.failure(body: response.body) { return problem }
        }
        return nil
    }
}

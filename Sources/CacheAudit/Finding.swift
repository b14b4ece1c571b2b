/// One check that fired on one response.
public struct Finding: Sendable, Equatable {
    public var check: CheckInfo
    /// The specifics: which directive, which value, the numbers (`max-age=60 s-maxage=300`).
    public var detail: String

    public init(_ id: CheckID, _ detail: String = "") {
        self.check = CheckCatalogue.info(id)
        self.detail = detail
    }

    public var id: CheckID { check.id }
    public var severity: Severity { check.severity }
}

/// Everything the audit says about one response.
public struct ResponseAudit: Sendable {
    public var exchange: Exchange
    public var fields: ResponseFields
    /// Browser, shared, CDN, in that order.
    public var verdicts: [CacheVerdict]
    /// One row per CDN vendor the response shows it passed through (Fastly, Cloudflare,
    /// CloudFront, Akamai), modelling that vendor's documented default configuration.
    public var vendorVerdicts: [CacheVerdict] = []
    public var findings: [Finding]

    public func verdict(_ cacheClass: CacheClass) -> CacheVerdict {
        (verdicts + vendorVerdicts).first { $0.cacheClass == cacheClass }!
    }

    /// The most severe finding, nil when there is none.
    public var worst: Severity? { findings.map(\.severity).max() }
}

public enum CacheAudit {
    /// Parses, computes the verdicts and runs every passive check.
    public static func audit(_ exchange: Exchange) -> ResponseAudit {
        let fields = ResponseFields(exchange.headers)
        let verdicts = Freshness.verdicts(exchange, fields)
        var audit = ResponseAudit(exchange: exchange, fields: fields, verdicts: verdicts, findings: [])
        audit.vendorVerdicts = VendorVerdicts.verdicts(exchange, fields)
        audit.findings = PassiveChecks.run(audit)
        return audit
    }

    /// Explains a Cache-Control value alone: a GET answered 200 with only this field, at `now`.
    public static func explain(cacheControl value: String, now: Int64 = 0) -> ResponseAudit {
        audit(Exchange(status: 200, headers: [HeaderField("Cache-Control", value), HeaderField("Date", HTTPDate(seconds: now).imfFixdate)],
                       receivedAt: now))
    }
}

import ScaleCore

/// One certificate of the chain the server presented, as libcurl's `CURLINFO_CERTINFO` reports it.
public struct CertificateInfo: Sendable, Equatable {
    /// The subject as OpenSSL prints it, e.g. `CN = example.com`.
    public var subject: String
    public var issuer: String
    /// The validity bounds as printed (`Jan  1 00:00:00 2030 GMT`).
    public var startDate: String
    public var expireDate: String
    /// The same bounds as seconds since 1970-01-01 UTC; nil when the text did not parse.
    public var notBeforeEpochSeconds: Int64?
    public var notAfterEpochSeconds: Int64?

    public init(subject: String, issuer: String, startDate: String, expireDate: String) {
        self.subject = subject
        self.issuer = issuer
        self.startDate = startDate
        self.expireDate = expireDate
        notBeforeEpochSeconds = CertificateInfo.epochSeconds(fromCertificateDate: startDate)
        notAfterEpochSeconds = CertificateInfo.epochSeconds(fromCertificateDate: expireDate)
    }

    /// Builds a certificate from libcurl's `Name:value` lines (`Subject:`, `Expire date:` …).
    init(certinfoLines lines: [String]) {
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            if fields[name] == nil { fields[name] = String(line[line.index(after: colon)...]) }
        }
        self.init(subject: fields["Subject"] ?? "", issuer: fields["Issuer"] ?? "",
                  startDate: fields["Start date"] ?? "", expireDate: fields["Expire date"] ?? "")
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses the two forms libcurl's TLS backends print:
    /// OpenSSL's `Jan  1 00:00:00 2030 GMT` (fractional seconds allowed) and
    /// GnuTLS/generic `2030-01-01 00:00:00 GMT`. Both are UTC.
    public static func epochSeconds(fromCertificateDate text: String) -> Int64? {
        let parts = text.split(separator: " ")
        let year: Int, month: Int, day: Int, clock: Substring
        if parts.count == 5, parts[4] == "GMT", let m = months.firstIndex(of: String(parts[0])),
           let d = Int(parts[1]), let y = Int(parts[3]) {
            (year, month, day, clock) = (y, m + 1, d, parts[2])
        } else if parts.count == 3, parts[2] == "GMT" {
            let date = parts[0].split(separator: "-")
            guard date.count == 3, let y = Int(date[0]), let m = Int(date[1]), let d = Int(date[2]) else { return nil }
            (year, month, day, clock) = (y, m, d, parts[1])
        } else {
            return nil
        }
        let time = clock.split(separator: ".")[0].split(separator: ":")
        guard time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        let days = CivilDate(year: year, month: month, day: day).daysSinceEpoch
        return Int64(days) * 86_400 + Int64(hour * 3_600 + minute * 60 + second)
    }
}

/// What the TLS layer of a response showed.
public struct TLSInfo: Sendable, Equatable {
    /// The chain as the server sent it, leaf first. Empty when libcurl reused a connection
    /// (no handshake, so nothing to report) or the backend gave no details.
    public var certificates: [CertificateInfo]

    public init(certificates: [CertificateInfo]) {
        self.certificates = certificates
    }

    /// When the server's own certificate expires, in seconds since 1970-01-01 UTC.
    public var leafNotAfterEpochSeconds: Int64? { certificates.first?.notAfterEpochSeconds }
}

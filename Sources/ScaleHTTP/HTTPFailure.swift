public import ScaleCore

/// Why a request produced no response. An HTTP error status (404, 503) is not a failure: it
/// is a response, and the caller judges it.
///
/// Nothing in here holds a secret: `url` has its password redacted and `message` has the
/// request's credentials scrubbed, so a failure can be printed or logged as it is.
public struct HTTPFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, CaseIterable {
        /// The host name did not resolve.
        case dns
        /// Nothing accepted the TCP connection: the port is closed (a reset came back).
        case refused
        /// No route to the host or its network (EHOSTUNREACH, ENETUNREACH): routing, a
        /// firewall's reject, or a host that is down — not a closed port.
        case unreachable
        /// The connect or total timeout ran out.
        case timeout
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The response headers exceeded `maxHeaderBytes` (an oversized body is truncated instead).
        case tooLarge = "too_large"
        /// The server broke HTTP: closed early, sent garbage or a short body.
        case `protocol`
        /// More redirects than `maxRedirects`.
        case tooManyRedirects = "too_many_redirects"
        /// The request could not be sent as given: malformed URL, unsupported scheme, a header
        /// with a line break. Nothing reached the network.
        case invalidRequest = "invalid_request"
        /// Anything else libcurl reports (out of memory, a local I/O error).
        case other
    }

    public var kind: Kind
    /// libcurl's own explanation (its error buffer, else `curl_easy_strerror`), credentials scrubbed.
    public var message: String
    /// The request URL with any password replaced by `***`.
    public var url: String
    /// The `CURLcode` (the number `curl` exits with), or 0 when the failure was found before libcurl ran.
    public var curlCode: Int
    /// Seconds from the start of the transfer to the failure, as libcurl measured it.
    public var elapsedSeconds: Double
    /// How far the transfer got before it failed: a mark that is 0 was never reached, so a
    /// timeout with `marks.connect > 0` and `marks.startTransfer == 0` hung waiting for the
    /// first byte, not in the TCP handshake.
    public var timings: HTTPTimings
    /// For a refused certificate: why, when OpenSSL or libcurl said so.
    public var certificateProblem: CertificateProblem?
    /// The chain the server presented before the failure, when libcurl collected it. libcurl
    /// 7.88 with OpenSSL does so only once the handshake is done: a chain that fails
    /// verification (expired, self-signed, unknown CA) aborts the handshake and leaves nil;
    /// a host name mismatch is found after it, so its chain is here.
    public var tls: TLSInfo?
    /// The address libcurl was connected or connecting to when the transfer failed
    /// (`CURLINFO_PRIMARY_IP`, set once a TCP connect was attempted, so a TLS handshake that
    /// timed out has it); empty before that.
    public var remoteIP: String

    public init(kind: Kind, message: String, url: String, curlCode: Int = 0, elapsedSeconds: Double = 0,
                timings: HTTPTimings = HTTPTimings(marks: CurlTimeMarks()),
                certificateProblem: CertificateProblem? = nil, tls: TLSInfo? = nil, remoteIP: String = "") {
        self.kind = kind
        self.message = message
        self.url = url
        self.curlCode = curlCode
        self.elapsedSeconds = elapsedSeconds
        self.timings = timings
        self.certificateProblem = certificateProblem
        self.tls = tls
        self.remoteIP = remoteIP
    }

    /// `url: message (kind)`.
    public var description: String { "\(url): \(message) (\(kind.rawValue))" }
}

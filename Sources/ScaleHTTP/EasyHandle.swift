import CCurl
import ScaleCore

/// One libcurl easy handle configured for one `HTTPRequest`, with everything its callbacks
/// write into. It owns every C resource of the transfer (handle, header list, error buffer)
/// and frees them in `deinit`, so no pointer outlives it or leaves ScaleHTTP.
///
/// Not thread-safe and not Sendable: a handle lives and dies on the thread running the transfer.
final class EasyHandle {
    let raw: UnsafeMutableRawPointer
    let request: HTTPRequest
    let accumulator: ResponseAccumulator
    let handshake = HandshakeClock()
    var queueWaitSeconds = 0.0
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let headerList = CurlStringList()
    private let resolveList = CurlStringList()

    /// nil when libcurl cannot allocate a handle.
    init?(request: HTTPRequest) {
        guard CurlGlobal.isReady, let raw = curl_easy_init() else { return nil }
        self.raw = raw
        self.request = request
        accumulator = ResponseAccumulator(maxBodyBytes: request.maxBodyBytes, maxHeaderBytes: request.maxHeaderBytes)
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        // The caller has removed the handle from any multi handle before letting go of it.
        // The lists are freed after this, when the properties go: libcurl no longer needs them.
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Applies every option of the request. Returns the reason when the request cannot be sent
    /// as given; nothing has touched the network yet.
    func configure() -> HTTPFailure? {
        if let problem = RequestValidation.problem(in: request) {
            return HTTPFailure(kind: .invalidRequest, message: problem, url: Redaction.url(request.url))
        }
        var setter = OptionSetter(handle: raw)
        setter.pointer(CURLOPT_ERRORBUFFER, errorBuffer)
        // Signals (SIGALRM for DNS timeouts) are not safe in a threaded process; libcurl's
        // threaded resolver still honours the timeouts without them.
        setter.long(CURLOPT_NOSIGNAL, 1)
        setter.string(CURLOPT_URL, Self.curlURL(for: request))
        setter.string(CURLOPT_PROTOCOLS_STR, "http,https")
        if request.connectOnly { setter.long(CURLOPT_CONNECT_ONLY, 1) }
        if request.freshConnection {
            // A health check measures a new connection every time, as a load balancer's does.
            setter.long(CURLOPT_FRESH_CONNECT, 1)
            setter.long(CURLOPT_FORBID_REUSE, 1)
        }
        if !request.resolve.isEmpty {
            for entry in request.resolve { resolveList.append(entry) }
            setter.pointer(CURLOPT_RESOLVE, resolveList.head)
        }
        setter.string(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        applyProxy(&setter)
        setter.string(CURLOPT_USERAGENT, request.userAgent)
        setter.long(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        // 0 would mean "no timeout" to libcurl; every request keeps one.
        setter.long(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.totalTimeout))
        setter.long(CURLOPT_SSL_VERIFYPEER, request.verifyTLS ? 1 : 0)
        setter.long(CURLOPT_SSL_VERIFYHOST, request.verifyTLS ? 2 : 0)
        if let caFile = request.caFile { setter.string(CURLOPT_CAINFO, caFile) }
        if let certificate = request.clientCertificate {
            setter.string(CURLOPT_SSLCERT, certificate)
            if let key = request.clientKey { setter.string(CURLOPT_SSLKEY, key) }
        }
        switch request.ipVersion {
        case .any: setter.long(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_WHATEVER))
        case .v4: setter.long(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V4))
        case .v6: setter.long(CURLOPT_IPRESOLVE, Int(CURL_IPRESOLVE_V6))
        }
        // A CA bundle file only, never libcurl's built-in CA directory (Debian: /etc/ssl/certs):
        // with a directory set, libcurl 7.87+ does not cache the parsed store in the multi
        // handle, and every HTTPS transfer parses the whole bundle again (~45 ms of CPU for
        // Debian's 139 CAs). --cacert means that file instead of the system's CAs; without it,
        // the built-in bundle, when libcurl has one (else the directory stays, uncached).
        if request.caFile != nil || string(CURLINFO_CAINFO) != nil { setter.pointer(CURLOPT_CAPATH, nil) }
        setter.long(CURLOPT_CERTINFO, 1)
        setter.long(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        setter.long(CURLOPT_MAXREDIRS, max(0, request.maxRedirects))
        setter.long(CURLOPT_HTTP_VERSION, Self.curlVersion(request.httpVersion))
        applyMethodAndBody(&setter)
        applyHeaders(&setter)
        if let aws = request.awsSigV4 {
            setter.string(CURLOPT_AWS_SIGV4, aws.provider)
            setter.string(CURLOPT_USERNAME, aws.accessKeyID)
            setter.string(CURLOPT_PASSWORD, aws.secretAccessKey)
        }

        let context = Unmanaged.passUnretained(accumulator).toOpaque()
        setter.write(CURLOPT_HEADERFUNCTION) { data, size, count, context in
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            let accumulator = Unmanaged<ResponseAccumulator>.fromOpaque(context!).takeUnretainedValue()
            // Returning a short count makes libcurl stop with CURLE_WRITE_ERROR.
            return accumulator.receiveHeaderLine(bytes) ? bytes.count : 0
        }
        setter.pointer(CURLOPT_HEADERDATA, context)
        setter.write(CURLOPT_WRITEFUNCTION) { data, size, count, context in
            let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
            let accumulator = Unmanaged<ResponseAccumulator>.fromOpaque(context!).takeUnretainedValue()
            return accumulator.receiveBody(bytes) ? bytes.count : 0
        }
        setter.pointer(CURLOPT_WRITEDATA, context)
        watchHandshake(&setter)

        guard setter.result == CURLE_OK else {
            return HTTPFailure(kind: .invalidRequest, message: String(cString: curl_easy_strerror(setter.result)),
                               url: Redaction.url(request.url), curlCode: Int(setter.result.rawValue))
        }
        return nil
    }

    /// The one place the proxy rule lives: the request's proxy or none. An empty
    /// CURLOPT_PROXY stops libcurl from reading http_proxy, HTTPS_PROXY, ALL_PROXY and
    /// NO_PROXY from the environment, which it would otherwise do silently, so that a health
    /// check or an audit would report the proxy's answer and timings as the target's.
    private func applyProxy(_ setter: inout OptionSetter) {
        if request.proxy == nil, request.proxyFromEnvironment { return }
        setter.string(CURLOPT_PROXY, request.proxy ?? "")
        // An explicit proxy is used for every host: NO_PROXY from the environment is not read either.
        if request.proxy != nil { setter.string(CURLOPT_NOPROXY, "") }
    }

    /// Times the TCP handshake on our own clock, for the transfers whose TLS handshake never
    /// finishes (see `HandshakeClock`).
    private func watchHandshake(_ setter: inout OptionSetter) {
        let clock = Unmanaged.passUnretained(handshake).toOpaque()
        setter.sockopt(CURLOPT_SOCKOPTFUNCTION) { clientp, _, purpose in
            if purpose == CURLSOCKTYPE_IPCXN {
                Unmanaged<HandshakeClock>.fromOpaque(clientp!).takeUnretainedValue().socketCreated()
            }
            return CURL_SOCKOPT_OK
        }
        setter.pointer(CURLOPT_SOCKOPTDATA, clock)
        // Only TLS libraries with an SSL context (OpenSSL, wolfSSL, mbedTLS) call it; with
        // another one the option is refused, which costs only the TCP time of a hung handshake.
        if scale_easy_setopt_sslctx(raw, CURLOPT_SSL_CTX_FUNCTION, { _, _, clientp in
            Unmanaged<HandshakeClock>.fromOpaque(clientp!).takeUnretainedValue().tlsStarting()
            return CURLE_OK
        }) == CURLE_OK {
            setter.pointer(CURLOPT_SSL_CTX_DATA, clock)
        }
    }

    private func applyMethodAndBody(_ setter: inout OptionSetter) {
        let method = request.method
        if method == "HEAD" {
            setter.long(CURLOPT_NOBODY, 1)
            return
        }
        if request.body != nil || method == "POST" {
            // Without post fields a POST would read its body from stdin.
            let body = request.body ?? []
            setter.offset(CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                setter.string(CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { setter.pointer(CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
            }
        }
        if (method != "GET" && method != "POST") || (method == "GET" && request.body != nil) {
            setter.string(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    private func applyHeaders(_ setter: inout OptionSetter) {
        var headers = request.headers
        if let token = request.awsSigV4?.sessionToken { headers.append(HTTPHeader("x-amz-security-token", token)) }
        for header in headers {
            // libcurl sends "Name:" only when asked for it as "Name;".
            headerList.append(header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)")
        }
        if !headerList.isEmpty { setter.pointer(CURLOPT_HTTPHEADER, headerList.head) }
    }

    /// The result of the finished transfer: a response, or why there is none.
    func outcome(_ code: CURLcode) -> Result<HTTPResponse, HTTPFailure> {
        var marks = readMarks()
        if code != CURLE_OK, marks.connect == 0, let tcp = handshake.tcpMicrosecondsBeforeTLS {
            // TCP connected and TLS began, but libcurl never set its connect mark (it does so
            // only once TLS is done): the connect phase is our own measurement.
            marks.connect = marks.nameLookup + tcp
        }
        // A write error after the body cap is our own doing: the response is good, just cut.
        if code == CURLE_OK && accumulator.sawStatusLine && !accumulator.headComplete {
            return .failure(HTTPFailure(kind: .protocol, message: "the connection closed in the middle of the response headers",
                                        url: Redaction.url(request.url), curlCode: Int(CURLE_PARTIAL_FILE.rawValue),
                                        elapsedSeconds: Double(marks.total) / 1_000_000,
                                        timings: HTTPTimings(queueWaitSeconds: queueWaitSeconds, marks: marks)))
        }
        if code == CURLE_OK || code == CURLE_WRITE_ERROR && accumulator.truncated {
            return .success(readResponse(marks: marks))
        }
        let curlMessage = errorBuffer.pointee != 0
            ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let headInProgress = accumulator.sawStatusLine && !accumulator.headComplete
        let kind = CurlCodeMapping.kind(for: code, message: curlMessage, request: request, osErrno: Int32(long(CURLINFO_OS_ERRNO)),
                                        headerOverflow: accumulator.headerOverflow, headInProgress: headInProgress)
        let message: String
        switch (kind, code) {
        case (.tooLarge, _) where accumulator.headerOverflow:
            message = "response headers exceed the limit of \(request.maxHeaderBytes) bytes"
        case (.tooLarge, CURLE_OUT_OF_MEMORY):
            message = "a response header line exceeds libcurl's limit of \(CURL_MAX_HTTP_HEADER) bytes"
        default:
            message = curlMessage
        }
        let certificates = kind == .tls ? readCertificates() : []
        return .failure(HTTPFailure(kind: kind, message: Redaction.scrub(message, secretsOf: request),
                                    url: Redaction.url(request.url), curlCode: Int(code.rawValue),
                                    elapsedSeconds: Double(marks.total) / 1_000_000,
                                    timings: HTTPTimings(queueWaitSeconds: queueWaitSeconds, marks: marks),
                                    certificateProblem: CertificateProblem(code: code, verifyResult: long(CURLINFO_SSL_VERIFYRESULT),
                                                                           message: curlMessage),
                                    tls: certificates.isEmpty ? nil : TLSInfo(certificates: certificates),
                                    remoteIP: string(CURLINFO_PRIMARY_IP) ?? ""))
    }

    private func readResponse(marks: CurlTimeMarks) -> HTTPResponse {
        // A connect-only request went to an http:// stand-in for its tcp:// URL.
        let effectiveURL = request.connectOnly ? request.url : string(CURLINFO_EFFECTIVE_URL) ?? request.url
        let isTLS = effectiveURL.prefix(8).lowercased() == "https://"
        return HTTPResponse(
            status: long(CURLINFO_RESPONSE_CODE),
            httpVersion: Self.versionName(long(CURLINFO_HTTP_VERSION)),
            headers: accumulator.headers,
            body: accumulator.body,
            truncated: accumulator.truncated,
            remoteIP: string(CURLINFO_PRIMARY_IP) ?? "",
            remotePort: long(CURLINFO_PRIMARY_PORT),
            effectiveURL: Redaction.url(effectiveURL),
            redirectCount: long(CURLINFO_REDIRECT_COUNT),
            timings: HTTPTimings(queueWaitSeconds: queueWaitSeconds, marks: marks),
            tls: isTLS ? TLSInfo(certificates: readCertificates()) : nil)
    }

    private func readMarks() -> CurlTimeMarks {
        CurlTimeMarks(nameLookup: offset(CURLINFO_NAMELOOKUP_TIME_T),
                      connect: offset(CURLINFO_CONNECT_TIME_T),
                      appConnect: offset(CURLINFO_APPCONNECT_TIME_T),
                      preTransfer: offset(CURLINFO_PRETRANSFER_TIME_T),
                      startTransfer: offset(CURLINFO_STARTTRANSFER_TIME_T),
                      total: offset(CURLINFO_TOTAL_TIME_T),
                      redirect: offset(CURLINFO_REDIRECT_TIME_T))
    }

    private func readCertificates() -> [CertificateInfo] {
        var pointer: UnsafeMutableRawPointer?
        guard scale_easy_getinfo_ptr(raw, CURLINFO_CERTINFO, &pointer) == CURLE_OK, let pointer else { return [] }
        let info = pointer.assumingMemoryBound(to: curl_certinfo.self).pointee
        guard info.num_of_certs > 0, let lists = info.certinfo else { return [] }
        return (0..<Int(info.num_of_certs)).map { index in
            var lines: [String] = []
            var node = lists[index]
            while let current = node {
                if let data = current.pointee.data { lines.append(String(cString: data)) }
                node = current.pointee.next
            }
            return CertificateInfo(certinfoLines: lines)
        }
    }

    private func long(_ info: CURLINFO) -> Int {
        var value = 0
        return scale_easy_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    private func offset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return scale_easy_getinfo_off(raw, info, &value) == CURLE_OK ? Int64(value) : 0
    }

    private func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard scale_easy_getinfo_string(raw, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// The URL libcurl is given. libcurl has no `tcp://` scheme; a connect-only request
    /// opens the same TCP connection for `http://host:port`, which is what it stands for.
    static func curlURL(for request: HTTPRequest) -> String {
        guard request.connectOnly, request.url.prefix(6).lowercased() == "tcp://" else { return request.url }
        return "http://" + request.url.dropFirst(6)
    }

    static func milliseconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return seconds > 0 ? Int(Int32.max) : 1 }
        return Int(min(max((seconds * 1_000).rounded(.up), 1), Double(Int32.max)))
    }

    static func curlVersion(_ preference: HTTPVersionPreference) -> Int {
        switch preference {
        case .default: return Int(CURL_HTTP_VERSION_NONE)
        case .http1_1: return Int(CURL_HTTP_VERSION_1_1)
        case .http2: return Int(CURL_HTTP_VERSION_2_0)
        case .http2PriorKnowledge: return Int(CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE)
        }
    }

    static func versionName(_ curlVersion: Int) -> String {
        switch curlVersion {
        case Int(CURL_HTTP_VERSION_1_0): return "HTTP/1.0"
        case Int(CURL_HTTP_VERSION_1_1): return "HTTP/1.1"
        case Int(CURL_HTTP_VERSION_2_0): return "HTTP/2"
        case Int(CURL_HTTP_VERSION_3): return "HTTP/3"
        default: return "HTTP/?"
        }
    }
}

/// Calls the typed `curl_easy_setopt` wrappers and keeps the first error, so configuring
/// reads as a list of options instead of a ladder of checks.
private struct OptionSetter {
    let handle: UnsafeMutableRawPointer
    private(set) var result = CURLE_OK

    init(handle: UnsafeMutableRawPointer) { self.handle = handle }

    mutating func long(_ option: CURLoption, _ value: Int) {
        if result == CURLE_OK { result = scale_easy_setopt_long(handle, option, value) }
    }

    mutating func offset(_ option: CURLoption, _ value: curl_off_t) {
        if result == CURLE_OK { result = scale_easy_setopt_off(handle, option, value) }
    }

    /// libcurl copies string options (since 7.17), so a temporary C string is enough.
    mutating func string(_ option: CURLoption, _ value: String) {
        if result == CURLE_OK { result = value.withCString { scale_easy_setopt_ptr(handle, option, $0) } }
    }

    mutating func pointer(_ option: CURLoption, _ value: UnsafeRawPointer?) {
        if result == CURLE_OK { result = scale_easy_setopt_ptr(handle, option, value) }
    }

    mutating func write(_ option: CURLoption, _ callback: curl_write_callback) {
        if result == CURLE_OK { result = scale_easy_setopt_write(handle, option, callback) }
    }

    mutating func sockopt(_ option: CURLoption, _ callback: curl_sockopt_callback) {
        if result == CURLE_OK { result = scale_easy_setopt_sockopt(handle, option, callback) }
    }
}

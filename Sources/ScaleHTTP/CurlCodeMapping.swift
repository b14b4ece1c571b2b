import CCurl

/// Sorts libcurl's result codes into the few kinds a user acts on differently.
enum CurlCodeMapping {
    /// `osErrno`: libcurl's CURLINFO_OS_ERRNO, the errno of the failed connect. `headerOverflow`:
    /// our header cap stopped the transfer. `headInProgress`: a status line arrived but not yet
    /// the end of the head.
    static func kind(for code: CURLcode, message: String, request: HTTPRequest, osErrno: Int32 = 0,
                     headerOverflow: Bool, headInProgress: Bool) -> HTTPFailure.Kind {
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns
        case CURLE_COULDNT_CONNECT:
            // libcurl says "Couldn't connect to server" for a closed port and for no route
            // alike; only the errno tells them apart.
            return HTTPFailure.Kind.connectFailure(errno: osErrno)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_TOO_MANY_REDIRECTS:
            return .tooManyRedirects
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED:
            return .tls
        case CURLE_WRITE_ERROR where headerOverflow, CURLE_FILESIZE_EXCEEDED:
            return .tooLarge
        case CURLE_URL_MALFORMAT, CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest
        case CURLE_UNSUPPORTED_PROTOCOL:
            // Our own URL's scheme is a bad request; a redirect to ftp:// is the server's doing.
            return hasHTTPScheme(request.url) ? .protocol : .invalidRequest
        case CURLE_RECV_ERROR where message.contains("Too large response headers"),
             CURLE_OUT_OF_MEMORY where headInProgress:
            // libcurl's own header limits when they bite before our cap: 300 KiB in all
            // ("Too large response headers"), or 100 KiB for one line, which 7.88 reports as
            // out of memory.
            return .tooLarge
        case CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM, CURLE_HTTP3, CURLE_QUIC_CONNECT_ERROR,
             CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_BAD_CONTENT_ENCODING:
            return .protocol
        default:
            return .other
        }
    }

    static func hasHTTPScheme(_ url: String) -> Bool {
        let lowered = url.prefix(8).lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }
}

import CCurl

/// `curl_global_init` must run once before any other libcurl call and is not meant to be
/// raced. A `static let` is initialised exactly once, thread-safely, on first use — no lock
/// and no mutable global needed.
enum CurlGlobal {
    static let isReady: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
}

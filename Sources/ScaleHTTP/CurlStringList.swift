import CCurl

/// A libcurl `curl_slist` owned by Swift: the list options (`CURLOPT_HTTPHEADER`,
/// `CURLOPT_RESOLVE`) keep a pointer to it for the whole transfer, so it lives as long as the
/// easy handle that uses it and is freed exactly once, here.
final class CurlStringList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init() {}

    /// Appends a copy of `line`; false when libcurl could not allocate it.
    @discardableResult
    func append(_ line: String) -> Bool {
        guard let appended = curl_slist_append(head, line) else { return false }
        head = appended
        return true
    }

    var isEmpty: Bool { head == nil }

    deinit { curl_slist_free_all(head) }
}

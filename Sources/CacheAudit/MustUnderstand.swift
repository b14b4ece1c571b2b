/// must-understand (RFC 9111 §5.2.2.3): a cache that implements it stores the response only when
/// it knows the caching rules of the status code, and then ignores no-store. Senders pair it with
/// no-store so that caches predating the directive store nothing; the model is a cache that
/// implements it.
enum MustUnderstand {
    /// The final status codes RFC 9110 §15 defines: the ones whose caching rules a conforming
    /// cache knows. Anything else (299, 420, 599) is not understood.
    static let understoodStatuses: Set<Int> = Set([200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 307, 308])
        .union(Set(400...417).subtracting([418])).union([421, 422, 426]).union(500...505)

    /// Why a cache that implements must-understand refuses the response, nil when it does not.
    static func refusal(_ cc: CacheControl, status: Int) -> String? {
        guard cc.has("must-understand"), !understoodStatuses.contains(status) else { return nil }
        return "must-understand: status \(status) has no caching rules the cache knows"
    }

    /// no-store keeps the response out of the cache, unless must-understand with a known status
    /// tells the cache to ignore it.
    static func noStoreApplies(_ cc: CacheControl, status: Int) -> Bool {
        cc.has("no-store") && !(cc.has("must-understand") && understoodStatuses.contains(status))
    }
}

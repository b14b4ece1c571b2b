import Testing
@testable import CacheAudit

/// RFC 9111 §5.2.2.3: "A response that contains the must-understand directive SHOULD also contain
/// the no-store directive. When a cache that implements the must-understand directive receives a
/// response that includes it, the cache SHOULD ignore the no-store directive if it understands the
/// status code's caching requirements." §3: with must-understand present, a cache stores the
/// response only if it understands the status code.
@Suite struct MustUnderstandTests {
    static let recommended = "must-understand, no-store, max-age=600"

    @Test(arguments: CacheClass.standard)
    func aKnownStatusIsStoredDespiteNoStore(_ cacheClass: CacheClass) {
        let v = CacheAudit.audit(cc(Self.recommended)).verdict(cacheClass)
        #expect(v.storable)
        #expect(v.lifetime == 600)
        #expect(v.reason.contains("must-understand overrides no-store"), "\(v.reason)")
    }

    @Test(arguments: CacheClass.standard)
    func anUnknownStatusIsNotStored(_ cacheClass: CacheClass) {
        // 299 is no status RFC 9110 defines: a cache cannot know its caching rules.
        let v = CacheAudit.audit(exchange([("Cache-Control", Self.recommended)], status: 299)).verdict(cacheClass)
        #expect(!v.storable)
        #expect(v.lifetime == nil)
        #expect(v.reason.hasPrefix("must-understand: status 299"), "\(v.reason)")
    }

    @Test func withoutMustUnderstandNoStoreStillWins() {
        #expect(!CacheAudit.audit(cc("no-store, max-age=600")).verdict(.browser).storable)
    }

    @Test func theRecommendedFormDrawsNoConflict() {
        // Neither "no-store makes max-age inert" (CACHE010), nor "add no-store" (CACHE011), nor
        // "no cache may store it" (CACHE002): caches that implement must-understand store it.
        let found = ids(cc(Self.recommended))
        #expect(!found.contains(.inertBesideNoStore))
        #expect(!found.contains(.mustUnderstandWithoutNoStore))
        #expect(!found.contains(.noStore))
        // With a status no cache understands, no-store holds and max-age is inert again.
        let unknown = ids(exchange([("Cache-Control", Self.recommended), ("ETag", "\"v1\"")], status: 599))
        #expect(unknown.contains(.inertBesideNoStore))
        #expect(unknown.contains(.noStore))
    }
}

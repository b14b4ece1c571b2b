/// What the passive rules read about one response, worked out once for all of them.
struct PassiveContext {
    let exchange: Exchange
    let fields: ResponseFields
    /// Browser, shared, CDN, in that order.
    let verdicts: [CacheVerdict]
    let browser: CacheVerdict
    let shared: CacheVerdict
    let cdn: CacheVerdict
    /// The CDN vendors the response shows it passed through.
    let vendors: [CacheClass]

    init(_ audit: ResponseAudit) {
        exchange = audit.exchange
        fields = audit.fields
        verdicts = audit.verdicts
        browser = audit.verdict(.browser)
        shared = audit.verdict(.shared)
        cdn = audit.verdict(.cdn)
        vendors = audit.vendorVerdicts.map(\.cacheClass)
    }

    var cacheControl: CacheControl { fields.cacheControl }
    /// Cache-Control's no-store keeps caches out: present, and not overridden by must-understand.
    var noStore: Bool { MustUnderstand.noStoreApplies(cacheControl, status: exchange.status) }
    /// Some cache, private or shared, may store it.
    var anyStorable: Bool { verdicts.contains { $0.storable } }
    /// A cache that serves many users (a proxy or a CDN) may store it.
    var sharedStorable: Bool { shared.storable || cdn.storable }
}

/// The normalised cache outcome of one request. Every vendor's cache-status value maps to one of
/// these (see `CacheVocabulary`); a value no table knows is `unknown` and is counted under its
/// own name as well, never dropped.
public enum CacheClass: Int, CaseIterable, Sendable, Comparable {
    /// Served from cache.
    case hit
    /// An expired copy served (stale-while-revalidate, stale-if-error, nginx UPDATING).
    case stale
    /// The origin was asked, answered 304, and the body came from cache.
    case reval
    /// Fetched from the origin; cacheable.
    case miss
    /// Not cacheable by policy (pass, bypass, pipe, tunnel).
    case pass
    case error
    /// Answered by the edge itself: redirect, synthetic response, WAF.
    case edge
    /// The cache was not involved (nginx `-`).
    case none
    /// A value none of the format's tables knows.
    case unknown

    public static let count = 9

    public var name: String {
        switch self {
        case .hit: return "HIT"
        case .stale: return "STALE"
        case .reval: return "REVAL"
        case .miss: return "MISS"
        case .pass: return "PASS"
        case .error: return "ERROR"
        case .edge: return "EDGE"
        case .none: return "NONE"
        case .unknown: return "UNKNOWN"
        }
    }

    public init?(name: String) {
        guard let found = CacheClass.allCases.first(where: { $0.name == name }) else { return nil }
        self = found
    }

    /// Served without the origin sending the body: HIT, STALE, REVAL.
    @inline(__always)
    public var isServedFromCache: Bool { self == .hit || self == .stale || self == .reval }

    public static func < (lhs: CacheClass, rhs: CacheClass) -> Bool { lhs.rawValue < rhs.rawValue }
}

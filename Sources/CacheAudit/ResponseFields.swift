/// The cache-relevant header fields of a response, parsed once.
public struct ResponseFields: Sendable, Equatable {
    /// A date field's state: absent, valid, or present but not an HTTP-date.
    public enum DateField: Sendable, Equatable {
        case absent
        case valid(HTTPDate)
        case invalid(String)

        public var seconds: Int64? {
            if case .valid(let date) = self { return date.seconds }
            return nil
        }
        public var isPresent: Bool { self != .absent }
    }

    public enum AgeField: Sendable, Equatable {
        case absent
        /// `listed`: the field had several members or lines; the first was used.
        case valid(Int64, listed: Bool)
        case invalid(String)

        public var seconds: Int64? {
            if case .valid(let value, _) = self { return value }
            return nil
        }
    }

    public struct EntityTag: Sendable, Equatable {
        public var raw: String
        public var weak: Bool
        /// `W/"x"` or `"x"` with etagc characters only (RFC 9110 §8.8.3).
        public var valid: Bool
    }

    public var cacheControl: CacheControl
    public var pragma: CacheControl
    public var surrogateControl: CacheControl?
    public var edgeControl: String?
    /// RFC 9213 targeted fields: nil when absent.
    public var cdnCacheControl: Result<StructuredDictionary, StructuredDictionary.ParseError>?
    public var cloudflareCDNCacheControl: Result<StructuredDictionary, StructuredDictionary.ParseError>?
    public var date: DateField
    public var expires: DateField
    /// Several Expires lines with different values (§4.2.1).
    public var expiresConflict: Bool
    public var lastModified: DateField
    public var age: AgeField
    public var etag: EntityTag?
    /// Field names in lower case, in order, duplicates kept.
    public var vary: [String]
    public var hasSetCookie: Bool
    public var contentType: String?

    public init(_ headers: [HeaderField]) {
        cacheControl = CacheControl.parse(headers.values("cache-control"))
        pragma = CacheControl.parse(headers.values("pragma"))
        let surrogate = headers.values("surrogate-control")
        surrogateControl = surrogate.isEmpty ? nil : CacheControl.parse(surrogate)
        edgeControl = headers.values("edge-control").first
        let cdn = headers.values("cdn-cache-control")
        cdnCacheControl = cdn.isEmpty ? nil : StructuredDictionary.parse(cdn)
        let cloudflare = headers.values("cloudflare-cdn-cache-control")
        cloudflareCDNCacheControl = cloudflare.isEmpty ? nil : StructuredDictionary.parse(cloudflare)
        date = Self.dateField(headers.values("date"))
        let expiresValues = headers.values("expires")
        expires = Self.dateField(expiresValues)
        expiresConflict = Set(expiresValues.map(\.trimmingOWS)).count > 1
        lastModified = Self.dateField(headers.values("last-modified"))
        age = Self.ageField(headers.values("age"))
        etag = headers.values("etag").first.map(Self.entityTag)
        vary = headers.values("vary").flatMap { $0.split(separator: ",").map { String($0).trimmingOWS.asciiLowercased } }
            .filter { !$0.isEmpty }
        hasSetCookie = headers.has("set-cookie")
        contentType = headers.values("content-type").first
    }

    static func dateField(_ values: [String]) -> DateField {
        guard let first = values.first else { return .absent }
        return HTTPDate.parse(first).map(DateField.valid) ?? .invalid(first)
    }

    /// Age is a single delta-seconds; a list (several lines or commas) uses its first member.
    static func ageField(_ values: [String]) -> AgeField {
        let members = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingOWS } }
        guard let first = members.first else { return .absent }
        guard case .valid(let seconds, _) = DeltaSeconds.parse(first) else { return .invalid(first) }
        return .valid(seconds, listed: members.count > 1)
    }

    static func entityTag(_ value: String) -> EntityTag {
        let text = value.trimmingOWS
        var bytes = Array(text.utf8)[...]
        let weak = bytes.starts(with: Array("W/".utf8))
        if weak { bytes = bytes.dropFirst(2) }
        let valid = bytes.count >= 2 && bytes.first == 0x22 && bytes.last == 0x22
            && bytes.dropFirst().dropLast().allSatisfy { $0 == 0x21 || ($0 >= 0x23 && $0 <= 0x7E) || $0 >= 0x80 }
        return EntityTag(raw: text, weak: weak, valid: valid)
    }

    /// A validator a cache can revalidate with.
    public var hasValidator: Bool { etag != nil || lastModified.seconds != nil }

    /// max-age, s-maxage or Expires: freshness the origin chose (§4.2.1).
    public var hasExplicitFreshness: Bool {
        cacheControl.has("max-age") || cacheControl.has("s-maxage") || expires.isPresent
    }

    /// The CDN's targeted field when it parses and is non-empty (RFC 9213 §2.2: else fall back).
    public var usableCDNCacheControl: StructuredDictionary? {
        if case .success(let dictionary)? = cdnCacheControl, !dictionary.members.isEmpty,
           CDNDirectives.typeProblem(dictionary) == nil { return dictionary }
        return nil
    }
}

/// Reads an RFC 9213 dictionary as cache directives.
enum CDNDirectives {
    static let booleanOnly: Set<String> = ["no-store", "public", "must-revalidate", "proxy-revalidate", "immutable", "must-understand", "no-transform"]
    static let integers: Set<String> = ["max-age", "s-maxage", "stale-while-revalidate", "stale-if-error"]

    /// The first member whose value has the wrong type for its directive (RFC 9213 §2.1).
    static func typeProblem(_ dictionary: StructuredDictionary) -> String? {
        for (key, value) in dictionary.members {
            if integers.contains(key) {
                if case .integer(let n) = value, n < 0 { return "\(key) must be a non-negative integer, not \(n)" }
                guard case .integer = value else { return "\(key) must be a non-negative integer, not \(value.typeName)" }
            } else if booleanOnly.contains(key) {
                guard case .boolean(true) = value else { return "\(key) takes no value, found \(value.typeName)" }
            }
        }
        return nil
    }

    /// The dictionary as Cache-Control directives, so one freshness model serves both.
    static func asCacheControl(_ dictionary: StructuredDictionary) -> CacheControl {
        CacheControl(directives: dictionary.members.map { key, value in
            switch value {
            case .integer(let n): return Directive(name: key, argument: String(n))
            case .string(let s): return Directive(name: key, argument: s, quoted: true)
            case .token(let t): return Directive(name: key, argument: t)
            default: return Directive(name: key)
            }
        })
    }
}

@testable import CDNLogs
import Testing

/// The CloudFront parser applies every fallback and refinement of its vocabulary, each on the
/// field the rule names, in the order `CacheVocabulary.fallbacks` defines (the order `cdn sql`
/// writes them in): here a vocabulary with a second fallback and a second refinement, where only
/// the second rule decides the line.
@Suite struct W3CRuleTests {
    static let fields = ["date", "time", "sc-bytes", "cs-uri-stem", "sc-status", "x-edge-result-type",
                         "x-edge-response-result-type", "x-edge-detailed-result-type"]

    static let vocabulary: CacheVocabulary = {
        let cf = CacheVocabulary.cloudfront
        return CacheVocabulary(
            name: cf.name, field: cf.field,
            fallbacks: cf.fallbacks + [.init(field: "x-edge-detailed-result-type", replaces: ["Error"], ignores: [])],
            refinements: cf.refinements + [.init(field: "x-edge-response-result-type", primary: "Hit", value: "RefreshHit")],
            cf.entries.map { ($0.rule, $0.cacheClass, $0.expired) })
    }()

    /// The raw value and class of one line: result, response and detailed result types.
    func parse(_ result: String, _ response: String, _ detailed: String, vocabulary: CacheVocabulary = vocabulary) throws -> (String, CacheClass) {
        let text = ["2019-12-04", "21:02:31", "100", "/a", "200", result, response, detailed].joined(separator: "\t")
        let parser = W3CParser(fields: Self.fields, vocabulary: vocabulary)
        var context = ParseContext()
        defer { context.release() }
        // Lines live in padded buffers when parsed (the byte scans may read past the end).
        let storage = Array(text.utf8) + [UInt8](repeating: 0, count: ParseContext.padding)
        return try storage.withUnsafeBufferPointer { b in
            var record = LogRecord()
            let failure = parser.parse(ByteSlice(base: b.baseAddress!, count: text.utf8.count), into: &record, context: &context)
            try #require(failure == nil)
            return (record.cacheValue.string, record.cacheClass)
        }
    }

    @Test func theSecondFallbackDecidesWhenTheFirstIsIgnored() throws {
        // Response type `Error` is ignored by the first fallback; the detailed type answers.
        #expect(try parse("Error", "Error", "Hit") == ("Hit", .hit))
        // The first fallback answers; the second sees no `Error` left to replace.
        #expect(try parse("Error", "Miss", "Hit") == ("Miss", .miss))
        // With CloudFront's own vocabulary (one fallback) the line stays an error.
        #expect(try parse("Error", "Error", "Hit", vocabulary: .cloudfront) == ("Error", .error))
    }

    @Test func eachRefinementReadsItsOwnField() throws {
        // The second refinement reads x-edge-response-result-type, not the detailed type.
        #expect(try parse("Hit", "RefreshHit", "Hit") == ("RefreshHit", .reval))
        #expect(try parse("Hit", "Hit", "RefreshHit") == ("Hit", .hit))
        // The first one still reads the detailed type (Origin Shield over an edge Miss).
        #expect(try parse("Miss", "Miss", "OriginShieldHit") == ("OriginShieldHit", .hit))
        // `-` is none in every field.
        #expect(try parse("-", "-", "Hit") == ("Hit", .hit))
    }
}

import ScaleCore
import Testing
import TestSupport
@testable import CacheAudit

struct CatalogueNotAnArray: Error {}

/// The catalogue in code must match the contract file, check for check.
@Suite struct CatalogueContractTests {
    static let copy = RepositoryRoot.file("Tests/CacheAuditTests/cache-checks.json")

    static func load(_ path: String) throws -> [JSONValue] {
        let text = try #require(readTextFile(path), "cannot read \(path)")
        guard case .array(let entries) = try JSONParser.read(Array(text.utf8)) else { throw CatalogueNotAnArray() }
        return entries
    }

    @Test func codeMatchesTheCommittedCopy() throws {
        let entries = try Self.load(Self.copy)
        #expect(entries.count == CheckCatalogue.all.count)
        for (entry, check) in zip(entries, CheckCatalogue.all) {
            #expect(entry["id"]?.string == check.id.rawValue)
            #expect(entry["severity"]?.string == check.severity.rawValue, "\(check.id)")
            #expect(entry["group"]?.string == check.group, "\(check.id)")
            #expect(entry["active"] == .bool(check.active), "\(check.id)")
            #expect(entry["message"]?.string == check.message, "\(check.id)")
            #expect(entry["cite"]?.string == check.cite, "\(check.id)")
        }
    }
}

import Testing
@testable import CacheAudit

/// One response on which a check must fire and a near-identical one on which it must not.
struct CheckCase: Sendable, CustomTestStringConvertible {
    var id: CheckID
    var fires: Exchange
    var quiet: Exchange
    var testDescription: String { id.rawValue }

    /// Through the whole audit, and from `family` alone: the check lives where its tests are.
    func expectFiresAndStaysQuiet(in family: (PassiveContext) -> [Finding], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(ids(fires).contains(id), "\(id) should fire", sourceLocation: sourceLocation)
        #expect(!ids(quiet).contains(id), "\(id) should stay quiet", sourceLocation: sourceLocation)
        #expect(family(PassiveContext(CacheAudit.audit(fires))).map(\.id).contains(id), "\(id) should come from this family",
                sourceLocation: sourceLocation)
    }
}

/// A case, short enough that a table of them reads one check a line.
func c(_ id: CheckID, _ fires: Exchange, _ quiet: Exchange) -> CheckCase { CheckCase(id: id, fires: fires, quiet: quiet) }

/// A response with this Cache-Control and a validator (so CACHE050 stays out of the way).
func cc(_ value: String, _ more: [(String, String)] = []) -> Exchange {
    exchange([("Cache-Control", value), ("ETag", "\"v1\"")] + more)
}

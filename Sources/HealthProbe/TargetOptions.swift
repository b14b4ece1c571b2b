import ScaleCore

/// What one line of a targets file sets for its target alone, after `URL [NAME]`:
/// `expect-status=200 expect-json='.status == "UP"' header='Authorization: Bearer …'`. The keys
/// are the run-level flags without their dashes, and each value is parsed by the flag's own
/// parser. A value given here replaces the flag's for this target; a header replaces a run-level
/// header of the same name (case-insensitive) and adds to the others.
public struct TargetOptions: Sendable, Hashable {
    public private(set) var expectedStatuses: StatusSet?
    public private(set) var expectBody: BodyPattern?
    public private(set) var failIfBody: BodyPattern?
    public private(set) var expectJSON: JSONCheck?
    public private(set) var headers: [HeaderField] = []
    /// `key=value` as given, in order: two listings of a URL are the same check when these are equal.
    private var written: [String] = []

    /// The keys a targets file takes; only `header` may be given more than once.
    public static let keys = ["expect-status", "expect-body", "fail-if-body", "expect-json", "header"]

    public init() {}

    public var isEmpty: Bool { written.isEmpty }

    public static func == (a: TargetOptions, b: TargetOptions) -> Bool { a.written == b.written }
    public func hash(into hasher: inout Hasher) { hasher.combine(written) }

    /// `rules` with this target's checks in place of the run's.
    public func applied(to rules: ProbeRules) -> ProbeRules {
        var rules = rules
        if let expectedStatuses { rules.expectedStatuses = expectedStatuses }
        if let expectBody { rules.expectBody = expectBody }
        if let failIfBody { rules.failIfBody = failIfBody }
        if let expectJSON { rules.expectJSON = expectJSON }
        return rules
    }

    /// Sets `key` from `value` for a target of `kind`. Errors name the key and the place, never
    /// a header's value (it may be a credential).
    mutating func set(_ key: String, _ value: String, kind: ProbeTarget.Kind, at location: String) throws(ScaleError) {
        guard Self.keys.contains(key) else {
            throw .input("unknown option '\(key)'", at: location,
                         fix: "write KEY=VALUE with KEY one of \(Self.keys.joined(separator: ", ")); a NAME has no '='")
        }
        guard kind.speaksHTTP else {
            throw .input("\(key) does not apply to a \(kind.rawValue):// target: it gets no HTTP answer and sends no request",
                         at: location, fix: "leave \(key) out, or probe an http:// or https:// URL")
        }
        if key != "header", written.contains(where: { $0.hasPrefix(key + "=") }) {
            throw .input("\(key) is given twice", at: location, fix: "give each option once per target (only header may repeat)")
        }
        do throws(ScaleError) {
            switch key {
            case "expect-status": expectedStatuses = try StatusSet(parsing: value)
            case "expect-body": expectBody = try BodyPattern(parsing: value)
            case "fail-if-body": failIfBody = try BodyPattern(parsing: value)
            case "expect-json": expectJSON = try JSONCheck(parsing: value)
            default:
                guard let header = HeaderField(parsing: value) else {
                    throw ScaleError.input("the header is not 'Name: value'", fix: "write header='Name: value', quoted when it has blanks")
                }
                headers.append(header)
            }
        } catch {
            throw ScaleError(.input, "\(key): \(error.what)", at: location, fix: error.fix)
        }
        written.append(key + "=" + value)
    }
}

/// SARIF 2.1.0 (OASIS), so findings show up in code-review tools (GitHub code scanning and
/// others). A report becomes one run of the tool `scalectl`; every row with a text `check_id`
/// becomes a result, and each distinct check a rule. Columns read by name:
/// `check_id`, `severity` (error, warn, info → error, warning, note), `message`, `detail`,
/// `cite`, `url` (the artifact: made a URI by ArtifactURI, and no location at all for a name in
/// angle brackets such as `<stdin>`), `line` (its region). Rows without a check_id are left out,
/// except rows whose `kind` is `failure` (a target the tool could not examine, e.g. a URL that
/// could not be fetched): SARIF 2.1.0 puts such tool-side failures in the run's invocation
/// (§3.20.21 toolExecutionNotifications, level error, §3.58) and sets executionSuccessful
/// (§3.20.14) to false. Every run carries one invocation.
public struct SARIFRenderer: ReportRenderer {
    public static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    public init() {}

    public func render(_ report: Report) -> String {
        func column(_ name: String) -> Int? { report.fields.firstIndex { $0.name == name } }
        func text(_ row: [Value], _ name: String) -> String? {
            guard let i = column(name), case .text(let s) = row[i], !s.isEmpty else { return nil }
            return s
        }
        func level(_ severity: String?) -> String {
            switch severity {
            case "error": return "error"
            case "warn", "warning": return "warning"
            default: return "note"
            }
        }
        var ruleOrder: [String] = []
        var rules: [String: String] = [:]
        var results: [String] = []
        var notifications: [String] = []
        for row in report.rows {
            if text(row, "check_id") == nil, text(row, "kind") == "failure" {
                let target = text(row, "url")
                var note = "{\"level\": \"error\", \"message\": {\"text\": "
                note += JSON.string((target.map { "cannot examine \($0): " } ?? "") + (text(row, "message") ?? "failed")) + "}"
                if let uri = target.flatMap(ArtifactURI.reference) {
                    note += ", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \(JSON.string(uri))}}}]"
                }
                if let kind = text(row, "detail") { note += ", \"properties\": {\"failureKind\": \(JSON.string(kind))}" }
                notifications.append(note + "}")
                continue
            }
            guard let id = text(row, "check_id") else { continue }
            let severity = level(text(row, "severity"))
            let message = text(row, "message") ?? id
            if rules[id] == nil {
                ruleOrder.append(id)
                var rule = "{\"id\": \(JSON.string(id)), \"shortDescription\": {\"text\": \(JSON.string(message))}"
                rule += ", \"defaultConfiguration\": {\"level\": \(JSON.string(severity))}"
                if let cite = text(row, "cite") {
                    rule += ", \"help\": {\"text\": \(JSON.string("See " + cite))}, \"properties\": {\"cite\": \(JSON.string(cite))}"
                }
                rules[id] = rule + "}"
            }
            var full = message
            if let detail = text(row, "detail") { full += " (\(detail))" }
            if let cite = text(row, "cite") { full += " [\(cite)]" }
            var result = "{\"ruleId\": \(JSON.string(id)), \"ruleIndex\": \(ruleOrder.firstIndex(of: id)!), "
            result += "\"level\": \(JSON.string(severity)), \"message\": {\"text\": \(JSON.string(full))}"
            if let uri = text(row, "url").flatMap(ArtifactURI.reference) {
                var location = "{\"artifactLocation\": {\"uri\": \(JSON.string(uri))}"
                if let i = column("line"), case .integer(let line) = row[i], line > 0 {
                    location += ", \"region\": {\"startLine\": \(line)}"
                }
                result += ", \"locations\": [{\"physicalLocation\": \(location + "}")}]"
            }
            results.append(result + "}")
        }
        var out = "{\n"
        out += "  \"$schema\": \(JSON.string(Self.schema)),\n"
        out += "  \"version\": \"2.1.0\",\n"
        out += "  \"runs\": [\n    {\n"
        out += "      \"tool\": {\"driver\": {\"name\": \"scalectl\", \"rules\": ["
        out += ruleOrder.isEmpty ? "" : "\n        " + ruleOrder.map { rules[$0]! }.joined(separator: ",\n        ") + "\n      "
        out += "]}},\n"
        out += "      \"invocations\": [{\"executionSuccessful\": \(notifications.isEmpty)"
        if !notifications.isEmpty {
            out += ", \"toolExecutionNotifications\": [\n        " + notifications.joined(separator: ",\n        ") + "\n      ]"
        }
        out += "}],\n"
        out += "      \"results\": ["
        out += results.isEmpty ? "" : "\n        " + results.joined(separator: ",\n        ") + "\n      "
        out += "]\n    }\n  ]\n}\n"
        return out
    }
}

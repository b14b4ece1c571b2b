import CDNLogs
import ScaleCore
import ScaleHTTP

/// Analyses `text` as one input named `name`.
func analyze(_ text: String, name: String = "test.log", _ configure: (inout AnalysisOptions) -> Void = { _ in }) throws -> AnalysisResult {
    try analyze(Array(text.utf8), name: name, configure)
}

func analyze(_ bytes: [UInt8], name: String = "test.log", _ configure: (inout AnalysisOptions) -> Void = { _ in }) throws -> AnalysisResult {
    var options = AnalysisOptions()
    options.threads = 2
    configure(&options)
    return try LogAnalyzer.analyze([.bytes(name, bytes)], options: options)
}

/// Requests per class, by class name, leaving out classes with none.
func classCounts(_ s: LogStatistics) -> [String: UInt64] {
    var out: [String: UInt64] = [:]
    for c in CacheClass.allCases where s.totals.requests(c) > 0 { out[c.name] = s.totals.requests(c) }
    return out
}

extension Result {
    var value: Success? {
        if case .success(let value) = self { return value }
        return nil
    }
}

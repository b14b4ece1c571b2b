public import ScaleCore

/// The HTTP statuses that count as healthy, written `200-299,301` or `2xx,3xx`.
///
/// The default, 200–399, is what HAProxy's `httpchk` and Kubernetes' `httpGet` probes accept:
/// a redirect means the server is answering (follow it with `--follow` to judge the target).
public struct StatusSet: Sendable, Equatable, CustomStringConvertible {
    public let ranges: [ClosedRange<Int>]
    public let description: String

    public static let `default` = StatusSet(ranges: [200...399], description: "200-399")

    init(ranges: [ClosedRange<Int>], description: String) {
        self.ranges = ranges
        self.description = description
    }

    static let fix = "write statuses and ranges separated by commas, e.g. 200-299,301 or 2xx,304"

    public init(parsing text: String) throws(ScaleError) {
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = String(item).trimmingSpaces
            let range: ClosedRange<Int>
            if part.count == 3, part.hasSuffix("xx"), let hundred = Int(part.prefix(1)) {
                range = hundred * 100...hundred * 100 + 99
            } else if let dash = part.firstIndex(of: "-") {
                guard let low = Int(part[..<dash]), let high = Int(part[part.index(after: dash)...]), low <= high else {
                    throw .usage("'\(part)' is not a status range", fix: Self.fix)
                }
                range = low...high
            } else if let status = Int(part) {
                range = status...status
            } else {
                throw .usage("'\(part)' is not an HTTP status", fix: Self.fix)
            }
            guard range.lowerBound >= 100, range.upperBound <= 599 else {
                throw .usage("'\(part)' is outside the HTTP statuses 100-599", fix: Self.fix)
            }
            ranges.append(range)
        }
        self.init(ranges: ranges, description: text)
    }

    public func contains(_ status: Int) -> Bool { ranges.contains { $0.contains(status) } }
}

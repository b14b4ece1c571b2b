import ScaleCore

/// The one line a check-style command puts after `SCALECTL <COMMAND> <STATE> - ` in `-o nagios`:
/// what is wrong first, named, as a pager shows it.
enum CheckHeadline {
    /// At most this many offenders are named; the rest is `…`.
    static let named = 3

    /// `2 of 5 queues not OK: orders CRITICAL (drain 2h), …`, or `5 queues OK`. `state` is the
    /// row field holding OK/WARNING/CRITICAL/UNKNOWN; `names` the fields that name a row;
    /// `reason` a field that says why.
    static func rows(_ report: Report, status: ExitCode, noun: String, state: String, names: [String], reason: String? = nil) -> String {
        let stateIndex = report.fields.firstIndex { $0.name == state }
        let nameIndices = names.compactMap { n in report.fields.firstIndex { $0.name == n } }
        let reasonIndex = reason.flatMap { r in report.fields.firstIndex { $0.name == r } }
        let offenders = report.rows.compactMap { row -> String? in
            guard let stateIndex, case .text(let rowState) = row[stateIndex], rowState != "OK" else { return nil }
            let name = nameIndices.compactMap { i -> String? in
                if case .text(let t) = row[i] { return t }
                return row[i].numeric.map(NagiosRenderer.number)
            }.joined(separator: "/")
            var text = "\(name) \(rowState)"
            if let reasonIndex, case .text(let why) = row[reasonIndex], !why.isEmpty { text += " (\(why))" }
            return text
        }
        if offenders.isEmpty {
            guard status != .ok else { return "\(report.rows.count) \(noun) OK" }
            // The run is not OK for a reason no row carries (nothing matched, a rack rule): say
            // it; never "OK" under a state that is not.
            guard let first = report.notes.first else {
                return "\(report.rows.count) \(noun), none of them \(NagiosRenderer.stateName(status)): the run is, for a reason no row shows"
            }
            return "\(report.rows.count) \(noun): \(first)"
        }
        return "\(offenders.count) of \(report.rows.count) \(noun) not OK: " + list(offenders)
    }

    /// The first few items, then `…`.
    static func list(_ items: [String]) -> String {
        items.prefix(named).joined(separator: ", ") + (items.count > named ? ", …" : "")
    }
}

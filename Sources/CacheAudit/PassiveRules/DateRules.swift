/// Date and the other HTTP-dates: missing, unreadable, off the receipt clock, or in an obsolete
/// form (CACHE041-045).
enum DateRules {
    static func findings(_ c: PassiveContext) -> [Finding] {
        var out: [Finding] = []
        let x = c.exchange, f = c.fields
        if f.date == .absent { out.append(Finding(.noDate)) }
        var badDates: [String] = []
        if case .invalid(let text) = f.date { badDates.append("Date: \(text)") }
        if case .invalid(let text) = f.lastModified { badDates.append("Last-Modified: \(text)") }
        if !badDates.isEmpty { out.append(Finding(.invalidDate, badDates.joined(separator: "; "))) }
        if let date = f.date.seconds, x.receiptTimeKnown {
            let behind = x.receivedAt - date
            let age = f.age.seconds ?? 0
            if behind < -5 || behind - age > 5 {
                out.append(Finding(.clockSkew, behind < 0 ? "Date is \(-behind)s ahead of receipt" : "Date is \(behind)s behind receipt, Age \(age)s"))
            } else if age > 5, behind < age - 5 {
                out.append(Finding(.agePenalty, "Age \(age)s but Date only \(behind)s old"))
            }
        }
        var obsolete: [String] = []
        for (name, field) in [("Date", f.date), ("Expires", f.expires), ("Last-Modified", f.lastModified)] {
            if case .valid(let date) = field, date.form != .imfFixdate { obsolete.append("\(name) (\(date.form.rawValue))") }
        }
        if !obsolete.isEmpty { out.append(Finding(.obsoleteDateFormat, obsolete.joined(separator: ", "))) }
        return out
    }
}

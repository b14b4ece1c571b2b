import ScaleCore

/// Renderer tests state the values each format must render, so their rows are the values
/// themselves: field i's column reads value i of a row.
extension Report {
    static func literal(command: String, fields: [Field], rows: [[Value]] = [],
                        summaryFields: [Field] = [], summary: [Value] = [], notes: [String] = []) -> Report {
        Report(command: command, columns: fields.indices.map { i in Column(fields[i]) { $0[i] } }, rows: rows,
               summaryColumns: summaryFields.indices.map { i in Column(summaryFields[i]) { $0[i] } }, summary: summary, notes: notes)
    }
}

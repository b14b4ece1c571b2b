/// One column of a report: its field and how a row fills it. The extractor — a key path or a
/// closure over the command's row type — is where the number is computed, one jump from the
/// column, and a value cannot land under another field's name.
public struct Column<Row>: Sendable {
    /// Variable so that a report can restate a shared column (say, leave it out of its table).
    public var field: Field
    public let value: @Sendable (Row) -> Value

    public init<V: ReportValueConvertible>(_ field: Field, _ value: @escaping @Sendable (Row) -> V) {
        self.field = field
        self.value = { value($0).reportValue }
    }

    /// The field written in place: the arguments of `Field.init`, then the extractor.
    public init<V: ReportValueConvertible>(_ name: String, _ kind: Field.Kind, title: String? = nil, help: String = "",
                                           prometheus: PrometheusExport = .automatic, inTable: Bool = true,
                                           _ value: @escaping @Sendable (Row) -> V) {
        self.init(Field(name, kind, title: title, help: help, prometheus: prometheus, inTable: inTable), value)
    }

    /// The same column over a type that holds this one's row, so a row type can be reused
    /// inside another (a watch's row holds a probe's).
    public func reading<Outer>(_ part: @escaping @Sendable (Outer) -> Row) -> Column<Outer> {
        let value = self.value
        return Column<Outer>(field) { value(part($0)) }
    }
}

/// A Swift value a column can return: the conversion decides how every format spells it
/// (an Int is an integer, a Double a number, nil is null).
public protocol ReportValueConvertible: SendableMetatype {
    var reportValue: Value { get }
}

extension Value: ReportValueConvertible {
    public var reportValue: Value { self }
}

extension Int: ReportValueConvertible {
    public var reportValue: Value { .int(self) }
}

extension Int64: ReportValueConvertible {
    public var reportValue: Value { .integer(self) }
}

extension Double: ReportValueConvertible {
    public var reportValue: Value { .number(self) }
}

extension String: ReportValueConvertible {
    public var reportValue: Value { .text(self) }
}

extension Bool: ReportValueConvertible {
    public var reportValue: Value { .bool(self) }
}

extension Optional: ReportValueConvertible where Wrapped: ReportValueConvertible {
    public var reportValue: Value { self?.reportValue ?? .null }
}

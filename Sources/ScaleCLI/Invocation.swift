public import ScaleCore

/// A parsed command line: which command, its option values and positional arguments. Typed
/// accessors turn values into numbers and name the flag when a value is wrong.
public struct Invocation: Sendable {
    public var path: [String]
    public var spec: CommandSpec
    /// Values given for options, by long name, in the order given.
    public var values: [String: [String]]
    /// Flags given, by long name: true for `--x`, false for `--no-x`.
    public var flags: [String: Bool]
    public var positionals: [String]
    /// Help was asked for with `-h` alone: print the one-screen summary, not the full help.
    public var briefHelp = false

    public func has(_ long: String) -> Bool { values[long] != nil || flags[long] != nil }

    /// The last value given for `--long`, else its default.
    public func value(_ long: String) -> String? {
        values[long]?.last ?? option(long)?.defaultValue
    }

    /// Every value given for a repeatable option.
    public func all(_ long: String) -> [String] { values[long] ?? [] }

    public func flag(_ long: String) -> Bool { flags[long] ?? false }

    public func duration(_ long: String) throws(ScaleError) -> Double? {
        guard let text = value(long) else { return nil }
        do { return try DurationUnits.parse(text) } catch { throw error.at("--\(long)") }
    }

    public func size(_ long: String) throws(ScaleError) -> UInt64? {
        guard let text = value(long) else { return nil }
        do { return try SizeUnits.parse(text) } catch { throw error.at("--\(long)") }
    }

    public func ratio(_ long: String) throws(ScaleError) -> Double? {
        guard let text = value(long) else { return nil }
        do { return try RatioUnits.parse(text) } catch { throw error.at("--\(long)") }
    }

    public func integer(_ long: String, range: ClosedRange<Int>) throws(ScaleError) -> Int? {
        guard let text = value(long) else { return nil }
        guard let number = Int(text.trimmingSpaces), range.contains(number) else {
            throw .usage("'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)", at: "--\(long)")
        }
        return number
    }

    public var format: OutputFormat {
        value("format").flatMap(OutputFormat.init(rawValue:)) ?? spec.formats.first ?? .table
    }

    /// The command's own format when `-o` named one of its `extraFormats`; nil otherwise.
    public var extraFormat: String? {
        guard let name = value("format"), spec.extraFormats.contains(where: { $0.name == name }) else { return nil }
        return name
    }

    func option(_ long: String) -> OptionSpec? { spec.allOptions.first { $0.long == long } }
}

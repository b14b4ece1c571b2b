public import ScaleCore

/// A parsed command line: which command, its option values and positional arguments. Options
/// are read by their declaration (`invocation.value(BurnOption.slo)`), not by a name typed
/// again, so a misspelt option does not compile. Typed accessors turn values into numbers and
/// name the flag when a value is wrong.
public struct Invocation: Sendable {
    public var path: [String]
    public var spec: CommandSpec
    /// Values given for options, by long name, in the order given: read through the accessors.
    private let values: [String: [String]]
    /// Flags given, by long name: true for `--x`, false for `--no-x`.
    private let flags: [String: Bool]
    public var positionals: [String]
    /// Help was asked for with `-h` alone: print the one-screen summary, not the full help.
    public var briefHelp = false

    init(path: [String], spec: CommandSpec, values: [String: [String]], flags: [String: Bool], positionals: [String]) {
        self.path = path
        self.spec = spec
        self.values = values
        self.flags = flags
        self.positionals = positionals
    }

    public func has(_ option: OptionSpec) -> Bool {
        guard declaration(of: option) != nil else { return false }
        return values[option.long] != nil || flags[option.long] != nil
    }

    /// The last value given for the option, else its default.
    public func value(_ option: OptionSpec) -> String? {
        assert(option.takesValue, "--\(option.long) is a flag: read it with flag()")
        guard let declared = declaration(of: option) else { return nil }
        return values[declared.long]?.last ?? declared.defaultValue
    }

    /// Every value given for the option: at most one unless it is repeatable.
    public func all(_ option: OptionSpec) -> [String] {
        guard declaration(of: option) != nil else { return [] }
        return values[option.long] ?? []
    }

    public func flag(_ option: OptionSpec) -> Bool {
        assert(!option.takesValue, "--\(option.long) takes a value: read it with value()")
        guard declaration(of: option) != nil else { return false }
        return flags[option.long] ?? false
    }

    public func duration(_ option: OptionSpec) throws(ScaleError) -> Double? {
        guard let text = value(option) else { return nil }
        do { return try DurationUnits.parse(text) } catch { throw error.at("--\(option.long)") }
    }

    public func size(_ option: OptionSpec) throws(ScaleError) -> UInt64? {
        guard let text = value(option) else { return nil }
        do { return try SizeUnits.parse(text) } catch { throw error.at("--\(option.long)") }
    }

    public func ratio(_ option: OptionSpec) throws(ScaleError) -> Double? {
        guard let text = value(option) else { return nil }
        do { return try RatioUnits.parse(text) } catch { throw error.at("--\(option.long)") }
    }

    public func integer(_ option: OptionSpec, range: ClosedRange<Int>) throws(ScaleError) -> Int? {
        guard let text = value(option) else { return nil }
        guard let number = Int(text.trimmingSpaces), range.contains(number) else {
            throw .usage("'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)", at: "--\(option.long)")
        }
        return number
    }

    public var format: OutputFormat {
        spec.formatOption.flatMap { value($0) }.flatMap(OutputFormat.init(rawValue:)) ?? spec.formats.first ?? .table
    }

    /// The command's own format when `-o` named one of its `extraFormats`; nil otherwise.
    public var extraFormat: String? {
        guard let option = spec.formatOption, let name = value(option),
              spec.extraFormats.contains(where: { $0.name == name }) else { return nil }
        return name
    }

    /// The command's own declaration of `option`, whose default applies. An option is known by
    /// its long name, so code shared by commands that word it differently (kafka-lag's
    /// --warning) reads it through either declaration. Reading one the command does not declare
    /// is a bug, not an option left out: a debug build stops there.
    private func declaration(of option: OptionSpec) -> OptionSpec? {
        let declared = spec.allOptions.first { $0.long == option.long }
        assert(declared != nil, "'\(path.joined(separator: " "))' does not declare --\(option.long)")
        return declared
    }
}

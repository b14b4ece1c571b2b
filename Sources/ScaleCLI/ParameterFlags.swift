import ScaleCore

/// How a library's parameter reads in an error the CLI prints: as the flag that sets it.
///
/// The convention: libraries never name flags. When the CLI hands a library one option's value,
/// it places the library's error there itself (`error.at("--window")`); when a library checks
/// several inputs together, its error names the `Parameter` it is about, and the CLI writes that
/// parameter as the option of the same name. A parameter no option sets reads as its name.
enum ParameterFlags {
    static let optionNames: Set<String> = Set(CommandTable.root.walk().flatMap { $0.spec.allOptions.map(\.long) })

    static func flag(_ parameter: Parameter) -> String {
        optionNames.contains(parameter.name) ? "--\(parameter.name)" : parameter.name
    }

    /// A library's note with its parameters written as flags.
    static func text(_ note: String) -> String { Parameter.resolve(note, flag) }
}

extension OptionSpec {
    /// This option as the parameter a library names in its errors.
    var parameter: Parameter { Parameter(long) }
}

extension ScaleError {
    /// The error as the CLI shows it: its parameters written as flags.
    var namingFlags: ScaleError { naming(ParameterFlags.flag) }
}

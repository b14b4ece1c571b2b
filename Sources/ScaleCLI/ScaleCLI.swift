public import ScaleCore

public enum ScaleCLI {
    public static func run(arguments: [String], console: SystemConsole) -> ExitCode { .ok }
}
public final class SystemConsole {
    public init() {}
    public func flush() {}
}

/// What the three completion generators share: the visible command tree, with an identifier
/// per command path that is safe in shell function names.
enum ShellCompletion {
    struct Node {
        var path: [String]
        var spec: CommandSpec
        var id: String { path.joined(separator: "_").replacingAll("-", with: "_") }
        var children: [CommandSpec] { spec.visibleSubcommands }
        var options: [OptionSpec] { spec.allOptions.filter { !$0.hidden } }
        var filePositional: Bool { spec.arguments.contains { $0.completion == .file } }
    }

    static func nodes(_ root: CommandSpec) -> [Node] {
        func visit(_ spec: CommandSpec, _ path: [String]) -> [Node] {
            let here = path + [spec.name]
            return [Node(path: here, spec: spec)] + spec.visibleSubcommands.flatMap { visit($0, here) }
        }
        return visit(root, [])
    }

    /// Text safe inside single quotes in any of the three shells.
    static func singleQuoted(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

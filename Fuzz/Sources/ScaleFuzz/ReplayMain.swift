#if !FUZZING
import Glibc
import TestSupport

/// Without -sanitize=fuzzer (a plain `swift build`) the targets run over saved inputs:
/// `ScaleFuzz <target> <file-or-folder>...` replays each file once; `ScaleFuzz --list` names them.
/// This is how `make test` replays Fuzz/regressions without a fuzzing build.
@main
enum ReplayMain {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        if args.first == "--list" {
            for target in FuzzTargets.all { print("\(target.name)\t\(target.input)") }
            return
        }
        guard let name = args.first, let target = FuzzTargets.named(name) else {
            printError("usage: ScaleFuzz <target> <file-or-folder>... | --list")
            exit(64)
        }
        // Everything is read before anything runs: the cli target changes the working directory.
        var inputs: [[UInt8]] = []
        for path in args.dropFirst() {
            for file in files(at: path) {
                guard let bytes = readBinaryFile(file) else {
                    printError("ScaleFuzz: cannot read \(file)")
                    exit(3)
                }
                inputs.append(bytes)
            }
        }
        for bytes in inputs { target.run(bytes) }
        let count = inputs.count
        print("\(name): replayed \(count) input(s)")
    }

    /// A file, or the regular files directly inside a folder (sorted, so runs repeat).
    static func files(at path: String) -> [String] {
        guard let dir = opendir(path) else { return [path] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append(path + "/" + name) }
        }
        return names.sorted()
    }
}
#endif

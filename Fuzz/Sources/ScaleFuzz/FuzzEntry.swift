#if FUZZING
import Glibc

/// The target this libFuzzer process runs: `FUZZ_TARGET`, or else the name of the first corpus
/// folder on the command line (`ScaleFuzz Fuzz/corpus/har`), so either way names it.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    var name = getenv("FUZZ_TARGET").map { String(cString: $0) }
    if name == nil, let args = argv.pointee {
        for i in 1..<Int(argc.pointee) {
            guard let arg = args[i].map({ String(cString: $0) }), !arg.hasPrefix("-") else { continue }
            name = arg.split(separator: "/").last.map(String.init)
            break
        }
    }
    guard let name, let target = FuzzTargets.named(name) else {
        let known = FuzzTargets.all.map(\.name).joined(separator: " ")
        printError("ScaleFuzz: set FUZZ_TARGET (or name the corpus folder after a target): \(known)")
        exit(64)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selected!.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#endif

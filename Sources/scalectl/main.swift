import Glibc
import ScaleCLI
import ScaleCore

// The whole program lives in ScaleCLI so it can be tested in-process; this file only turns
// argv into an exit status.
let console = SystemConsole()
let status = ScaleCLI.run(arguments: Array(CommandLine.arguments.dropFirst()), console: console)
console.flush()
exit(status.rawValue)

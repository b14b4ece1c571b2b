import Glibc
import ScaleCore

/// The parsing workers' threads: plain pthreads (`PosixThread`) with room for deep parsing
/// stacks, so they never sit on Swift's cooperative pool, which the producer may need.
enum WorkerThread {
    static func start(_ body: @escaping @Sendable () -> Void) -> PosixThread? {
        PosixThread(stackSize: 8 << 20, body)
    }

    /// Cores this process may run on.
    static var cores: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}

import Glibc

/// glibc functions that Swift's Glibc module hides behind `_GNU_SOURCE`, looked up at run time.
/// Both exist to keep descriptors from leaking into spawned servers: a leaked connection would
/// stay open in nginx after the test server closed it, and a client would wait for an EOF
/// that never comes.
enum GNUExtensions {
    typealias Accept4 = @convention(c) (Int32, UnsafeMutablePointer<sockaddr>?, UnsafeMutablePointer<socklen_t>?, Int32) -> Int32
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    /// `accept4(fd, NULL, NULL, SOCK_CLOEXEC)`, falling back to accept + FD_CLOEXEC.
    static func acceptCloseOnExec(_ listener: Int32) -> Int32 {
        if let symbol = dlsym(nil, "accept4") {
            return unsafeBitCast(symbol, to: Accept4.self)(listener, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        }
        let fd = accept(listener, nil, nil)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        return fd
    }

    /// Adds "close every descriptor from `lowest` up" to a spawn's file actions (glibc ≥ 2.34).
    /// Returns false when this glibc lacks it.
    static func addCloseFrom(_ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ lowest: Int32) -> Bool {
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return false }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)(actions, lowest) == 0
    }
}

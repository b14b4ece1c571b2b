import Glibc

/// A plain pthread running a closure. Work that blocks or runs for seconds (log parsing, a
/// getaddrinfo that may hang, a test server's accept loop) must not sit on Swift's cooperative
/// pool, which has one thread per core. The one thread wrapper of every module.
public struct PosixThread: Sendable {
    private let id: pthread_t

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread (nil when none could be made). `detached` threads clean up
    /// after themselves and cannot be joined; `stackSize` nil keeps the system's default.
    public init?(detached: Bool = false, stackSize: Int? = nil, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var id = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if let stackSize { pthread_attr_setstacksize(&attributes, stackSize) }
        if detached { pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) }
        let status = pthread_create(&id, &attributes, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        self.id = id
    }

    public func join() {
        pthread_join(id, nil)
    }
}

import Glibc

/// A plain pthread running a closure. Server fixtures block in `poll`/`sleep` for seconds;
/// doing that on Swift's cooperative pool (two threads on a two-core machine) would starve
/// the tests that drive them.
struct PosixThread {
    private let id: pthread_t

    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    /// Starts `body` on a new thread; `detached` threads clean up after themselves and cannot be joined.
    init?(detached: Bool = false, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var id = pthread_t()
        let status = pthread_create(&id, nil, { context in
            Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<Body>.fromOpaque(context).release()
            return nil
        }
        if detached { pthread_detach(id) }
        self.id = id
    }

    func join() {
        pthread_join(id, nil)
    }
}

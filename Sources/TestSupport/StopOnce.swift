import Synchronization

extension Mutex where Value == Bool {
    /// Sets the flag and says whether this call was the first to do so: fixtures' `stop()`
    /// runs from tests and from `deinit`, and must end its processes exactly once.
    func claimFirst() -> Bool {
        withLock { flag in
            defer { flag = true }
            return !flag
        }
    }
}

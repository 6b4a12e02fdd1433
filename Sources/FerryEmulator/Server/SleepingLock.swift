import Foundation

/// A value behind a lock whose waiters sleep. The emulator's shared state is taken by every
/// request; `Synchronization.Mutex` on Linux is a priority-inheritance futex whose contended path
/// spins in the kernel, and with a List Blobs page holding the blob index a few milliseconds,
/// the uploads waiting for it burned a tenth of the emulator's CPU spinning. A pthread mutex
/// (`NSLock`) puts them to sleep instead. Thread-safe (hence `@unchecked Sendable`).
final class SleepingLock<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func withLock<Result, Failure: Error>(_ body: (inout Value) throws(Failure) -> Result) throws(Failure) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

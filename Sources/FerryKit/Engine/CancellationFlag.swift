import Foundation

/// Set once when the user interrupts the job (SIGINT/SIGTERM) or a fatal error stops it.
/// Thread-safe (lock-guarded, hence `@unchecked Sendable`); workers poll it between steps.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false

    public init() {}

    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelled
    }

    public func cancel() {
        lock.lock()
        cancelled = true
        lock.unlock()
    }
}

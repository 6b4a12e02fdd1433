import Foundation

/// At most `capacity` libcurl easy handles, lent out one transfer at a time. Handles are made on
/// demand and kept, so each one's keep-alive connection is reused by later requests.
/// Thread-safe: `@unchecked Sendable` because every access to `idle` and `createdCount` happens
/// under `condition`'s lock, and a handle is used by exactly one borrower between check-out and
/// check-in.
final class CurlHandlePool: @unchecked Sendable {
    let capacity: Int
    private let condition = NSCondition()
    private var idle: [CurlEasyHandle] = []
    private var createdCount = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Runs `body` with a handle of its own, waiting for one when all are busy.
    func withHandle<T>(_ body: (CurlEasyHandle) throws -> T) throws -> T {
        let handle = try checkOut()
        defer { checkIn(handle) }
        return try body(handle)
    }

    private func checkOut() throws -> CurlEasyHandle {
        condition.lock()
        while idle.isEmpty && createdCount >= capacity {
            condition.wait()
        }
        if let handle = idle.popLast() {
            condition.unlock()
            return handle
        }
        createdCount += 1
        condition.unlock()
        do {
            return try CurlEasyHandle()
        } catch {
            condition.lock()
            createdCount -= 1
            condition.signal()
            condition.unlock()
            throw error
        }
    }

    private func checkIn(_ handle: CurlEasyHandle) {
        condition.lock()
        idle.append(handle)
        condition.signal()
        condition.unlock()
    }
}

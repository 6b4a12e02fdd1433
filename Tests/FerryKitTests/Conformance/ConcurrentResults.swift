import Foundation

/// Receipts and errors from parallel stages. Thread-safe: guarded by `lock`, which is why
/// `@unchecked Sendable` is sound.
final class ConcurrentResults: @unchecked Sendable {
    private let lock = NSLock()
    private var byIndex: [Int: String?] = [:]
    private var errors: [any Error] = []

    func record(_ index: Int, receipt: String?) { lock.withLock { byIndex[index] = receipt } }
    func record(_ error: any Error) { lock.withLock { errors.append(error) } }

    func receipts() throws -> [Int: String?] {
        try lock.withLock {
            if let first = errors.first { throw first }
            return byIndex
        }
    }
}

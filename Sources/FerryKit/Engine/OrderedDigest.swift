import FerryChecksums
import Foundation

/// A whole-file MD5 fed by parallel workers in block order, in the same pass as the transfer:
/// blocks are handed out in index order, and each worker waits (briefly: earlier blocks were
/// handed out first and already hold their buffers) until the previous block was hashed.
/// Thread-safe: the digest and position are guarded by `condition` (`@unchecked Sendable`).
final class OrderedDigest: @unchecked Sendable {
    private let condition = NSCondition()
    private let digest = StreamingDigest(.md5)
    private var nextIndex = 0
    private var abandoned = false

    /// Hashes block `index` after blocks 0..<index; false if the file was abandoned meanwhile.
    func feed(_ index: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while nextIndex != index && !abandoned { condition.wait() }
        guard !abandoned else { return false }
        digest.update(bytes)
        nextIndex += 1
        condition.broadcast()
        return true
    }

    /// Releases every waiter (the file failed or the job stops).
    func abandon() {
        condition.lock()
        abandoned = true
        condition.broadcast()
        condition.unlock()
    }

    func finalize() -> Data {
        condition.lock()
        defer { condition.unlock() }
        return digest.finalize()
    }
}

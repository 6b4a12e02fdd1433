import Foundation

/// Buffers lines for stdout and writes them in 64 KiB chunks, so a million-line listing costs a
/// few thousand writes, not a million; a line waits at most 0.2 s, so output follows a slow
/// listing as its pages arrive. `flush()` at the end. Thread-safe (lock-guarded, hence
/// `@unchecked Sendable`): removal workers print through one writer.
final class LineWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private let handle: FileHandle
    private static let chunkBytes = 64 << 10
    private static let maximumDelayNanoseconds: UInt64 = 200_000_000
    private var oldestLineTime: UInt64?

    init(_ handle: FileHandle = .standardOutput) {
        self.handle = handle
    }

    func write(_ line: String) {
        lock.lock()
        buffer.append(contentsOf: line.utf8)
        buffer.append(0x0A)
        let now = DispatchTime.now().uptimeNanoseconds
        if oldestLineTime == nil { oldestLineTime = now }
        if buffer.count >= Self.chunkBytes || now - (oldestLineTime ?? now) >= Self.maximumDelayNanoseconds { drain() }
        lock.unlock()
    }

    func flush() {
        lock.lock()
        drain()
        lock.unlock()
    }

    private func drain() {
        guard !buffer.isEmpty else { return }
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
        oldestLineTime = nil
    }
}

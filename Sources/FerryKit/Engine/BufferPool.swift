/// Block buffers, reused, within a byte budget. NOT thread-safe by itself: the scheduler owns it
/// and calls it only under its own lock, so that handing out work and reserving its buffer are
/// one step (a block never waits for a buffer while a later block of its file holds one).
final class BufferPool {
    let budgetBytes: Int
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var inUseBytes = 0
    private var freeBytes = 0
    /// Buffers grow in powers of two from here, so small files reuse each other's buffers.
    static let minimumCapacity = 64 << 10

    init(budgetBytes: Int) { self.budgetBytes = max(budgetBytes, Self.minimumCapacity) }

    deinit { for buffer in free { buffer.deallocate() } }

    /// A buffer of at least `byteCount` bytes, or nil if the budget is spent (try again later).
    /// One buffer larger than the whole budget is allowed when nothing else is in use.
    func tryAcquire(_ byteCount: Int) -> UnsafeMutableRawBufferPointer? {
        if let index = bestFreeIndex(for: byteCount) {
            let buffer = free.remove(at: index)
            freeBytes -= buffer.count
            inUseBytes += buffer.count
            return buffer
        }
        let capacity = Self.capacity(for: byteCount)
        while inUseBytes + freeBytes + capacity > budgetBytes, let victim = free.popLast() {
            freeBytes -= victim.count
            victim.deallocate()
        }
        guard inUseBytes + capacity <= budgetBytes || inUseBytes == 0 else { return nil }
        inUseBytes += capacity
        return UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 4096)
    }

    func release(_ buffer: UnsafeMutableRawBufferPointer) {
        inUseBytes -= buffer.count
        free.append(buffer)
        freeBytes += buffer.count
    }

    private func bestFreeIndex(for byteCount: Int) -> Int? {
        var best: Int?
        for (index, buffer) in free.enumerated() where buffer.count >= byteCount {
            if best == nil || buffer.count < free[best!].count { best = index }
        }
        return best
    }

    /// Powers of two up to 1 MiB (small files share buffers), whole MiB above (a 257 MiB block
    /// must not cost 512 MiB).
    static func capacity(for byteCount: Int) -> Int {
        let mebibyte = 1 << 20
        if byteCount > mebibyte { return (byteCount + mebibyte - 1) / mebibyte * mebibyte }
        var capacity = minimumCapacity
        while capacity < byteCount { capacity *= 2 }
        return capacity
    }
}

import Foundation

/// One piece of work for a worker thread.
enum WorkUnit {
    /// A file that fits one request, with a buffer for all of it (none when it streams).
    case singleShot(FileRecord, UnsafeMutableRawBufferPointer?)
    /// A multi-block file to prepare (overwrite decision, writer, resume state).
    case prepare(FileRecord)
    /// One block of a prepared file, with its buffer (none when the file streams its blocks).
    case block(FileTransfer, Int, UnsafeMutableRawBufferPointer?)
}

/// Hands out work to the worker threads: blocks of files in flight first (oldest file first,
/// each file's blocks in index order), then new files from the enumerator's bounded queue.
/// Reserving a block's buffer is part of handing it out, under the same lock.
///
/// Thread-safe: all state is guarded by `condition` (hence `@unchecked Sendable`). The enumerator
/// blocks in `submit` when the queue is full, so listing never runs far ahead of transferring.
final class TransferScheduler: @unchecked Sendable {
    private let condition = NSCondition()
    private let buffers: BufferPool
    private let queueCapacity: Int
    private let maximumActiveFiles: Int
    /// Whole files go from source to destination without a buffer (`StreamedReads.swift`).
    private let streamsWholeFiles: Bool
    private var queue: [FileRecord] = []
    private var queueHead = 0
    private var active: [FileTransfer] = []
    private var preparing = 0
    private var submissionsFinished = false
    private var stopped = false
    /// Who is waiting, so most events wake no one (thousands of small files a second would
    /// otherwise wake every idle worker for every file).
    private var waitingWorkers = 0
    private var producerWaiting = false

    init(memoryBudgetBytes: Int, maximumActiveFiles: Int, streamsWholeFiles: Bool = false, queueCapacity: Int = 4096) {
        buffers = BufferPool(budgetBytes: memoryBudgetBytes)
        self.maximumActiveFiles = max(1, maximumActiveFiles)
        self.streamsWholeFiles = streamsWholeFiles
        self.queueCapacity = queueCapacity
    }

    /// Queues files (blocks while the queue is full); false once the job is stopping.
    @discardableResult
    func submit(_ files: [FileRecord]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while queue.count - queueHead >= queueCapacity && !stopped {
            producerWaiting = true
            condition.wait()
        }
        producerWaiting = false
        guard !stopped else { return false }
        // Wake as many idle workers as there are new files, and none for an empty batch: a
        // no-op sync submits only empty batches, and waking all 32 workers for each made 40,000
        // context switches (and as many contended lock waits) in a 200,000-file no-op.
        guard !files.isEmpty else { return true }
        queue.append(contentsOf: files)
        if files.count >= waitingWorkers {
            if waitingWorkers > 0 { condition.broadcast() }
        } else {
            for _ in 0..<files.count { condition.signal() }
        }
        return true
    }

    func finishSubmitting() {
        condition.lock()
        submissionsFinished = true
        condition.broadcast()
        condition.unlock()
    }

    /// Stop handing out work (cancellation or a fatal error); in-flight work finishes.
    func stop() {
        condition.lock()
        stopped = true
        let transfers = active
        condition.broadcast()
        condition.unlock()
        for transfer in transfers { transfer.digest?.abandon() }
    }

    var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// The next unit of work, waiting for one; nil when the job is finished or stopped.
    func next() -> WorkUnit? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if stopped { return nil }
            for transfer in active where transfer.hasWorkToHandOut {
                if transfer.streamsBlocks {
                    if let blockIndex = transfer.handOut() { return .block(transfer, blockIndex, nil) }
                    continue
                }
                guard let buffer = buffers.tryAcquire(transfer.record.plan.blockSizeBytes) else { break }
                if let blockIndex = transfer.handOut() { return .block(transfer, blockIndex, buffer) }
                buffers.release(buffer)
            }
            if queueHead < queue.count {
                let file = queue[queueHead]
                if file.plan.isSingleShot && streamsWholeFiles {
                    popQueue()
                    return .singleShot(file, nil)
                } else if file.plan.isSingleShot {
                    if let buffer = buffers.tryAcquire(Int(file.plan.sizeBytes)) {
                        popQueue()
                        return .singleShot(file, buffer)
                    }
                } else if active.count + preparing < maximumActiveFiles {
                    popQueue()
                    preparing += 1
                    return .prepare(file)
                }
            } else if submissionsFinished && active.isEmpty && preparing == 0 {
                return nil
            }
            waitingWorkers += 1
            condition.wait()
            waitingWorkers -= 1
        }
    }

    /// A prepared file joins the files in flight (nil: it needed no blocks, or failed).
    func prepared(_ transfer: FileTransfer?) {
        condition.lock()
        preparing -= 1
        if let transfer { active.append(transfer) }
        condition.broadcast()
        condition.unlock()
        if let transfer, isStopped { transfer.digest?.abandon() }
    }

    /// A file in flight is finished (committed, failed or left for resume).
    func retire(_ transfer: FileTransfer) {
        condition.lock()
        active.removeAll { $0 === transfer }
        condition.broadcast()
        condition.unlock()
    }

    func release(_ buffer: UnsafeMutableRawBufferPointer) {
        condition.lock()
        buffers.release(buffer)
        if waitingWorkers > 0 { condition.broadcast() }
        condition.unlock()
    }

    private func popQueue() {
        queueHead += 1
        if queueHead > 1024 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        if producerWaiting { condition.broadcast() }
    }
}

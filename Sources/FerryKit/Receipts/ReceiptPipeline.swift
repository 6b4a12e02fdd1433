import Foundation

/// Feeds a `ReceiptWriter` from another thread: the caller reads entries (from the job database,
/// on its writer thread) while a thread of the pipeline's own formats, hashes and writes them —
/// a receipt is written after the job, when nothing else runs, and the two halves took about the
/// same time one after the other. Entries cross in batches, at most two batches waiting, so
/// memory stays bounded whatever the receipt's length. The writer's order checks still apply;
/// its first error stops the reading side at its next `add`.
final class ReceiptPipeline: @unchecked Sendable {
    static let batchSize = 2048
    private let writer: ReceiptWriter
    private let condition = NSCondition()
    private var waiting: [[ReceiptEntry]] = []
    private var readingDone = false
    private var writerDone = false
    private var failure: Error?
    private var batch: [ReceiptEntry] = []

    private init(writer: ReceiptWriter) {
        self.writer = writer
        batch.reserveCapacity(Self.batchSize)
    }

    /// Runs `read`, which passes each entry to the function it is given, with the writing on a
    /// second thread; returns when both are done. The first error of either side is thrown, and
    /// the writer is not used after this returns.
    static func run(into writer: ReceiptWriter, _ read: ((ReceiptEntry) throws -> Void) throws -> Void) throws {
        let pipeline = ReceiptPipeline(writer: writer)
        let thread = Thread { pipeline.writeBatches() }
        thread.name = "ferry-receipt"
        thread.start()
        var readError: Error?
        do {
            try read(pipeline.add)
            try pipeline.send(pipeline.batch)
        } catch {
            readError = error
        }
        pipeline.condition.lock()
        pipeline.readingDone = true
        pipeline.condition.broadcast()
        while !pipeline.writerDone { pipeline.condition.wait() }
        let writeError = pipeline.failure
        pipeline.condition.unlock()
        if let error = readError ?? writeError { throw error }
    }

    private func add(_ entry: ReceiptEntry) throws {
        batch.append(entry)
        if batch.count >= Self.batchSize {
            try send(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }

    private func send(_ entries: [ReceiptEntry]) throws {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= 2 && failure == nil { condition.wait() }
        if let failure { throw failure }
        if !entries.isEmpty { waiting.append(entries) }
        condition.broadcast()
    }

    private func writeBatches() {
        while true {
            condition.lock()
            while waiting.isEmpty && !readingDone { condition.wait() }
            // After a failure, batches are dropped until the reading side stops.
            guard !waiting.isEmpty else {
                writerDone = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let entries = waiting.removeFirst()
            let failed = failure != nil
            condition.broadcast()
            condition.unlock()
            guard !failed else { continue }
            do {
                for entry in entries { try writer.add(entry) }
            } catch {
                condition.lock()
                failure = error
                condition.broadcast()
                condition.unlock()
            }
        }
    }
}

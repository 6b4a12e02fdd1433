import Foundation

/// A bounded pool of threads that find CRC-64s (`ObjectChecksummer`) for one owner thread: the
/// owner submits tasks (blocking while `capacity` are queued or running, so memory stays flat)
/// and collects outcomes as they finish, in any order.
///
/// Blocking work runs on these threads, never on Swift's cooperative pool. State (`queue`,
/// `outcomes`, counters) is guarded by `condition`, which is why `@unchecked Sendable` is sound.
final class ChecksumWorkers: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [ChecksumTask] = []
    private var queueStart = 0
    private var outcomes: [ChecksumOutcome] = []
    private var inFlight = 0
    private var stopping = false
    private var running = 0
    private let capacity: Int

    init(endpoint: any Endpoint, source: ChecksumSource, workerCount: Int) {
        let workers = max(1, workerCount)
        capacity = workers * 2
        for index in 0..<workers {
            let checksummer = ObjectChecksummer(endpoint: endpoint, source: source)
            nonisolated(unsafe) let owned = checksummer  // each thread owns its checksummer
            let thread = Thread { [self] in work(owned) }
            thread.name = "ferry-checksum-\(index)"
            running += 1
            thread.start()
        }
    }

    /// Queues `task`, waiting while the pool is full.
    func submit(_ task: ChecksumTask) {
        condition.lock()
        while inFlight >= capacity { condition.wait() }
        queue.append(task)
        inFlight += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The outcomes finished since the last call (without waiting).
    func takeOutcomes() -> [ChecksumOutcome] {
        condition.lock()
        defer { condition.unlock() }
        let taken = outcomes
        outcomes.removeAll(keepingCapacity: true)
        return taken
    }

    /// Waits for every submitted task, stops the threads and returns the remaining outcomes.
    func finish() -> [ChecksumOutcome] {
        condition.lock()
        while inFlight > 0 { condition.wait() }
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        let taken = outcomes
        outcomes.removeAll()
        condition.unlock()
        return taken
    }

    private func work(_ checksummer: ObjectChecksummer) {
        while true {
            condition.lock()
            while queueStart == queue.count && !stopping { condition.wait() }
            if queueStart == queue.count {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let task = queue[queueStart]
            queueStart += 1
            if queueStart > 1024 && queueStart * 2 > queue.count {
                queue.removeFirst(queueStart)
                queueStart = 0
            }
            condition.unlock()

            let result = checksummer.checksum(task)

            condition.lock()
            outcomes.append(ChecksumOutcome(task: task, result: result))
            inFlight -= 1
            condition.broadcast()
            condition.unlock()
        }
    }
}

extension ReceiptStaging {
    /// Finds the missing CRC-64 of the selected objects with `workerCount` threads and records
    /// each outcome. Returns how many objects were checked.
    func fillChecksums(endpoint: any Endpoint, source: ChecksumSource, workerCount: Int,
                       matchingExpectedSizeOnly: Bool) throws -> Int {
        try commit()
        let workers = ChecksumWorkers(endpoint: endpoint, source: source, workerCount: workerCount)
        var lastRowID: Int64 = 0
        var checked = 0
        var failure: Error?
        while failure == nil {
            let page: [ChecksumTask]
            do {
                page = try objectsNeedingChecksum(afterRowID: lastRowID, limit: 1000, matchingExpectedSizeOnly: matchingExpectedSizeOnly)
            } catch {
                failure = error
                break
            }
            guard let last = page.last else { break }
            lastRowID = last.rowID
            for task in page {
                workers.submit(task)
                checked += 1
                do { for outcome in workers.takeOutcomes() { try record(outcome) } } catch { failure = error; break }
            }
        }
        let rest = workers.finish()
        if let failure { throw failure }
        for outcome in rest { try record(outcome) }
        try commit()
        return checked
    }
}

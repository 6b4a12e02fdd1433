import Foundation

/// Deletes many objects from one endpoint: `ferry rm -r`, and the deletes of
/// `ferry sync --delete-destination`.
///
/// Paths (relative to the endpoint root) are read from a sequence as they come, grouped into
/// batches where the endpoint deletes many per request (`BatchDeletingEndpoint`: S3
/// DeleteObjects, 1,000 keys) and otherwise deleted one per call, by `concurrency` threads of
/// its own: the blocking endpoint calls never run on Swift's cooperative pool. At most
/// `2 × concurrency` batches wait in memory, so a million-path sequence streams through.
/// Transient failures are retried (`RetryPolicy`); each path's outcome goes to `onResult`.
///
/// Usage:
/// ```
/// let remover = ObjectRemover(endpoint: destination, concurrency: 16, cancellation: flag)
/// let summary = remover.remove(paths, dryRun: false) { path, error in … }
/// ```
/// Concurrency: `remove` blocks its caller until every path was handled; call it from a thread
/// that may block (`BlockingWork.run`). `onResult` is called from the worker threads, possibly
/// at the same time for different paths, once per path attempted. Set `cancellation` to stop
/// early: no new delete starts, paths not yet attempted are not reported. One `ObjectRemover`
/// may run several `remove` calls, one after another or at once.
public final class ObjectRemover: Sendable {
    public let endpoint: any Endpoint
    public let concurrency: Int
    public let cancellation: CancellationFlag
    let retryPolicy: RetryPolicy

    /// `concurrency`: worker threads, and so requests in flight (at least 1).
    public init(endpoint: any Endpoint, concurrency: Int = 16, cancellation: CancellationFlag = CancellationFlag(),
                retryPolicy: RetryPolicy = RetryPolicy()) {
        self.endpoint = endpoint
        self.concurrency = max(1, concurrency)
        self.cancellation = cancellation
        self.retryPolicy = retryPolicy
    }

    /// Deletes every path of `paths` (in a dry run: reports each as removed and touches
    /// nothing). Blocking; see the type's concurrency notes.
    public func remove<S: Sequence>(_ paths: S, dryRun: Bool = false,
                                    onResult: @escaping @Sendable (String, FerryError?) -> Void) -> RemovalSummary
        where S.Element == String {
        var iterator = paths.makeIterator()
        return remove(next: { iterator.next() }, dryRun: dryRun, onResult: onResult)
    }

    /// As `remove(_:dryRun:onResult:)`, with paths pulled from `next` (called on the caller's
    /// thread until it returns nil) — e.g. straight from an `ObjectListing`. If `next` throws,
    /// the paths already taken are finished and the error is `RemovalSummary.stoppedBy`.
    public func remove(next: () throws -> String?, dryRun: Bool = false,
                       onResult: @escaping @Sendable (String, FerryError?) -> Void) -> RemovalSummary {
        let tally = RemovalTally()
        let batching = endpoint as? any BatchDeletingEndpoint
        let batchCount = max(1, batching?.maximumDeleteBatchCount ?? 1)
        let queue = RemovalQueue<[String]>(capacity: 2 * concurrency)
        let workers = DispatchGroup()
        if !dryRun {
            for index in 0..<concurrency {
                workers.enter()
                let thread = Thread { [self] in
                    while let batch = queue.take() {
                        if tally.isStopped || cancellation.isCancelled { continue }  // drain, untouched
                        if let batching {
                            removeBatch(batch, on: batching, tally: tally, onResult: onResult)
                        } else {
                            for path in batch where !tally.isStopped && !cancellation.isCancelled {
                                removeOne(path, tally: tally, onResult: onResult)
                            }
                        }
                    }
                    workers.leave()
                }
                thread.name = "ferry-remove-\(index)"
                thread.start()
            }
        }
        var batch: [String] = []
        // A failing path sequence stops reading, but what was already queued is still deleted.
        var sequenceError: FerryError?
        do {
            while !tally.isStopped && !cancellation.isCancelled, let path = try next() {
                if dryRun {
                    tally.report(path, nil, onResult)
                    continue
                }
                batch.append(path)
                if batch.count == batchCount {
                    queue.put(batch)
                    batch = []
                }
            }
            if !batch.isEmpty { queue.put(batch) }
        } catch let error as FerryError {
            sequenceError = error
        } catch {
            sequenceError = FerryError(.internal, "listing what to delete failed: \(error)", disposition: .abortJob)
        }
        if !batch.isEmpty && sequenceError != nil { queue.put(batch) }
        queue.close()
        if !dryRun { workers.wait() }
        if let sequenceError { tally.stop(sequenceError) }
        if cancellation.isCancelled { tally.stop(RetryPolicy.cancelled) }
        return tally.summary
    }

    /// One `delete`, retried while it fails transiently.
    private func removeOne(_ path: String, tally: RemovalTally, onResult: @Sendable (String, FerryError?) -> Void) {
        do {
            try retryPolicy.run(cancellation: cancellation) { try endpoint.delete(path) }
            tally.report(path, nil, onResult)
        } catch let error as FerryError {
            tally.report(path, error, onResult)
        } catch {
            tally.report(path, FerryError(.internal, "deleting \(path) failed: \(error)", disposition: .skipItem), onResult)
        }
    }

    /// One batch request; paths that failed transiently go again (alone in a smaller batch).
    private func removeBatch(_ batch: [String], on batching: any BatchDeletingEndpoint, tally: RemovalTally,
                             onResult: @Sendable (String, FerryError?) -> Void) {
        var pending = batch
        var attempt = 0
        while !pending.isEmpty {
            let results: [FerryError?]
            do {
                let paths = pending
                results = try retryPolicy.run(cancellation: cancellation) { try batching.deleteBatch(paths) }
            } catch {
                let failure = (error as? FerryError)
                    ?? FerryError(.internal, "deleting \(pending.count) objects failed: \(error)", disposition: .skipItem)
                for path in pending { tally.report(path, failure, onResult) }
                return
            }
            guard results.count == pending.count else {
                let failure = FerryError(.internal, "the endpoint answered \(results.count) results for \(pending.count) deletes",
                                         disposition: .skipItem)
                for path in pending { tally.report(path, failure, onResult) }
                return
            }
            attempt += 1
            var again: [String] = []
            var retryAfter: Double?
            for (path, result) in zip(pending, results) {
                if let result, result.disposition == .retry, attempt < retryPolicy.maximumAttempts, !cancellation.isCancelled {
                    again.append(path)
                    retryAfter = max(retryAfter ?? 0, result.retryAfterSeconds ?? 0)
                } else {
                    tally.report(path, result.map(Self.final), onResult)
                }
            }
            if !again.isEmpty { retryPolicy.sleep(retryPolicy.delaySeconds(afterAttempt: attempt - 1, retryAfterSeconds: retryAfter)) }
            pending = again
        }
    }

    /// A retryable error that ran out of attempts fails its item only.
    private static func final(_ error: FerryError) -> FerryError {
        guard error.disposition == .retry else { return error }
        var final = error
        final.disposition = .skipItem
        return final
    }
}

/// Counts outcomes and remembers what stopped a removal. Thread-safe (lock-guarded, hence
/// `@unchecked Sendable`): every worker reports through it.
final class RemovalTally: @unchecked Sendable {
    private let lock = NSLock()
    private var result = RemovalSummary()

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return result.stoppedBy != nil
    }

    var summary: RemovalSummary {
        lock.lock()
        defer { lock.unlock() }
        return result
    }

    /// Counts the outcome, then calls `onResult` (outside the lock). An error that aborts the
    /// job (authentication, cancellation) stops the removal.
    func report(_ path: String, _ error: FerryError?, _ onResult: (String, FerryError?) -> Void) {
        lock.lock()
        if let error {
            result.failed += 1
            if error.disposition == .abortJob && result.stoppedBy == nil { result.stoppedBy = error }
        } else {
            result.removed += 1
        }
        lock.unlock()
        onResult(path, error)
    }

    func stop(_ error: FerryError) {
        lock.lock()
        if result.stoppedBy == nil { result.stoppedBy = error }
        lock.unlock()
    }
}

import Foundation

/// `ferry sync --delete-destination`: after every source file was sent or found unchanged,
/// destination objects the source no longer has are deleted — never otherwise. The rules that
/// keep a sync from deleting by mistake, in order:
/// 1. Only after the source listing completed without error and every file succeeded (a failed
///    or cancelled run deletes nothing; its resume decides again).
/// 2. Only objects the filters take: an excluded path is never deleted. With time filters, each
///    candidate is looked up at the source first (a file the time filter left out still exists).
/// 3. A shard (`--shard I/N`) deletes only the objects it owns: never one the source listed (that
///    file is another shard's to send), and of the rest only those its hash gives this shard.
/// 4. An empty source never empties a destination; `--max-delete` is checked against the whole
///    count before the first delete; `--delete-destination prompt` asks once, with the count.
extension TransferEngine {
    static let deletionPage = 1000

    func deleteWhatTheSourceNoLongerHas() {
        guard let sync = options.sync, sync.deletion != .never else { return }
        let snapshot = progress.snapshot()
        guard fatalError == nil, !cancellation.isCancelled, snapshot.scanComplete else { return }
        guard snapshot.filesFailed == 0 else {
            events?.warning("\(snapshot.filesFailed) file(s) failed, so no destination object was deleted; "
                            + "run `ferry jobs resume \(store.job.id)` to finish the sync")
            return
        }
        do {
            try store.flush()  // every source entry is in `files` before the index is compared with it
            guard let indexPath = destinationIndexPath, let jobPath = jobDatabasePath else { return }
            let index = try DestinationIndex(path: indexPath)
            try index.attachJob(database: jobPath)
            let shard = try options.shard.map { try ShardSelection(spec: $0, path: shardSelectionPath) }
            let owned: (String) throws -> Bool = { path in try shard?.owns(path) ?? true }
            let (candidates, destinationCount) = try countCandidates(index, owned: owned)
            guard candidates > 0 else { return }
            let sourceFiles = try shard?.completedShares()?.totalFiles ?? store.totals().files
            try checkDeletionIsSafe(candidates: candidates, destinationCount: destinationCount, sourceFiles: sourceFiles, sync: sync)
            try deleteCandidates(index, owned: owned)
        } catch let error as FerryError {
            stopJob(error)
        } catch {
            stopJob(FerryError(.internal, "deleting at the destination failed: \(error)", disposition: .abortJob))
        }
    }

    /// Candidates (unmatched, taken by the filters) and the destination objects the filters take.
    private func countCandidates(_ index: DestinationIndex, owned: (String) throws -> Bool) throws -> (Int, Int) {
        let filter = planner.filter
        var candidates = 0
        var after: String?
        while true {
            let page = try index.unmatched(after: after, limit: Self.deletionPage)
            guard let last = page.last else { break }
            candidates += try page.filter { try filter.accepts(path: $0.path, lastModified: $0.filterTime) && owned($0.path) }.count
            after = last.path
        }
        if let merged = try index.mergedCounts() { return (candidates, filter.takesEverything ? merged.listed : merged.taken) }
        let destinationCount = filter.takesEverything ? try index.count() : try index.count(where: { filter.accepts(path: $0.path, lastModified: $0.filterTime) })
        return (candidates, destinationCount)
    }

    /// `sourceFiles`: what the whole source listed (all shards' files under `--shard`).
    private func checkDeletionIsSafe(candidates: Int, destinationCount: Int, sourceFiles: Int, sync: SyncOptions) throws {
        if sourceFiles == 0 {
            throw FerryError(.deletionRefused, "the source listed no files, so the \(candidates) destination object(s) were "
                             + "not deleted (an empty or unreadable source never empties a destination); nothing was deleted",
                             disposition: .abortJob)
        }
        if let limit = sync.maximumDeletes, candidates > limit.allowed(destinationCount: destinationCount) {
            throw FerryError(.deletionRefused, "\(candidates) destination object(s) are not in the source, more than "
                             + "--max-delete \(limit.description) allows (\(limit.allowed(destinationCount: destinationCount)) of "
                             + "\(destinationCount)); nothing was deleted", disposition: .abortJob)
        }
        if sync.deletion == .prompt {
            guard let approveDeletions, approveDeletions(candidates) else {
                throw FerryError(.deletionRefused, "deleting \(candidates) destination object(s) was not confirmed; "
                                 + "nothing was deleted", disposition: .abortJob)
            }
        }
    }

    private func deleteCandidates(_ index: DestinationIndex, owned: (String) throws -> Bool) throws {
        let filter = planner.filter
        let checksSource = filter.modifiedAfter != nil || filter.modifiedBefore != nil
        var after: String?
        while true {
            let page = try index.unmatched(after: after, limit: Self.deletionPage)
            guard let last = page.last else { return }
            after = last.path
            var paths = try page.filter { try filter.accepts(path: $0.path, lastModified: $0.filterTime) && owned($0.path) }.map(\.path)
            if checksSource {
                paths = try paths.filter { path in try retry.run(cancellation: cancellation) { try source.stat(path) } == nil }
            }
            let (deleted, failure) = deleteInParallel(paths)
            try index.markDeleted(deleted)
            if let failure { throw failure }
            if cancellation.isCancelled { throw FerryError(.cancelled, "cancelled while deleting", disposition: .abortJob) }
        }
    }

    /// Deletes `paths` with up to `workerCount` requests at once; returns the ones deleted and the
    /// first failure, which stops the job (what was deleted is recorded; a resume goes on).
    private func deleteInParallel(_ paths: [String]) -> (deleted: [String], failure: FerryError?) {
        guard !paths.isEmpty else { return ([], nil) }
        let lock = NSLock()
        nonisolated(unsafe) var nextIndex = 0
        nonisolated(unsafe) var deleted: [String] = []
        nonisolated(unsafe) var failure: FerryError?
        let group = DispatchGroup()
        for _ in 0..<min(workerCount, paths.count) {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                while true {
                    lock.lock()
                    guard failure == nil, nextIndex < paths.count, !cancellation.isCancelled else { lock.unlock(); return }
                    let path = paths[nextIndex]
                    nextIndex += 1
                    lock.unlock()
                    do {
                        try retry.run(cancellation: cancellation) { try destination.delete(path) }
                        lock.lock()
                        deleted.append(path)
                        lock.unlock()
                        progress.fileDeleted()
                        events?.objectDeleted(path)
                    } catch {
                        lock.lock()
                        failure = failure ?? (error as? FerryError)
                            ?? FerryError(.internal, "deleting '\(path)' failed: \(error)", disposition: .abortJob)
                        lock.unlock()
                    }
                }
            }
            thread.name = "ferry-delete"
            thread.start()
        }
        group.wait()
        guard var fatal = failure else { return (deleted, nil) }
        fatal.disposition = .abortJob
        if fatal.code != .cancelled { fatal.message = "deleting at the destination failed: " + fatal.message }
        return (deleted, fatal)
    }
}

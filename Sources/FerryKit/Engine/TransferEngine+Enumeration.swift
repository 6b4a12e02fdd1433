import Foundation

/// The enumerator thread: feeds the manifest and the scheduler, in listing order.
extension TransferEngine {
    static let enumerationBatch = 256

    func enumerate() {
        defer { scheduler.finishSubmitting() }
        do {
            var nextID: Int64 = 1
            var cursor: String?
            if resuming {
                let largest = try store.largestFileID()
                nextID = largest + 1
                guard try resubmitUnfinished(upTo: largest) else { return }
                if store.job.scanComplete {
                    progress.scanFinished()
                    return
                }
                cursor = try store.scanCursor()
            }
            // A shard plans only its part of the split; the split is made before anything is planned.
            let shard = try options.shard.map(openShardSelection)
            // A sync decides each source entry against what the destination's listing says there.
            let lookup = options.sync == nil ? nil : try openDestinationLookup()
            guard try listSource(after: cursor, nextID: nextID, lookup: lookup, shard: shard) else { return }
            try lookup?.finish()
            store.markScanComplete()
            progress.scanFinished()
        } catch let error as FerryError {
            stopJob(error.code == .cancelled ? error : Self.fatalized(error))
        } catch {
            stopJob(FerryError(.internal, "enumeration failed: \(error)", disposition: .abortJob))
        }
    }

    /// Files an earlier run recorded but did not finish (failed ones are tried again).
    private func resubmitUnfinished(upTo largestID: Int64) throws -> Bool {
        var after: Int64 = 0
        while true {
            let page = try store.unfinishedFiles(afterID: after, limit: 1000)
            guard let last = page.last else { return true }
            let files = page.filter { $0.id <= largestID && acceptsName(of: $0) }.map { file -> FileRecord in
                var pending = file
                pending.state = .pending
                progress.fileEnumerated(sizeBytes: file.plan.sizeBytes)
                return pending
            }
            guard scheduler.submit(files) else { return false }
            after = last.id
        }
    }

    /// A file refused by `LocalNameRules` when first listed stays refused on resume (failed files
    /// are otherwise tried again): it is reported and recorded as failed once more.
    private func acceptsName(of file: FileRecord) -> Bool {
        do {
            try planner.checkDestinationName(file.plan.destinationPath)
            return true
        } catch let error as FerryError {
            store.finishFile(fileID: file.id, state: .failed, crc64: nil, md5: nil, error: error)
            progress.fileEnumerated(sizeBytes: 0)
            progress.fileFailed(sizeBytes: 0, movedBytes: 0)
            events?.fileFailed(file.plan, error: error)
            return false
        } catch {
            return true
        }
    }

    /// Lists the source (or stats the single file), plans each entry, records it, queues it.
    /// With a `cursor` (a resumed scan), entries the manifest already holds are skipped.
    private func listSource(after cursor: String?, nextID: Int64, lookup: DestinationLookup?,
                            shard: ShardSelection?) throws -> Bool {
        var nextID = nextID
        var batch: [FileRecord] = []
        var failures: [(Int64, FerryError)] = []
        var claims = LocalNameClaims()  // downloads: names that clash with an earlier one's path

        func flush() -> Bool {
            guard !batch.isEmpty else { return true }
            store.addFiles(batch, scanCursor: batch.last?.plan.sourcePath)
            for (id, error) in failures { store.finishFile(fileID: id, state: .failed, crc64: nil, md5: nil, error: error) }
            defer { batch.removeAll(keepingCapacity: true); failures.removeAll() }
            let pending = batch.filter { $0.state == .pending }
            // One progress update per batch, not two locked updates per file.
            var counted = BatchCounts()
            for file in batch where file.state != .failed { counted.add(file) }
            progress.filesEnumerated(count: counted.files, sizeBytes: counted.bytes,
                                     skipped: counted.skippedFiles, skippedBytes: counted.skippedBytes)
            return scheduler.submit(pending)
        }

        func add(_ info: ObjectInfo) {
            let id = nextID
            nextID += 1
            do {
                guard let plan = try planner.plan(info) else { nextID -= 1; return }
                if planner.localNames != nil { try claims.claim(plan.destinationPath) }
                let file = FileRecord(id: id, plan: plan)
                batch.append(try lookup.map { try syncDecision(file, source: info, destination: $0) } ?? file)
            } catch let error as FerryError {
                let plan = FilePlan(sourcePath: info.path, destinationPath: planner.mapping.destinationPath(forSource: info.path),
                                    sizeBytes: info.sizeBytes, lastModified: info.lastModified,
                                    blockSizeBytes: BlockSizing.defaultBlockSizeBytes)
                batch.append(FileRecord(id: id, plan: plan, state: .failed))
                failures.append((id, error))
                progress.fileEnumerated(sizeBytes: 0)
                progress.fileFailed(sizeBytes: 0, movedBytes: 0)
                events?.fileFailed(plan, error: error)
            } catch {}
        }

        if planner.mapping.singleFileDestination != nil {
            guard let info = try retry.run(cancellation: cancellation, { try source.stat("") }) else {
                throw FerryError(.notFound, "the source \(source.redactedDescription) does not exist", disposition: .abortJob)
            }
            if cursor == nil, try shard?.owns(info.path) ?? true { add(info) }
            return flush()
        }
        let filter = planner.filter
        var listing = try retry.run(cancellation: cancellation) {
            try source.list(prefix: "", recursive: options.recursive, entering: { filter.mayTakeAnything(below: $0) })
        }
        while let info = try retry.run(cancellation: cancellation, { try listing.next() }) {
            if cancellation.isCancelled || scheduler.isStopped { return false }
            // A resumed scan skips what the interrupted one recorded. Not by comparing with the
            // cursor: some stores (SeaweedFS) do not list in byte order, and an entry sorting
            // before the cursor may not have been seen yet. Asked by destination path, which the
            // source path determines (one prefix for another) and the manifest indexes.
            if cursor != nil, try store.hasFile(destinationPath: planner.mapping.destinationPath(forSource: info.path)) {
                continue
            }
            if let shard, !(try shard.owns(info.path)) { continue }
            add(info)
            if batch.count >= Self.enumerationBatch { guard flush() else { return false } }
        }
        return flush()
    }

    /// What a batch adds to the progress counters (failed files were counted as they failed).
    private struct BatchCounts {
        var files = 0, bytes: Int64 = 0, skippedFiles = 0, skippedBytes: Int64 = 0

        mutating func add(_ file: FileRecord) {
            files += 1
            bytes += file.plan.sizeBytes
            if file.state == .skipped {
                skippedFiles += 1
                skippedBytes += file.plan.sizeBytes
            }
        }
    }

    /// Listing failures stop the whole job: without a listing nothing else can be planned.
    static func fatalized(_ error: FerryError) -> FerryError {
        var fatal = error
        fatal.disposition = .abortJob
        return fatal
    }
}
